import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  JsonlLedgerStore,
  LEDGER_FILE_NAME,
  RECORD_KEYS_FILE_NAME,
} from '../../src/server/store/file/jsonl-ledger-store.js';
import { CLI, serve, startCli } from './cli-fixture.js';
import { consentEvent, STAFF_TOKEN } from './ledger-fixture.js';

function verify(dataDir: string) {
  const result = spawnSync(process.execPath, [CLI, 'verify', '--data', dataDir], { encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/consent-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('durability of the JSONL ledger', () => {
  it('kill -9 during a write burst, five times over, loses no acknowledged entry; every restart starts, and verify passes (with signed checkpoints)', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ledger-crash-'));
    const keyFile = join(await mkdtemp(join(tmpdir(), 'ledger-key-')), 'checkpoint.pem');
    spawnSync(process.execPath, [CLI, 'keygen', '--key', keyFile, '--name', 'test/ledger']);
    const acknowledged = new Set<string>();
    // A crash may fall between a write's fsync and its checkpoint's: the restart signs those entries (they carry its MAC).
    let signedAfterCrash = 0;
    for (let round = 0; round < 5; round += 1) {
      const { child, url, output } = await serve('--data', dataDir, '--key', keyFile);
      if (/were written by this ledger .* signed now/.test(output())) signedAfterCrash += 1;
      const goal = acknowledged.size + 300;
      let stop = false;
      // 16 clients posting as fast as the ledger acknowledges.
      const clients = Array.from({ length: 16 }, async () => {
        while (!stop) {
          const event = consentEvent();
          try {
            const response = await post(url, event);
            if (response.status === 201) acknowledged.add(event.id);
          } catch {
            return; // the ledger is gone
          }
        }
      });
      while (acknowledged.size < goal) await new Promise((resolve) => setTimeout(resolve, 5));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      await exited;
    }
    t.diagnostic(`restarts that signed entries a crash left without their checkpoint: ${signedAfterCrash} of 4`);

    const restarted = await startCli(dataDir, '--key', keyFile);
    try {
      const { entries } = await (
        await fetch(`${restarted.url}/v1/staff/entries`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
      ).json();
      const stored = new Set(entries.map((entry: { event: { id: string } }) => entry.event.id));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} acknowledged entries lost`);
      assert.ok(entries.length >= acknowledged.size);
      // Every entry read whole above (with its key); the keys made ahead for entries that never came are cut.
      assert.equal((await stat(join(dataDir, RECORD_KEYS_FILE_NAME))).size, (entries.length + 1) * 32);
    } finally {
      restarted.child.kill('SIGKILL');
    }
    const result = spawnSync(process.execPath, [CLI, 'verify', '--data', dataDir, '--public-key', `${keyFile}.pub`], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /OK, \d+ entries, hash chain intact/);
    assert.match(result.stdout, /entries 1–\d+ are covered by a signature/);
  });

  it('a torn last line (a crash mid-write) is dropped at start-up; every whole entry stays', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ledger-torn-'));
    const store = await JsonlLedgerStore.open(dataDir);
    for (let i = 0; i < 3; i += 1) await store.append(consentEvent());
    await store.close();
    const file = join(dataDir, LEDGER_FILE_NAME);
    await appendFile(file, '{"seq":4,"receivedAt":"2026-11-25T00:00:00.000Z","event":{"schemaVer');
    const reopened = await JsonlLedgerStore.open(dataDir);
    assert.equal((await reopened.entries()).length, 3);
    const outcome = await reopened.append(consentEvent());
    assert.equal(outcome.entry.seq, 4);
    await reopened.close();
    assert.equal(verify(dataDir).code, 0);
  });

  it('editing one byte of the file makes verify fail at that entry, and the ledger refuses to start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ledger-edit-'));
    const store = await JsonlLedgerStore.open(dataDir);
    const events = Array.from({ length: 5 }, () => consentEvent());
    for (const event of events) await store.append(event);
    await store.close();
    const file = join(dataDir, LEDGER_FILE_NAME);
    const original = await readFile(file, 'utf8');
    // Someone backdates the text version entry 3 was given under, by one digit.
    const line3 = original.split('\n').slice(0, 2).join('\n').length + 1;
    const at = original.indexOf('"textVersion":"2026-11-01"', line3) + '"textVersion":"2026-11-0'.length;
    const edited = `${original.slice(0, at)}2${original.slice(at + 1)}`;
    assert.equal(edited.length, original.length);
    await writeFile(file, edited);
    const result = verify(dataDir);
    assert.equal(result.code, 1);
    assert.match(result.output, /BROKEN at entry 3 \(line 3\): hash does not match the content/);
    await assert.rejects(JsonlLedgerStore.open(dataDir), /broken at entry 3/);
  });

  it('deleting or reordering entries is detected too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ledger-delete-'));
    const store = await JsonlLedgerStore.open(dataDir);
    for (let i = 0; i < 4; i += 1) await store.append(consentEvent());
    await store.close();
    const file = join(dataDir, LEDGER_FILE_NAME);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    await writeFile(file, `${[lines[0], lines[2], lines[3]].join('\n')}\n`);
    assert.match(verify(dataDir).output, /BROKEN at entry 3 \(line 2\): sequence number 3 where 2 was expected/);
    await writeFile(file, `${[lines[0], lines[2], lines[1], lines[3]].join('\n')}\n`);
    assert.match(verify(dataDir).output, /BROKEN at entry 3/);
  });
});
