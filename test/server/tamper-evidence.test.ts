/**
 * Signed checkpoints catch what a hash chain alone cannot: a deleted tail, a
 * chain rewritten and recomputed, an entry appended without the key. Run
 * through the command as operators run it.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointSigner, openCheckpoint } from '../../src/server/checkpoint.js';
import { entryHash } from '../../src/server/hash-chain.js';
import { JsonlLedgerStore, LEDGER_FILE_NAME } from '../../src/server/jsonl-ledger-store.js';
import { CheckpointWitnesses } from '../../src/server/witness.js';
import type { LedgerEntry } from '../../src/server/ledger-store.js';
import { cli } from './cli-fixture.js';
import { consentEvent, startLedger } from './ledger-fixture.js';

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
