/**
 * A platform as it runs in production: two ledger processes on one
 * PostgreSQL database behind HAProxy (Debian's package), restarted one
 * after the other while bookings keep coming. No acknowledged booking may
 * be lost, and the clients of the load balancer must see at least 99.9 %
 * successful answers. A booking is safe to send again (the ledger answers
 * a repeat of an id it has), so the load balancer may retry one whose
 * connection was refused or cut.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { freePort } from '../../scripts/free-port.mjs';
import { cli, killHard, servePlatform } from './cli-fixture.js';
import { consentEvent, PAGE_ORIGIN } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(() => stopPostgres());

const SALONS = ['bella', 'chic', 'nova'];

/**
 * HAProxy in front of the ledgers: health checks every 200 ms, two failed in a row take a server out (one
 * slow answer on a busy machine must not take out both), retries elsewhere when a connection fails.
 */
function haproxyConfig(port: number, ledgers: number[]): string {
  return `global
  maxconn 1000
defaults
  mode http
  timeout connect 1s
  timeout client 15s
  timeout server 15s
  retries 3
  option redispatch 1
  option http-buffer-request
  retry-on conn-failure empty-response response-timeout 503
frontend consent
  bind 127.0.0.1:${port}
  default_backend ledgers
backend ledgers
  balance uri depth 2
  hash-type consistent
  option httpchk GET /v1/health
  http-check expect status 200
  timeout check 1s
  default-server inter 200ms fall 2 rise 2
${ledgers.map((ledger, i) => `  server ledger${i} 127.0.0.1:${ledger} check`).join('\n')}
`;
}

async function startHaproxy(config: string): Promise<ChildProcess> {
  if (spawnSync('haproxy', ['-v']).error) {
    throw new Error('haproxy is missing: install it from Debian (sudo apt-get install -y haproxy; bash .ci/run does)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  return spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function until(check: () => Promise<boolean>, what: string, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describe('a platform behind a load balancer', () => {
  it('a rolling restart of its two ledger processes loses no acknowledged booking, and ≥ 99.9 % of answers succeed', async () => {
    const url = await freshDatabase();
    for (const id of SALONS) {
      const added = cli(
        'salons',
        'add',
        id,
        '--database-url',
        url,
        '--salon',
        `Salon ${id}`,
        '--origin',
        PAGE_ORIGIN,
        '--single-opt-in',
        'email-newsletter',
      );
      assert.equal(added.code, 0, added.output);
    }
    const ports = [await freePort(), await freePort()];
    const start = (port: number) => servePlatform('--database-url', url, '--port', String(port));
    const ledgers = await Promise.all(ports.map(start));
    const lbPort = await freePort();
    const haproxy = await startHaproxy(haproxyConfig(lbPort, ports));
    const lb = `http://127.0.0.1:${lbPort}`;
    const answers: { id: string; status: number }[] = [];
    let sending = true;
    try {
      await until(async () => (await fetch(`${lb}/v1/health`)).ok, 'the load balancer answers');
      // Bookings from 8 clients, to every salon, until the restarts are over.
      const clients = Array.from({ length: 8 }, async (_, client) => {
        for (let i = 0; sending; i += 1) {
          const event = consentEvent();
          const salon = SALONS[(client + i) % SALONS.length]!;
          const status = await fetch(`${lb}/salons/${salon}/v1/consent-events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
            body: JSON.stringify(event),
          }).then(
            async (answer) => {
              await answer.arrayBuffer();
              return answer.status;
            },
            () => 0,
          );
          answers.push({ id: event.id, status });
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // One process after the other: stopped (SIGTERM, as systemd or Kubernetes does), started again, taken
      // back by the load balancer before the next one stops.
      for (const [i, port] of ports.entries()) {
        const before = answers.length;
        ledgers[i]!.child.kill('SIGTERM');
        await exited(ledgers[i]!.child);
        ledgers[i] = await start(port);
        await until(async () => (await fetch(`http://127.0.0.1:${port}/v1/health`)).ok, 'the restarted ledger');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        assert.ok(answers.length > before + 20, 'bookings went on while the process restarted');
      }
      sending = false;
      await Promise.all(clients);
    } finally {
      sending = false;
      haproxy.kill('SIGKILL');
      await Promise.all(ledgers.map((ledger) => killHard(ledger.child)));
    }
    const succeeded = answers.filter((answer) => answer.status === 201 || answer.status === 200);
    const failed = answers.filter((answer) => !(answer.status === 201 || answer.status === 200));
    assert.ok(answers.length >= 200, `${answers.length} bookings sent`);
    assert.ok(
      succeeded.length / answers.length >= 0.999,
      `${failed.length} of ${answers.length} answers failed: ${[...new Set(failed.map((answer) => answer.status))].join(', ')}`,
    );
    // Every acknowledged booking is in its salon's chain.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM ledger_entries');
      const kept = new Set(rows.map((row) => row.event_id));
      const lost = succeeded.filter((answer) => !kept.has(answer.id));
      assert.deepEqual(lost, [], 'acknowledged bookings missing from the ledger');
    } finally {
      await db.end();
    }
    for (const id of SALONS) {
      const verified = cli('verify', '--database-url', url, '--salon-id', id);
      assert.equal(verified.code, 0, verified.output);
    }
  });
});
