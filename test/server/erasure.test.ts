/**
 * Erasure and retention against the real ledger: personal data sealed per
 * record, erased by destroying keys; the chain, its checkpoints and
 * everyone else's proof stay as they were.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { CheckpointSigner } from '../../src/server/integrity/checkpoint.js';
import { GENESIS_HASH, entryHash } from '../../src/server/integrity/hash-chain.js';
import {
  CHUNKS_FILE_NAME,
  INDEX_FILE_NAME,
  JsonlLedgerStore,
  LEDGER_FILE_NAME,
  RECORD_KEYS_FILE_NAME,
} from '../../src/server/store/file/jsonl-ledger-store.js';
import type { ChainEntry } from '../../src/server/store/ledger-store.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../src/contract/vocabulary.js';
import { startMailbox } from '../../scripts/mailbox.mjs';
import { CLI, cli, killHard, startCli } from './cli-fixture.js';
import { consentEvent, PAGE_ORIGIN, STAFF_TOKEN, startLedger, uniquePhone, type Ledger } from './ledger-fixture.js';
import { databaseText, freshDatabase, stopPostgres } from './postgres-fixture.js';

after(stopPostgres);

const token = () => crypto.randomUUID().slice(0, 8);

/** A key made by the CLI, outside the data folder, and its signer. */
async function checkpointKey() {
  const keyFile = join(await mkdtemp(join(tmpdir(), 'erasure-key-')), 'checkpoint.pem');
  assert.equal(cli('keygen', '--key', keyFile, '--name', 'salon-bella.example/consent').code, 0);
  const pem = await readFile(keyFile, 'utf8');
  return { keyFile, signer: new CheckpointSigner('salon-bella.example/consent', pem) };
}

/** Every byte the store keeps, as text: the chain, the checkpoints, the key file, the lock, the index files. */
async function storeBytes(dataDir: string, options: { index?: boolean } = {}): Promise<string> {
  // The index files are a cache of the ledger (rebuilt from it); a read may bring them up to date.
  const skip = options.index === false ? [INDEX_FILE_NAME, CHUNKS_FILE_NAME] : [];
  const names = (await readdir(dataDir)).filter((name) => !skip.includes(name));
  const files = await Promise.all(names.map((name) => readFile(join(dataDir, name))));
  return files.map((bytes) => bytes.toString('latin1')).join('\n');
}

/** A customer with a booking (e-mail, phone, customer id, booking), a staff entry with evidence and a withdrawal. */
async function bookCustomer(ledger: Ledger, name: string) {
  const id = token();
  const customer = {
    email: `${name}-${id}@example.ch`,
    phone: uniquePhone(),
    customerId: `K-${name}-${id}`,
    bookingRef: `BK-${name}-${id}`,
    evidence: `Formular von ${name} Muster ${id}, Ordner 7`,
    reason: `${name} ${id} rief an`,
  };
  const booking = consentEvent({
    subject: { email: customer.email, phone: customer.phone, customerId: customer.customerId },
    bookingRef: customer.bookingRef,
  });
  assert.equal((await ledger.post('/v1/consent-events', booking, { origin: PAGE_ORIGIN })).status, 201);
  const staff = await ledger.staff('/v1/staff/grants', {
    method: 'POST',
    body: JSON.stringify({
      subject: { customerId: customer.customerId, phone: customer.phone },
      purposes: ['sms-newsletter'],
      staffName: 'Lea',
      evidence: customer.evidence,
      customerAgreed: true,
    }),
  });
  assert.equal(staff.status, 201);
  const withdrawal = await ledger.staff('/v1/staff/withdrawals', {
    method: 'POST',
    body: JSON.stringify({
      subject: { customerId: customer.customerId },
      purposes: ['email-newsletter'],
      staffName: 'Lea',
      reason: customer.reason,
    }),
  });
  assert.equal(withdrawal.status, 201);
  return customer;
}

const json = async (response: Response) => {
  assert.ok(response.ok, `${response.status} ${await response.clone().text()}`);
  return response.json();
};
const query = (subject: Record<string, string>) => new URLSearchParams(subject).toString();
const erase = (ledger: Ledger, subject: Record<string, string>, reason = 'customer-request') =>
  ledger.staff('/v1/staff/erasures', {
    method: 'POST',
    body: JSON.stringify({ subject, staffName: 'Lea', reason, note: 'Brief vom 24.11.' }),
  });

describe('erasure on request', () => {
  it('erases one customer everywhere: verify holds, the values are nowhere in the files, the others’ proofs are unchanged', async () => {
    const { keyFile, signer } = await checkpointKey();
    let ledger = await startLedger({}, { store: { signer } });
    const dataDir = ledger.dataDir;
    const anna = await bookCustomer(ledger, 'anna');
    const ben = await bookCustomer(ledger, 'ben');
    const annaValues = [anna.email, anna.customerId, anna.bookingRef, anna.evidence, anna.reason];
    for (const value of annaValues) {
      assert.ok(!(await storeBytes(dataDir)).includes(value), `${value} is never written in clear`);
    }
    const benProof = await json(await ledger.staff(`/v1/staff/proof?${query({ email: ben.email })}&format=json`));
    const benHistory = await json(await ledger.staff(`/v1/staff/history?${query({ email: ben.email })}`));

    const erased = await erase(ledger, { email: anna.email });
    assert.equal(erased.status, 201);
    const answer = await erased.json();
    assert.equal(answer.erasedRecords, 3, 'the booking, the staff entry and the withdrawal');
    assert.ok(answer.status.purposes.every((p: { state: string }) => p.state === 'erased'));

    // Any identifier of hers finds the erasure, and nothing else.
    const identifiers: Record<string, string>[] = [
      { email: anna.email },
      { phone: anna.phone },
      { customerId: anna.customerId },
    ];
    for (const subject of identifiers) {
      const status = await json(await ledger.staff(`/v1/staff/status?${query(subject)}`));
      assert.equal(status.erasure.reason, 'customer-request');
      assert.deepEqual(status.linked, { customerIds: [], emails: [], phones: [] });
      const history = await json(await ledger.staff(`/v1/staff/history?${query(subject)}`));
      assert.deepEqual(history.entries, []);
      assert.equal(history.erasure.seq, status.erasure.seq);
    }
    for (const purpose of ['email-newsletter', 'sms-newsletter']) {
      const audience = JSON.stringify(await json(await ledger.staff(`/v1/staff/audience?purpose=${purpose}`)));
      assert.ok(!audience.includes(anna.customerId));
    }
    const proofPage = await (await ledger.staff(`/v1/staff/proof?${query({ email: anna.email })}`)).text();
    assert.match(
      proofPage,
      /The personal data for these details was erased on \S+ \(entry #\d+; The customer asked for erasure\)/,
    );
    const proof = await json(await ledger.staff(`/v1/staff/proof?${query({ email: anna.email })}&format=json`));
    assert.deepEqual(proof.records, []);
    assert.equal(proof.erasure.reason, 'customer-request');

    // Everyone else: the same proof, record for record.
    const benAfter = await json(await ledger.staff(`/v1/staff/proof?${query({ email: ben.email })}&format=json`));
    assert.deepEqual(benAfter.records, benProof.records);
    assert.deepEqual(await json(await ledger.staff(`/v1/staff/history?${query({ email: ben.email })}`)), benHistory);

    // The chain: her entries keep their place and hash, the erasure says who, when and why.
    const { entries } = (await json(await ledger.staff('/v1/staff/entries'))) as { entries: ChainEntry[] };
    const erasure = entries.at(-1)!;
    assert.equal(erasure.event.method, 'erasure');
    assert.deepEqual(
      { staff: (erasure.event as { staff: unknown }).staff, reason: (erasure.event as { reason: string }).reason },
      { staff: { name: 'Lea' }, reason: 'customer-request' },
    );
    for (const value of [...annaValues, anna.phone.replace(/\D/g, '').slice(-7)]) {
      assert.ok(!JSON.stringify(entries).includes(value), `${value} is not in the export`);
    }
    const erasedEntries = entries.filter((entry) => 'erased' in entry);
    assert.equal(erasedEntries.length, 3);
    assert.ok(erasedEntries.every((entry) => !('subject' in entry.event)));
    await ledger.close();

    // Their keys are gone for good: zeros in the key file; the others' keys are there. Only the ledger's user reads it.
    assert.equal((await stat(join(dataDir, RECORD_KEYS_FILE_NAME))).mode & 0o777, 0o600);
    const keys = await readFile(join(dataDir, RECORD_KEYS_FILE_NAME));
    const slot = (seq: number) => keys.subarray(seq * 32, seq * 32 + 32);
    for (const entry of erasedEntries) assert.ok(slot(entry.seq).every((byte) => byte === 0));
    assert.ok(
      entries
        .filter((entry) => !('erased' in entry) && entry.event.method !== 'erasure')
        .every((entry) => slot(entry.seq).some(Boolean)),
    );
    for (const value of annaValues) assert.ok(!(await storeBytes(dataDir)).includes(value));

    const verified = cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`);
    assert.equal(verified.code, 0, verified.output);
    assert.match(verified.output, /hash chain intact/);
    assert.match(verified.output, /signed checkpoints hold/);

    // After a restart: still erased; Ben still readable.
    ledger = await startLedger({}, { dataDir, store: { signer } });
    try {
      const status = await json(await ledger.staff(`/v1/staff/status?${query({ email: anna.email })}`));
      assert.equal(status.erasure.reason, 'customer-request');
      const benStatus = await json(await ledger.staff(`/v1/staff/status?${query({ email: ben.email })}`));
      assert.deepEqual(benStatus.linked.emails, [ben.email]);

      // She books again: a new history, unrelated to the erased one.
      const again = consentEvent({ subject: { email: anna.email } });
      assert.equal((await ledger.post('/v1/consent-events', again, { origin: PAGE_ORIGIN })).status, 201);
      const fresh = await json(await ledger.staff(`/v1/staff/status?${query({ email: anna.email })}`));
      assert.equal(fresh.erasure, undefined);
      assert.deepEqual(fresh.linked, { customerIds: [], emails: [anna.email], phones: [] });
      assert.equal(fresh.purposes.find((p: { purpose: string }) => p.purpose === 'email-newsletter').state, 'granted');
      const history = await json(await ledger.staff(`/v1/staff/history?${query({ email: anna.email })}`));
      assert.deepEqual(
        history.entries.map((entry: ChainEntry) => entry.event.id),
        [again.id],
      );
    } finally {
      await ledger.close();
    }
  });

  it('on PostgreSQL too: erased everywhere, the values in no table, the chain intact, still erased after a restart', async () => {
    const databaseUrl = await freshDatabase();
    let ledger = await startLedger({}, { databaseUrl });
    const anna = await bookCustomer(ledger, 'anna');
    const ben = await bookCustomer(ledger, 'ben');
    const benProof = await json(await ledger.staff(`/v1/staff/proof?${query({ email: ben.email })}&format=json`));
    assert.equal((await erase(ledger, { phone: anna.phone })).status, 201);
    const text = await databaseText(databaseUrl);
    for (const value of [anna.email, anna.customerId, anna.bookingRef, anna.evidence, anna.reason]) {
      assert.ok(!text.includes(value), `${value} is in no table`);
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const keys = await client.query(
      'SELECT count(*) AS n FROM ledger_record_keys WHERE erased_by IS NOT NULL AND key IS NULL',
    );
    await client.end();
    assert.equal(Number(keys.rows[0].n), 3, 'the three records’ keys are gone');
    const verified = await json(await ledger.staff('/v1/staff/verify'));
    assert.equal(verified.intact, true);
    await ledger.close();
    ledger = await startLedger({}, { databaseUrl });
    try {
      const status = await json(await ledger.staff(`/v1/staff/status?${query({ email: anna.email })}`));
      assert.equal(status.erasure.reason, 'customer-request');
      const benAfter = await json(await ledger.staff(`/v1/staff/proof?${query({ email: ben.email })}&format=json`));
      assert.deepEqual(benAfter.records, benProof.records);
    } finally {
      await ledger.close();
    }
  });

  it('status read while an erasure is under way never brings the erased customer back', async () => {
    const ledger = await startLedger();
    try {
      const anna = await bookCustomer(ledger, 'anna');
      let reading = true;
      // Readers hammer the status of another customer, so views are read and rebuilt around the erasure.
      const readers = Array.from({ length: 8 }, async () => {
        while (reading)
          await (await ledger.staff(`/v1/staff/status?${query({ email: 'someone@example.ch' })}`)).arrayBuffer();
      });
      assert.equal((await erase(ledger, { email: anna.email })).status, 201);
      reading = false;
      await Promise.all(readers);
      const status = await json(await ledger.staff(`/v1/staff/status?${query({ email: anna.email })}`));
      assert.equal(status.erasure?.reason, 'customer-request');
      const audience = JSON.stringify(await json(await ledger.staff('/v1/staff/audience?purpose=sms-newsletter')));
      assert.ok(!audience.includes(anna.customerId));
    } finally {
      await ledger.close();
    }
  });

  it('answers clearly when there is nothing to erase, or the request is incomplete, and changes nothing', async () => {
    const ledger = await startLedger();
    try {
      const anna = await bookCustomer(ledger, 'anna');
      const before = await ledger.bytes();
      const unknown = await erase(ledger, { email: `nobody-${token()}@example.ch` });
      assert.equal(unknown.status, 404);
      assert.match((await unknown.json()).error, /nothing is on record/);
      const noReason = await ledger.staff('/v1/staff/erasures', {
        method: 'POST',
        body: JSON.stringify({ subject: { email: anna.email }, staffName: 'Lea' }),
      });
      assert.equal(noReason.status, 400);
      assert.match((await noReason.json()).error, /reason/);
      const noStaff = await fetch(`${ledger.url}/v1/staff/erasures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: { email: anna.email }, staffName: 'Lea', reason: 'customer-request' }),
      });
      assert.equal(noStaff.status, 401);
      assert.deepEqual(await ledger.bytes(), before);

      assert.equal((await erase(ledger, { email: anna.email })).status, 201);
      const twice = await erase(ledger, { phone: anna.phone });
      assert.equal(twice.status, 404);
      assert.match((await twice.json()).error, /erased already, on \S+ \(entry \d+\)/);
    } finally {
      await ledger.close();
    }
  });

  it('a ledger from before sealing still verifies and reads; its clear-text entries cannot be erased, and nothing changes', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'erasure-legacy-'));
    const email = `old-${token()}@example.ch`;
    // An entry as the ledger wrote it before sealing: the whole record in the chained line.
    const entry = {
      seq: 1,
      receivedAt: new Date().toISOString(),
      event: consentEvent({ subject: { email } }),
      flags: [],
    };
    const line = JSON.stringify({ ...entry, prevHash: GENESIS_HASH, hash: entryHash(GENESIS_HASH, entry) });
    await writeFile(join(dataDir, LEDGER_FILE_NAME), `${line}\n`);
    assert.equal(cli('verify', '--data', dataDir).code, 0);
    const ledger = await startLedger({}, { dataDir });
    try {
      assert.deepEqual((await json(await ledger.staff(`/v1/staff/status?${query({ email })}`))).linked.emails, [email]);
      const before = await ledger.bytes();
      const refused = await erase(ledger, { email });
      assert.equal(refused.status, 409);
      assert.match((await refused.json()).error, /written before personal data was sealed/);
      assert.deepEqual(await ledger.bytes(), before);
      // What it writes from now on is sealed.
      const newer = `new-${token()}@example.ch`;
      const response = await ledger.post('/v1/consent-events', consentEvent({ subject: { email: newer } }), {
        origin: PAGE_ORIGIN,
      });
      assert.equal(response.status, 201);
      assert.ok(!(await storeBytes(dataDir)).includes(newer));
    } finally {
      await ledger.close();
    }
    assert.equal(cli('verify', '--data', dataDir).code, 0);
  });

  it('a crash between recording the erasure and destroying the keys is finished at the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'erasure-crash-'));
    const store = await JsonlLedgerStore.open(dataDir);
    const email = `anna-${token()}@example.ch`;
    const anna = await store.append(consentEvent({ subject: { email } }));
    const ben = await store.append(consentEvent());
    // What a kill -9 right after the erasure was acknowledged leaves: the erasure in the chain, the key still there.
    await store.append({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      method: 'erasure',
      reason: 'customer-request',
      staff: { name: 'Lea' },
      erasedSeqs: [anna.entry.seq],
    } as never);
    await store.close();
    const slot = async (seq: number) =>
      (await readFile(join(dataDir, RECORD_KEYS_FILE_NAME))).subarray(seq * 32, seq * 32 + 32);
    assert.ok((await slot(anna.entry.seq)).some(Boolean), 'the key survived the crash');

    const reopened = await JsonlLedgerStore.open(dataDir);
    try {
      assert.ok(
        (await slot(anna.entry.seq)).every((byte) => byte === 0),
        'and is gone once the ledger started',
      );
      const entries = await reopened.entries();
      assert.ok('erased' in entries[0]!);
      assert.ok(!JSON.stringify(entries).includes(email));
      assert.deepEqual(entries[1]!.event, ben.entry.event);
    } finally {
      await reopened.close();
    }
  });

  it('kill -9 at any moment of an erasure loses no record and leaves nothing readable that was erased', async (t) => {
    const { keyFile } = await checkpointKey();
    const outcomes = { answered: 0, recordedUnanswered: 0, notRecorded: 0 };
    const dataDir = await mkdtemp(join(tmpdir(), 'erasure-kill-'));
    const headers = { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' };
    const trials = 12;
    for (let trial = 0; trial < trials; trial += 1) {
      const { child, url } = await startCli(dataDir, '--key', keyFile, '--origin', PAGE_ORIGIN);
      const email = `kill-${trial}-${token()}@example.ch`;
      const customerId = `K-kill-${trial}-${token()}`;
      for (const subject of [{ email, customerId }, { email }]) {
        const event = consentEvent({ subject });
        const response = await fetch(`${url}/v1/consent-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify(event),
        });
        assert.equal(response.status, 201);
      }
      const before = ((await (await fetch(`${url}/v1/staff/entries`, { headers })).json()) as { entries: ChainEntry[] })
        .entries.length;
      let acknowledged = false;
      const request = fetch(`${url}/v1/staff/erasures`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ subject: { email }, staffName: 'Lea', reason: 'customer-request' }),
      }).then(
        (response) => (acknowledged = response.status === 201),
        () => undefined,
      );
      // From before the request arrives to after it is answered: every moment of the erasure is hit by some trial.
      await new Promise((resolve) => setTimeout(resolve, trial % 4 === 0 ? 0 : (trial * 3) % 25));
      await killHard(child);
      await request;

      const restarted = await startCli(dataDir, '--key', keyFile, '--origin', PAGE_ORIGIN);
      try {
        const { entries } = (await (await fetch(`${restarted.url}/v1/staff/entries`, { headers })).json()) as {
          entries: ChainEntry[];
        };
        const erasureRecorded = entries.slice(before).some((entry) => entry.event.method === 'erasure');
        assert.ok(entries.length >= before, `trial ${trial}: ${before - entries.length} records lost`);
        if (acknowledged) assert.ok(erasureRecorded, `trial ${trial}: an acknowledged erasure was lost`);
        outcomes[acknowledged ? 'answered' : erasureRecorded ? 'recordedUnanswered' : 'notRecorded'] += 1;
        const status = await (
          await fetch(`${restarted.url}/v1/staff/status?${query({ customerId })}`, { headers })
        ).json();
        if (erasureRecorded) {
          assert.ok(status.erasure, `trial ${trial}: the erasure is in the chain, the customer is not erased`);
          assert.ok(!JSON.stringify(entries).includes(email), `trial ${trial}: erased data readable after restart`);
        } else {
          assert.deepEqual(status.linked.emails, [email], `trial ${trial}: not erased, so all of it is still there`);
        }
      } finally {
        await killHard(restarted.child);
      }
    }
    // Where the kills landed: before the erasure was recorded, after it was recorded but before the answer, after the answer.
    t.diagnostic(`kill -9 outcomes over ${trials} trials: ${JSON.stringify(outcomes)}`);
    const verified = cli('verify', '--data', dataDir, '--public-key', `${keyFile}.pub`);
    assert.equal(verified.code, 0, verified.output);
  });
});

describe('retention', () => {
  const DAY = 86_400_000;

  it('erases lapsed sign-ups and customers inactive for the period; the dry run lists exactly what the real run erases', async () => {
    const mail = await startMailbox();
    let now = Date.parse('2023-01-10T10:00:00Z');
    const ledger = await startLedger(
      {
        confirmation: {},
        mail: { smtp: mail.url, from: 'Salon Bella <hallo@salon-bella.example>' },
        now: () => now,
        retention: false,
      },
      { store: { now: () => new Date(now) } },
    );
    try {
      const id = token();
      const unconfirmed = `late-${id}@example.ch`;
      await ledger.post('/v1/consent-events', consentEvent({ subject: { email: unconfirmed } }), {
        origin: PAGE_ORIGIN,
      });
      await mail.waitFor(1);
      const withdrawn = `K-withdrawn-${id}`;
      const active = `K-active-${id}`;
      const refused = `K-refused-${id}`;
      for (const customerId of [withdrawn, active]) {
        await json(
          await ledger.staff('/v1/staff/grants', {
            method: 'POST',
            body: JSON.stringify({
              subject: { customerId, phone: uniquePhone() },
              purposes: ['sms-newsletter'],
              staffName: 'Lea',
              evidence: 'Formular, Ordner 1',
              customerAgreed: true,
            }),
          }),
        );
      }
      await json(
        await ledger.staff('/v1/staff/withdrawals', {
          method: 'POST',
          body: JSON.stringify({ subject: { customerId: withdrawn }, purposes: ['sms-newsletter'], staffName: 'Lea' }),
        }),
      );
      // Known to the ledger, never granted anything: an objection noted by staff.
      await json(
        await ledger.staff('/v1/staff/withdrawals', {
          method: 'POST',
          body: JSON.stringify({ subject: { customerId: refused }, purposes: ['email-newsletter'], staffName: 'Lea' }),
        }),
      );
      // The mail record is written once the mail went out.
      for (
        let i = 0;
        i < 100 && !JSON.stringify(await json(await ledger.staff('/v1/staff/entries'))).includes('confirmation-mail');
        i += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      const run = async (dryRun: boolean) =>
        (await json(await ledger.staff('/v1/staff/retention', { method: 'POST', body: JSON.stringify({ dryRun }) })))
          .erasures as { reason: string; seqs: number[]; identifiers: string[] }[];
      const summary = (plans: Awaited<ReturnType<typeof run>>) =>
        plans.map((plan) => ({ reason: plan.reason, seqs: plan.seqs, who: plan.identifiers.sort().join(' ') }));

      assert.deepEqual(await run(true), [], 'nothing is due on the first day');

      now += 15 * DAY; // the sign-up lapsed (14 days)
      const lapsedPlan = await run(true);
      assert.deepEqual(
        summary(lapsedPlan).map(({ reason, who }) => ({ reason, who })),
        [{ reason: 'unconfirmed-sign-up', who: `email:${unconfirmed}` }],
      );
      assert.equal(lapsedPlan[0]!.seqs.length, 2, 'the sign-up and its confirmation mail');
      const bytesAfterDryRun = await ledger.bytes();
      assert.deepEqual(summary(await run(false)), summary(lapsedPlan), 'the real run erases what the dry run listed');
      assert.ok((await ledger.bytes()).length > bytesAfterDryRun.length);
      const late = await json(await ledger.staff(`/v1/staff/status?${query({ email: unconfirmed })}`));
      assert.deepEqual(late.linked.emails, [], 'nothing on record any more');
      assert.equal(late.erasure, undefined, 'retention keeps no trace of who it forgot');

      now += 3 * 365.25 * DAY; // three years after the last records
      const inactivePlan = await run(true);
      assert.deepEqual(
        summary(inactivePlan)
          .map(({ reason, who }) => ({ reason, who: who.split(' ')[0]! }))
          .sort((a, b) => a.who.localeCompare(b.who)),
        [
          { reason: 'retention-period', who: `customer:${refused}` },
          { reason: 'retention-period', who: `customer:${withdrawn}` },
        ],
        'the withdrawn customer and the one who never granted; not the active one',
      );
      assert.deepEqual(summary(await run(false)), summary(inactivePlan));
      assert.deepEqual(await run(true), [], 'nothing left to erase');
      const stillActive = await json(await ledger.staff(`/v1/staff/status?${query({ customerId: active })}`));
      assert.equal(
        stillActive.purposes.find((p: { purpose: string }) => p.purpose === 'sms-newsletter').state,
        'granted',
      );
      const verified = cli('verify', '--data', ledger.dataDir);
      assert.equal(verified.code, 0, verified.output);
    } finally {
      await ledger.close();
      await mail.close();
    }
  });

  it('runs on its schedule without anyone asking', async () => {
    let now = Date.now();
    const ledger = await startLedger(
      { now: () => now, retention: { inactiveYears: 1, intervalHours: 0.05 / 3600 } },
      { store: { now: () => new Date(now) } },
    );
    try {
      const customerId = `K-${token()}`;
      await json(
        await ledger.staff('/v1/staff/withdrawals', {
          method: 'POST',
          body: JSON.stringify({ subject: { customerId }, purposes: ['sms-newsletter'], staffName: 'Lea' }),
        }),
      );
      now += 366 * DAY;
      let linked: string[] = [customerId];
      for (let i = 0; i < 100 && linked.length > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        linked = (await json(await ledger.staff(`/v1/staff/status?${query({ customerId })}`))).linked.customerIds;
      }
      assert.deepEqual(linked, [], 'erased by the schedule');
    } finally {
      await ledger.close();
    }
  });

  it('the CLI lists and erases on a stopped ledger, refuses a running one, and asks a running one with --url', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'retention-cli-'));
    const fourYearsAgo = Date.now() - 4 * 365.25 * DAY;
    const store = await JsonlLedgerStore.open(dataDir, { now: () => new Date(fourYearsAgo) });
    const email = `old-${token()}@example.ch`;
    await store.append({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      subject: { email },
      purposes: [{ purpose: 'email-newsletter', granted: false }],
      method: 'staff',
      staff: { name: 'Lea' },
    });
    await store.close();
    const files = await storeBytes(dataDir, { index: false });

    const dry = cli('retention', '--data', dataDir, '--dry-run');
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.stdout, new RegExp(`would erase retention-period: email:${email} — entries 1 \\(due since `));
    assert.match(dry.stdout, /dry run: would erase the personal data of 1 customer in 1 entry/);
    assert.equal(await storeBytes(dataDir, { index: false }), files, 'a dry run writes nothing');

    const { child, url } = await startCli(dataDir, '--no-retention');
    try {
      const refused = cli('retention', '--data', dataDir, '--dry-run');
      assert.equal(refused.code, 1);
      assert.match(refused.output, /in use by process \d+.*\n.*use --url/);
      const asked = spawnSync(process.execPath, [CLI, 'retention', '--url', url, '--dry-run'], {
        encoding: 'utf8',
        env: { ...process.env, MARKETING_CONSENT_STAFF_TOKEN: STAFF_TOKEN },
      });
      assert.equal(asked.status, 0, asked.stderr);
      assert.equal(asked.stdout, dry.stdout);
    } finally {
      await killHard(child);
    }

    const real = cli('retention', '--data', dataDir);
    assert.equal(real.code, 0, real.output);
    assert.match(real.stdout, new RegExp(`erased retention-period: email:${email} — entries 1`));
    assert.ok(!(await storeBytes(dataDir)).includes(email));
    assert.equal(
      cli('retention', '--data', dataDir, '--dry-run').stdout.trim(),
      'dry run: would erase the personal data of 0 customers in 0 entries',
    );
    assert.equal(cli('verify', '--data', dataDir).code, 0);
  });
});
