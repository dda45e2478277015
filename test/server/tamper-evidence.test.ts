/**
 * Signed checkpoints catch what a hash chain alone cannot: a deleted tail, a
 * chain rewritten and recomputed, an entry appended without the key. Run
 * through the command as operators run it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { CheckpointSigner, openCheckpoint, splitCheckpoints } from '../../src/server/integrity/checkpoint.js';
import { entryHash, entryMac, GENESIS_HASH, hashOfJson } from '../../src/server/integrity/hash-chain.js';
import { JsonlLedgerStore, LEDGER_FILE_NAME } from '../../src/server/store/file/jsonl-ledger-store.js';
import { PostgresLedgerStore } from '../../src/server/store/postgres/postgres-ledger-store.js';
import { AddressBook } from '../../src/server/consent/addresses.js';
import { identifiersOf } from '../../src/server/app/ledger-context.js';
import { CheckpointWitnesses } from '../../src/server/integrity/witness.js';
import type { LedgerEntry } from '../../src/server/store/ledger-store.js';
import { cli } from './cli-fixture.js';
import { consentEvent, startLedger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

/** A key made by the CLI, kept outside the ledger's folder, and a ledger with 6 signed entries. */
async function signedLedger() {
  const root = await mkdtemp(join(tmpdir(), 'ledger-signed-'));
  const keyFile = join(root, 'keys', 'checkpoint.pem');
  await mkdir(join(root, 'keys'));
  const made = cli('keygen', '--key', keyFile, '--name', 'salon-bella.example/consent-ledger');
  assert.equal(made.code, 0, made.output);
  const pem = await readFile(keyFile, 'utf8');
  const signer = new CheckpointSigner(/^# name: (\S+)$/m.exec(pem)![1]!, pem);
  const dataDir = join(root, 'data');
  const witnessDir = join(root, 'witness');
  await mkdir(witnessDir);
  const witnesses = new CheckpointWitnesses([witnessDir], 0);
  const store = await JsonlLedgerStore.open(dataDir, { signer, onCheckpoint: witnesses.offer });
  const receipts: string[] = [];
  for (let i = 0; i < 6; i += 1) receipts.push((await store.append(consentEvent())).checkpoint!);
  await store.close();
  await witnesses.flush();
  const file = join(dataDir, LEDGER_FILE_NAME);
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const verify = () => cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`, '--checkpoints', witnessDir);
  return { root, keyFile, signer, dataDir, witnessDir, file, lines, receipts, verify };
}

/** Recomputes every hash from `from` on, as someone rewriting the file would. */
function rechain(lines: string[]): string {
  let prevHash = '0'.repeat(64);
  return (
    lines
      .map((line, index) => {
        const entry = JSON.parse(line) as LedgerEntry;
        entry.seq = index + 1;
        entry.prevHash = prevHash;
        entry.hash = entryHash(prevHash, entry);
        prevHash = entry.hash;
        return JSON.stringify(entry);
      })
      .join('\n') + '\n'
  );
}

describe('signed checkpoints (C2SP signed note, Ed25519)', () => {
  it('every receipt carries a checkpoint covering it that verifies with the published key', async () => {
    const { receipts, keyFile, signer } = await signedLedger();
    const vkey = (await readFile(`${keyFile}.pub`, 'utf8')).trim();
    assert.equal(vkey, signer.verifierKey);
    assert.match(vkey, /^salon-bella\.example\/consent-ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    for (const [index, note] of receipts.entries()) {
      const opened = openCheckpoint(note, [vkey]);
      assert.ok(opened.ok);
      assert.ok(opened.checkpoint.size >= index + 1);
      assert.match(
        note,
        /^salon-bella\.example\/consent-ledger\n\d+\n[A-Za-z0-9+/]{43}=\n\n— salon-bella\.example\/consent-ledger /,
      );
    }
    // Altered by one character, it no longer verifies.
    assert.equal(openCheckpoint(receipts[0]!.replace(/\n1\n/, '\n2\n'), [vkey]).ok, false);
  });

  it('an intact signed ledger verifies, and says how much the signatures cover', async () => {
    const { verify } = await signedLedger();
    const result = verify();
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /entries 1–6 are covered by a signature/);
  });

  it('deleting the last records is caught by verify and at start-up', async () => {
    const { file, lines, verify, dataDir, signer } = await signedLedger();
    await writeFile(file, `${lines.slice(0, 4).join('\n')}\n`);
    const result = verify();
    assert.equal(result.code, 1);
    assert.match(
      result.output,
      /has 4 entries, but a signed checkpoint says it had 6: entries were deleted from the end/,
    );
    await assert.rejects(JsonlLedgerStore.open(dataDir, { signer }), /deleted from the end/);
  });

  it('editing a record and recomputing the whole chain is caught', async () => {
    const { file, lines, verify, dataDir, signer } = await signedLedger();
    // Entry 3's grant becomes a refusal, and every hash after it is recomputed.
    const edited = lines.map((line, i) => (i === 2 ? line.replace('"granted":true', '"granted":false') : line));
    assert.notEqual(edited[2], lines[2]);
    await writeFile(file, rechain(edited));
    assert.equal(cli('verify', '--data', dataDir).code, 0, 'the chain alone is fooled');
    const result = verify();
    assert.equal(result.code, 1);
    assert.match(result.output, /entry 6 differs from the signed checkpoint: the chain was rewritten/);
    await assert.rejects(JsonlLedgerStore.open(dataDir, { signer }), /chain was rewritten/);
  });

  it('a rewrite that also replaces the ledger’s own checkpoint log is still caught by the witness', async () => {
    const { file, lines, verify, dataDir, witnessDir } = await signedLedger();
    await writeFile(file, rechain(lines.slice(0, 5)));
    await writeFile(join(dataDir, 'checkpoints.log'), '');
    assert.ok((await readdir(witnessDir)).length >= 1);
    const result = verify();
    assert.equal(result.code, 1);
    assert.match(result.output, /witness.*(deleted from the end|rewritten)/);
  });

  it('an entry appended without the key is reported as not covered by any checkpoint', async () => {
    const { file, lines, verify } = await signedLedger();
    const forged = JSON.parse(lines.at(-1)!) as LedgerEntry;
    forged.seq = 7;
    forged.prevHash = forged.hash;
    forged.event = { ...forged.event, id: crypto.randomUUID() };
    forged.hash = entryHash(forged.prevHash, forged);
    await writeFile(file, `${lines.join('\n')}\n${JSON.stringify(forged)}\n`);
    const result = verify();
    assert.equal(result.code, 1);
    assert.match(result.output, /entries 7–7 are covered by no signed checkpoint/);
  });

  it('rotate-key: new checkpoints use the new key, old ones still verify from the .pub file', async () => {
    const { keyFile, dataDir, verify } = await signedLedger();
    const rotated = cli('rotate-key', '--key', keyFile);
    assert.equal(rotated.code, 0, rotated.output);
    assert.equal((await readFile(`${keyFile}.pub`, 'utf8')).trim().split('\n').length, 2);
    const pem = await readFile(keyFile, 'utf8');
    const trustedKeys = (await readFile(`${keyFile}.pub`, 'utf8')).trim().split('\n');
    const newSigner = new CheckpointSigner(/^# name: (\S+)$/m.exec(pem)![1]!, pem);
    assert.notEqual(newSigner.verifierKey, trustedKeys[0]);
    const store = await JsonlLedgerStore.open(dataDir, { signer: newSigner, trustedKeys });
    const { checkpoint } = await store.append(consentEvent());
    await store.close();
    assert.ok(openCheckpoint(checkpoint!, [newSigner.verifierKey]).ok);
    assert.equal(openCheckpoint(checkpoint!, [trustedKeys[0]!]).ok, false);
    assert.equal(verify().code, 0, verify().output);
    assert.equal(cli('keygen', '--key', keyFile, '--name', 'x').code, 2, 'keygen never overwrites a key');
  });

  it('the staff verify endpoint reports the signed coverage of a running ledger', async () => {
    const { signer, dataDir } = await signedLedger();
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    const ledger = await startLedger({
      store,
      checkpointKeys: [signer.verifierKey],
      latestCheckpoint: () => store.lastCheckpoint,
    });
    try {
      const receipt = await (await ledger.post('/v1/consent-events', consentEvent())).json();
      assert.ok(openCheckpoint(receipt.checkpoint, [signer.verifierKey]).ok);
      const report = await (await ledger.staff('/v1/staff/verify')).json();
      assert.equal(report.intact, true);
      assert.equal(report.coveredUpTo, 7);
    } finally {
      await ledger.close();
    }
  });
});

/** Checkpoints in a log, one string each. */
const notesOf = async (log: string) => splitCheckpoints(await readFile(log, 'utf8').catch(() => ''));

describe('the ledger never deletes an acknowledged entry on its own, and never signs what it cannot vouch for', () => {
  it('a crash between the entries and their checkpoint loses nothing: the entries carry the ledger’s MAC, and the checkpoint made again is the same', async () => {
    const { dataDir, signer, verify, lines, keyFile } = await signedLedger();
    const log = join(dataDir, 'checkpoints.log');
    const notes = await notesOf(log);
    // What a crash after the last write's fsync and before its checkpoint's leaves: the last checkpoint missing.
    await writeFile(log, notes.slice(0, -1).join(''));
    const ownLog = cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`);
    assert.equal(ownLog.code, 1);
    assert.match(ownLog.output, /entries 6–6 are covered by no signed checkpoint/);
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    assert.equal((await store.entries()).length, lines.length, 'no acknowledged entry was dropped');
    assert.equal(store.lastCheckpoint, notes.at(-1), 'the checkpoint made again is byte for byte the one lost');
    await store.close();
    assert.equal(verify().code, 0, verify().output);
  });

  it('a checkpoint log cut short by more than a crash leaves refuses the start (it deleted the entries after it), and nothing is deleted', async () => {
    const { dataDir, signer, file } = await signedLedger();
    const log = join(dataDir, 'checkpoints.log');
    const notes = await notesOf(log);
    const before = await readFile(file, 'utf8');
    await writeFile(log, notes.slice(0, -4).join(''));
    await assert.rejects(
      JsonlLedgerStore.open(dataDir, { signer }),
      /entries 3–6 are covered by no signed checkpoint, and not all of them are the write a crash interrupted.*accept-history/s,
    );
    assert.equal(await readFile(file, 'utf8'), before, 'nothing was deleted');
  });

  it('an entry appended without the key is refused at start-up (it used to be dropped as never acknowledged)', async () => {
    const { file, lines, dataDir, signer } = await signedLedger();
    const forged = JSON.parse(lines.at(-1)!) as LedgerEntry & { mac?: string };
    forged.seq = 7;
    forged.prevHash = forged.hash;
    forged.event = { ...forged.event, id: crypto.randomUUID() };
    delete forged.mac;
    forged.hash = entryHash(forged.prevHash, forged);
    await writeFile(file, `${lines.join('\n')}\n${JSON.stringify(forged)}\n`);
    await assert.rejects(
      JsonlLedgerStore.open(dataDir, { signer }),
      /entries 7–7 are covered by no signed checkpoint, and not all of them are the write a crash interrupted.*accept-history/s,
    );
    assert.equal((await readFile(file, 'utf8')).trimEnd().split('\n').length, 7, 'nothing was deleted');
  });

  it('a rewrite with a recomputed chain and a log cut back before it is refused, and nothing is deleted', async () => {
    const { file, lines, dataDir, signer, verify, keyFile } = await signedLedger();
    const log = join(dataDir, 'checkpoints.log');
    const notes = await notesOf(log);
    // Entry 3's grant becomes a refusal; every hash after it recomputed (the MACs cannot be); the log cut to entry 2
    // (its first checkpoint is the empty chain's, signed when the ledger was made).
    const edited = lines.map((line, i) => (i === 2 ? line.replace('"granted":true', '"granted":false') : line));
    const rewritten = rechain(edited);
    await writeFile(file, rewritten);
    await writeFile(log, notes.slice(0, 3).join(''));
    await assert.rejects(JsonlLedgerStore.open(dataDir, { signer }), /entries 3–6 are covered by no signed checkpoint/);
    assert.equal(await readFile(file, 'utf8'), rewritten, 'the ledger deleted nothing');
    const ownLog = cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`);
    assert.equal(ownLog.code, 1);
    assert.match(ownLog.output, /entries 3–6 are covered by no signed checkpoint/);
    // The witness holds the truth.
    assert.match(verify().output, /witness.*(rewritten|deleted)/);
  });

  it('a deleted checkpoint log refuses the start and names the fix; accept-history records the acceptance in the chain and verify shows it', async () => {
    const { dataDir, keyFile, signer } = await signedLedger();
    await unlink(join(dataDir, 'checkpoints.log'));
    assert.match(
      cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`).output,
      /entries 1–6 are covered by no signed checkpoint/,
    );
    await assert.rejects(
      JsonlLedgerStore.open(dataDir, { signer }),
      /it has 6 entries but no signed checkpoint.*marketing-consent-ledger accept-history --data/s,
    );
    assert.equal(cli('accept-history', '--data', dataDir, '--key', keyFile).code, 2, 'no operator, no note: refused');
    const accepted = cli(
      'accept-history',
      '--data',
      dataDir,
      '--key',
      keyFile,
      '--operator',
      'Platform operator',
      '--note',
      'checkpoints.log lost with the old disk; chain checked against the witness',
    );
    assert.equal(accepted.code, 0, accepted.output);
    assert.match(accepted.output, /recorded as entry 7 and signed/);
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    const [acceptance] = await store.entries({ afterSeq: 6 });
    assert.equal(acceptance?.event.method, 'history-accepted');
    await store.close();
    const verified = cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`);
    assert.equal(verified.code, 0, verified.output);
    assert.match(
      verified.output,
      /entry 7 \([^)]+\): history accepted as found by Platform operator: "checkpoints\.log lost with the old disk; chain checked against the witness"; the ledger had refused: it has 6 entries but no signed checkpoint/,
    );
    assert.match(verified.output, /entries 1–7 are covered by a signature/);
    // Only once: a ledger that matches its checkpoints has nothing to accept.
    const again = cli('accept-history', '--data', dataDir, '--key', keyFile, '--operator', 'X', '--note', 'again');
    assert.equal(again.code, 1);
    assert.match(again.output, /there is no history to accept/);
  });

  it('the last entries deleted and the log cut to match: the ledger cannot know (it starts), only a witness can', async () => {
    const { file, lines, dataDir, signer, keyFile, verify } = await signedLedger();
    const log = join(dataDir, 'checkpoints.log');
    const notes = await notesOf(log);
    await writeFile(file, `${lines.slice(0, 4).join('\n')}\n`);
    await writeFile(log, notes.slice(0, 5).join(''));
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    assert.equal((await store.entries()).length, 4);
    await store.close();
    assert.equal(cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`).code, 0, 'the own log is fooled');
    assert.match(
      verify().output,
      /has 4 entries, but a signed checkpoint says it had 6: entries were deleted from the end/,
    );
  });

  it('someone holding the key can rewrite everything (hashes, MACs, checkpoints): the ledger and its own log are fooled, a witness is not', async () => {
    const { file, lines, dataDir, signer, keyFile, verify } = await signedLedger();
    const secret = signer.secretFor('entries');
    let prevHash = GENESIS_HASH;
    const forged = lines.map((line, i) => {
      const entry = JSON.parse(i === 2 ? line.replace('"granted":true', '"granted":false') : line) as Record<
        string,
        unknown
      >;
      const parts = { ...(entry as never as LedgerEntry), eventJson: JSON.stringify(entry['event']) };
      // Each entry was written alone, when the checkpoint of the ones before it was the last.
      const mac = entryMac(secret, prevHash, parts, i);
      const hash = hashOfJson(prevHash, { ...parts, mac });
      const rewritten = { ...entry, prevHash, hash, mac };
      prevHash = hash;
      return JSON.stringify(rewritten);
    });
    await writeFile(file, `${forged.join('\n')}\n`);
    await writeFile(join(dataDir, 'checkpoints.log'), signer.sign(0, GENESIS_HASH) + signer.sign(6, prevHash));
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    await store.close();
    assert.equal(cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`).code, 0);
    assert.match(verify().output, /witness.*entry 6 differs from the signed checkpoint: the chain was rewritten/);
  });

  it('a ledger kept without a key is vouched for only by the operator when the key comes: the start refuses until accept-history', async () => {
    const { dataDir, keyFile, signer } = await signedLedger();
    const plain = await mkdtemp(join(tmpdir(), 'ledger-unsigned-'));
    const store = await JsonlLedgerStore.open(plain);
    for (let i = 0; i < 3; i += 1) await store.append(consentEvent());
    await store.close();
    await assert.rejects(JsonlLedgerStore.open(plain, { signer }), /it has 3 entries but no signed checkpoint/);
    const accepted = cli(
      'accept-history',
      '--data',
      plain,
      '--key',
      keyFile,
      '--operator',
      'Mia',
      '--note',
      'key introduced',
    );
    assert.equal(accepted.code, 0, accepted.output);
    // A signed ledger takes no entry without its key: it could not vouch for it at the next start.
    const unsigned = await JsonlLedgerStore.open(dataDir);
    await assert.rejects(unsigned.append(consentEvent()), /signs its checkpoints.*open it with its key/);
    await unsigned.close();
  });

  it('a ledger over 1 MiB: its index file edited (two customers’ identifier digests swapped) moves no entry to another customer', async () => {
    const { dataDir, signer, file } = await signedLedger();
    const identify = identifiersOf(new AddressBook('CH'));
    let store = await JsonlLedgerStore.open(dataDir, { signer });
    await store.index(identify);
    while ((await stat(file)).size < 1.3 * 2 ** 20) {
      await Promise.all(Array.from({ length: 200 }, () => store.append(consentEvent())));
    }
    const [, second, third] = await store.entries({ limit: 3 });
    await store.close();
    // Slots 2 and 3 (128 bytes each after a 128-byte header) trade their digests (bytes 32–112 of a slot).
    const index = await readFile(join(dataDir, 'ledger.index'));
    const [a, b] = [2 * 128 + 32, 3 * 128 + 32];
    const digestsOf2 = Buffer.from(index.subarray(a, a + 80));
    index.copy(index, a, b, b + 80);
    digestsOf2.copy(index, b);
    await writeFile(join(dataDir, 'ledger.index'), index);
    store = await JsonlLedgerStore.open(dataDir, { signer });
    await store.index(identify);
    const found = await store.customerEntries(identify((second as LedgerEntry).event));
    assert.deepEqual(
      found.map((entry) => entry.seq),
      [2],
      `entry ${third!.seq} passed for the customer of entry 2`,
    );
    await store.close();
  });

  it('a ledger over 1 MiB: an edit in its first MiB that keeps the line’s length, with ledger.chunks recomputed, stops the start', async () => {
    const { dataDir, signer, file } = await signedLedger();
    const store = await JsonlLedgerStore.open(dataDir, { signer });
    while ((await stat(file)).size < 1.3 * 2 ** 20) {
      await Promise.all(Array.from({ length: 200 }, () => store.append(consentEvent())));
    }
    const customer = consentEvent();
    await store.append(customer);
    await store.close();
    const original = await readFile(file);
    // The customer's first entry, an early one: its purpose renamed (same length), so its grant no longer counts.
    const at = original.indexOf('"purpose":"email-newsletter"', original.indexOf('\n', 1000));
    assert.ok(at > 0 && at < 2 ** 20);
    original.write('"purpose":"email-newslettez"', at);
    await writeFile(file, original);
    // The cache recomputed as someone with the folder can: a plain SHA-256 per MiB (the format this ledger used to trust).
    const chunks = [];
    for (let from = 0; from + 2 ** 20 <= original.length; from += 2 ** 20) {
      chunks.push(
        createHash('sha256')
          .update(original.subarray(from, from + 2 ** 20))
          .digest(),
      );
    }
    await writeFile(join(dataDir, 'ledger.chunks'), Buffer.concat(chunks));
    await assert.rejects(JsonlLedgerStore.open(dataDir, { signer }), /broken at entry \d+: hash does not match/);
    // Without the key no cache is trusted at all: every line is read.
    await assert.rejects(JsonlLedgerStore.open(dataDir), /broken at entry \d+: hash does not match/);
  });
});

describe('the same guarantees on PostgreSQL, rows edited directly in the database', () => {
  after(stopPostgres);

  /** A signed chain of six entries in a fresh database, the key made by the CLI, and SQL on it. */
  async function signedDatabase() {
    const root = await mkdtemp(join(tmpdir(), 'ledger-pg-signed-'));
    const keyFile = join(root, 'checkpoint.pem');
    assert.equal(cli('keygen', '--key', keyFile, '--name', 'salon-bella.example/consent-ledger').code, 0);
    const pem = await readFile(keyFile, 'utf8');
    const signer = new CheckpointSigner(/^# name: (\S+)$/m.exec(pem)![1]!, pem);
    const url = await freshDatabase();
    const store = await PostgresLedgerStore.open({ connectionString: url, signer });
    for (let i = 0; i < 6; i += 1) await store.append(consentEvent());
    await store.close();
    const sql = async (text: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as Record<string, string>[];
      } finally {
        await client.end();
      }
    };
    const open = () => PostgresLedgerStore.open({ connectionString: url, signer });
    const verify = () => cli('verify', '--database-url', url, '--public-key', `${keyFile}.pub`);
    return { url, keyFile, signer, sql, open, verify };
  }

  it('the latest checkpoint deleted from the table loses nothing: its entries carry the ledger’s MAC and are signed again', async () => {
    const { sql, open, verify } = await signedDatabase();
    const [latest] = await sql('SELECT note FROM ledger_checkpoints WHERE size = 6');
    await sql('DELETE FROM ledger_checkpoints WHERE size = 6');
    const store = await open();
    assert.equal((await store.entries()).length, 6);
    assert.equal(store.lastCheckpoint, latest!['note'], 'the checkpoint made again is the one deleted');
    await store.close();
    assert.equal(verify().code, 0, verify().output);
  });

  it('checkpoints deleted back by more than a crash leaves refuse the start, and nothing is deleted', async () => {
    const { sql, open } = await signedDatabase();
    await sql('DELETE FROM ledger_checkpoints WHERE size > 3');
    await assert.rejects(open(), /entries 4–6 are covered by no signed checkpoint, and not all of them are the write/);
    assert.equal((await sql('SELECT count(*) AS n FROM ledger_entries'))[0]!['n'], '6');
  });

  it('the last rows deleted, a forged row appended, or every checkpoint deleted: the start refuses, nothing is deleted', async () => {
    const { sql, open } = await signedDatabase();
    const [last] = await sql('SELECT stored FROM ledger_entries WHERE seq = 6');
    await sql('DELETE FROM ledger_entries WHERE seq = 6');
    await assert.rejects(open(), /chain head kept in ledger_salons is not the last entry/);
    // The head moved back too: the checkpoint still says 6.
    const [fifth] = await sql('SELECT stored FROM ledger_entries WHERE seq = 5');
    await sql('UPDATE ledger_salons SET head_seq = 5, head_hash = $1', [JSON.parse(fifth!.stored!).hash]);
    await assert.rejects(open(), /has 5 entries, but a signed checkpoint says it had 6/);
    // Put back, and a row appended by someone without the key.
    await sql(
      "INSERT INTO ledger_entries (salon, seq, event_id, is_erasure, stored) VALUES ('default', 6, $1, false, $2)",
      [JSON.parse(last!.stored!).event.id, last!.stored],
    );
    const forged = JSON.parse(last!.stored!) as LedgerEntry & { mac?: string };
    forged.seq = 7;
    forged.prevHash = forged.hash;
    forged.event = { ...forged.event, id: crypto.randomUUID() };
    delete forged.mac;
    forged.hash = entryHash(forged.prevHash, forged);
    await sql(
      "INSERT INTO ledger_entries (salon, seq, event_id, is_erasure, stored) VALUES ('default', 7, $1, false, $2)",
      [forged.event.id, JSON.stringify(forged)],
    );
    await sql('UPDATE ledger_salons SET head_seq = 7, head_hash = $1', [forged.hash]);
    await assert.rejects(
      open(),
      /entries 7–7 are covered by no signed checkpoint, and not all of them are the write a crash interrupted/,
    );
    assert.equal((await sql('SELECT count(*) AS n FROM ledger_entries'))[0]!.n, '7', 'nothing was deleted');
    await sql('DELETE FROM ledger_checkpoints');
    await assert.rejects(open(), /it has 7 entries but no signed checkpoint.*accept-history --database-url/s);
  });

  it('accept-history on the database: the acceptance is an entry of the chain, signed, and verify shows it', async () => {
    const { url, keyFile, sql, open, verify } = await signedDatabase();
    await sql('DELETE FROM ledger_checkpoints');
    const accepted = cli(
      'accept-history',
      '--database-url',
      url,
      '--key',
      keyFile,
      '--operator',
      'DBA',
      '--note',
      'restored',
    );
    assert.equal(accepted.code, 0, accepted.output);
    const store = await open();
    assert.equal((await store.entries()).at(-1)?.event.method, 'history-accepted');
    await store.close();
    const verified = verify();
    assert.equal(verified.code, 0, verified.output);
    assert.match(verified.output, /entry 7 \([^)]+\): history accepted as found by DBA: "restored"/);
  });
});
