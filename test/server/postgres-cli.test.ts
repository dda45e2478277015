/**
 * The ledger command on PostgreSQL, as a platform runs it: two `serve`
 * processes on one database append to one salon's chain at once, and
 * `verify --database-url` checks the result with the signing key's public half.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { ChainEntry } from '../../src/server/store/ledger-store.js';
import { CLI, cli, killHard, serve } from './cli-fixture.js';
import { consentEvent, PAGE_ORIGIN, STAFF_TOKEN } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(stopPostgres);

describe('the ledger command on PostgreSQL', () => {
  it('two processes on one database write one intact chain, which verify --database-url checks', async () => {
    const url = await freshDatabase();
    const keyFile = join(await mkdtemp(join(tmpdir(), 'pg-cli-key-')), 'checkpoint.pem');
    assert.equal(cli('keygen', '--key', keyFile, '--name', 'salon-bella.example/consent').code, 0);
    const ledgers = await Promise.all([
      serve('--database-url', url, '--key', keyFile, '--origin', PAGE_ORIGIN),
      serve('--database-url', url, '--key', keyFile, '--origin', PAGE_ORIGIN),
    ]);
    try {
      const events = Array.from({ length: 200 }, () => consentEvent());
      const answers = await Promise.all(
        events.map((event, i) =>
          fetch(`${ledgers[i % 2]!.url}/v1/consent-events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
            body: JSON.stringify(event),
          }),
        ),
      );
      assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([201]));
      const seqs = await Promise.all(answers.map(async (answer) => (await answer.json()).seq as number));
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        Array.from({ length: 200 }, (_, i) => i + 1),
        'every entry has its own place',
      );
      const read = async (ledger: { url: string }) =>
        (
          (await (
            await fetch(`${ledger.url}/v1/staff/entries`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
          ).json()) as { entries: ChainEntry[] }
        ).entries;
      const [a, b] = await Promise.all(ledgers.map(read));
      assert.equal(a!.length, 200);
      assert.deepEqual(a, b, 'both processes read the same chain');
    } finally {
      await Promise.all(ledgers.map(({ child }) => killHard(child)));
    }
    const verified = spawnSync(process.execPath, [CLI, 'verify', '--public-key', `${keyFile}.pub`], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: url },
    });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /OK, 200 entries, hash chain intact/);
    assert.match(verified.stdout, /entries 1–200 are covered by a signature/);
    assert.doesNotMatch(
      verified.stdout + verified.stderr,
      new RegExp(new URL(url).password),
      'no password in the output',
    );
  });

  it('the rate limit holds across the processes: one address gets its burst once, not once per process', async () => {
    const url = await freshDatabase();
    // Default burst 30; refilled at 6 a minute, so the test's second adds nothing.
    const ledgers = await Promise.all([
      serve('--database-url', url, '--origin', PAGE_ORIGIN, '--rate-limit', '6'),
      serve('--database-url', url, '--origin', PAGE_ORIGIN, '--rate-limit', '6'),
    ]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        const answer = await fetch(`${ledgers[i % 2]!.url}/v1/consent-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify(consentEvent()),
        });
        statuses.push(answer.status);
        if (answer.status === 429) assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      }
      const accepted = statuses.filter((status) => status === 201).length;
      assert.ok(accepted >= 30 && accepted <= 31, `${accepted} accepted; the shared burst is 30`);
      assert.equal(statuses.filter((status) => status === 429).length, 50 - accepted);
    } finally {
      await Promise.all(ledgers.map(({ child }) => killHard(child)));
    }
  });

  it("keeps at most --db-pool-size connections, made with the URL's parameters; a bad size is refused with the range", async () => {
    const url = await freshDatabase();
    const ledger = await serve(
      '--database-url',
      `${url}?application_name=consent-ledger-pool-test`,
      '--db-pool-size',
      '3',
      '--origin',
      PAGE_ORIGIN,
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const bookings = await Promise.all(
        Array.from({ length: 60 }, () =>
          fetch(`${ledger.url}/v1/consent-events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
            body: JSON.stringify(consentEvent()),
          }),
        ),
      );
      assert.ok(bookings.every((answer) => answer.status === 201));
      const { rows } = await admin.query<{ count: string }>(
        `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'consent-ledger-pool-test'`,
      );
      const connections = Number(rows[0]!.count);
      assert.ok(connections >= 1 && connections <= 3, `${connections} connections`);
    } finally {
      await admin.end();
      await killHard(ledger.child);
    }
    assert.match(
      cli('serve', '--database-url', url, '--db-pool-size', '0').output,
      /--db-pool-size must be a whole number of connections from 1 to 1000, not "0"/,
    );
  });

  it('names the missing place, and refuses two', () => {
    const { DATABASE_URL: _unused, ...env } = process.env;
    const bare = spawnSync(process.execPath, [CLI, 'verify'], { encoding: 'utf8', env });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /--data or --database-url is missing/);
    assert.match(cli('verify', '--data', 'x', '--database-url', 'postgres://h/db').output, /not both/);
  });
});
