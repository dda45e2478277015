/**
 * One behaviour suite for every store: the JSONL file and PostgreSQL (a real
 * server: DATABASE_URL, or an embedded one). What the ledger promises does
 * not depend on where it keeps its entries.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CheckpointSigner, generateCheckpointKey, openCheckpoint } from '../../src/server/integrity/checkpoint.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../src/contract/vocabulary.js';
import { isRecord, type ErasureRecord } from '../../src/contract/ledger-records.js';
import fc from 'fast-check';
import { AddressBook } from '../../src/server/consent/addresses.js';
import { identifiersOf, viewOfEntries } from '../../src/server/app/ledger-context.js';
import { findChainBreak } from '../../src/server/integrity/hash-chain.js';
import { JsonlLedgerStore } from '../../src/server/store/file/jsonl-ledger-store.js';
import type { LedgerStore } from '../../src/server/store/ledger-store.js';
import { PostgresLedgerStore } from '../../src/server/store/postgres/postgres-ledger-store.js';
import { consentEvent } from './ledger-fixture.js';
import { databaseText, freshDatabase, stopPostgres } from './postgres-fixture.js';

interface StoreOptions {
  signer?: CheckpointSigner;
}

/** A place for a store: open it (again), and every byte it keeps there, as text. */
interface StorePlace {
  open(options?: StoreOptions): Promise<LedgerStore & { lastCheckpoint: string | undefined }>;
  bytes(): Promise<string>;
}

const PLACES: Record<string, () => Promise<StorePlace>> = {
  jsonl: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-suite-'));
    return {
      open: (options = {}) => JsonlLedgerStore.open(dir, options),
      bytes: async () =>
        (await Promise.all((await readdir(dir)).map((name) => readFile(join(dir, name), 'latin1')))).join('\n'),
    };
  },
  postgres: async () => {
    const url = await freshDatabase();
    return {
      open: (options = {}) => PostgresLedgerStore.open({ connectionString: url, ...options }),
      bytes: () => databaseText(url),
    };
  },
};

const signer = () => {
  const key = generateCheckpointKey('salon-bella.example/consent');
  return new CheckpointSigner('salon-bella.example/consent', key.privateKeyPem);
};

const erasureOf = (seqs: number[]): ErasureRecord => ({
  schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
  id: crypto.randomUUID(),
  method: 'erasure',
  reason: 'customer-request',
  staff: { name: 'Lea' },
  erasedSeqs: seqs,
});

after(stopPostgres);

/** Identifiers shared among a few people, so records link into customers and customers merge. */
const indexStep = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      names: fc.record({ email: fc.option(fc.nat(4)), phone: fc.option(fc.nat(3)), customerId: fc.option(fc.nat(2)) }),
      passIdentifiers: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ erase: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 2 }) }) },
);

function subjectOf(names: { email: number | null; phone: number | null; customerId: number | null }) {
  const subject = {
    ...(names.email !== null ? { email: `person${names.email}@example.ch` } : {}),
    ...(names.phone !== null ? { phone: `+41 79 000 00 0${names.phone}` } : {}),
    ...(names.customerId !== null ? { customerId: `K-${names.customerId}` } : {}),
  };
  return Object.keys(subject).length ? subject : { email: 'nobody-else@example.ch' };
}

const addresses = new AddressBook('CH');
const identify = identifiersOf(addresses);

/**
 * The store's index against the reference: a ConsentView of every entry.
 * Every identifier finds the same entries, and the store's customers are the view's.
 */
async function sameCustomersAsWholeView(store: LedgerStore): Promise<void> {
  const whole = viewOfEntries(await store.entries(), store, addresses, {});
  const keys = new Set([...whole.customers()].flatMap((customer) => [...customer.keys]));
  for (const key of keys) {
    const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const query = kind === 'email' ? { email: value } : kind === 'phone' ? { phone: value } : { customerId: value };
    const found = (await store.customerEntries(addresses.keysOf(query))).filter(isRecord).map((entry) => entry.seq);
    assert.deepEqual(
      found,
      whole.history(query).map((entry) => entry.seq),
      `the customer of ${key}`,
    );
  }
  const fromStore: string[] = [];
  for await (const entries of store.customers()) fromStore.push(entries.map((entry) => entry.seq).join(','));
  const fromView = [...whole.customers()].map((customer) => customer.entries.map((entry) => entry.seq).join(','));
  assert.deepEqual(fromStore.sort(), fromView.sort(), 'the same customers, one at a time');
}

for (const [name, place] of Object.entries(PLACES)) {
  describe(`the ${name} store`, () => {
    it('numbers and chains entries; the same record again is a repeat, another under the same id a conflict', async () => {
      const store = await (await place()).open();
      try {
        const first = consentEvent();
        const created = await store.append(first);
        assert.equal(created.kind, 'created');
        assert.equal(created.entry.seq, 1);
        assert.equal((await store.append(consentEvent())).entry.seq, 2);
        const repeat = await store.append(structuredClone(first));
        assert.deepEqual([repeat.kind, repeat.entry.seq], ['repeat', 1]);
        const conflict = await store.append({ ...first, bookingRef: 'another booking' });
        assert.deepEqual([conflict.kind, conflict.entry.seq], ['conflict', 1]);
        const entries = await store.entries();
        assert.equal(entries.length, 2);
        assert.equal(findChainBreak(entries), undefined);
        assert.deepEqual(entries[0]!.event, first);
      } finally {
        await store.close();
      }
    });

    it('keeps personal data sealed: no address in clear, yet every record reads whole after a reopen', async () => {
      const where = await place();
      const store = await where.open();
      const email = `anna-${crypto.randomUUID().slice(0, 8)}@example.ch`;
      const event = consentEvent({ subject: { email, customerId: `K-${email}` }, bookingRef: `BK-${email}` });
      await store.append(event);
      await store.close();
      const bytes = await where.bytes();
      assert.ok(bytes.includes('Neuigkeiten von Salon Bella'), 'the text shown stays readable');
      assert.ok(!bytes.includes(email), 'no address, customer id or booking reference in clear');
      const reopened = await where.open();
      try {
        assert.deepEqual((await reopened.entries())[0]!.event, event);
      } finally {
        await reopened.close();
      }
    });

    it('erases by destroying keys: the records read as erased, after a reopen too; the chain holds; the others read whole', async () => {
      const where = await place();
      const store = await where.open();
      const anna = await store.append(consentEvent());
      const ben = await store.append(consentEvent());
      const [erasure] = await store.erase([erasureOf([anna.entry.seq])]);
      assert.equal(erasure!.entry.seq, 3);
      const check = async (s: LedgerStore) => {
        const entries = await s.entries();
        assert.equal(findChainBreak(entries), undefined);
        const erased = entries[0]!;
        assert.ok('erased' in erased, 'the erased record reads as erased');
        assert.deepEqual(erased.erased, { seq: 3, at: erasure!.entry.receivedAt, reason: 'customer-request' });
        assert.ok(!('subject' in erased.event));
        assert.deepEqual(entries[1]!.event, ben.entry.event);
      };
      await check(store);
      await assert.rejects(store.erase([erasureOf([3])]), /not a record that can be erased/);
      assert.equal(store.identifierDigest('email:anna@example.ch'), store.identifierDigest('email:anna@example.ch'));
      const digest = store.identifierDigest('email:anna@example.ch');
      await store.close();
      const reopened = await where.open();
      try {
        await check(reopened);
        assert.equal(reopened.identifierDigest('email:anna@example.ch'), digest, 'the digest secret is kept');
      } finally {
        await reopened.close();
      }
    });

    it('an erasure names only what no earlier erasure took; one with nothing left is answered by the earlier one', async () => {
      const store = await (await place()).open();
      try {
        const a = await store.append(consentEvent());
        const b = await store.append(consentEvent());
        const [first] = await store.erase([erasureOf([a.entry.seq])]);
        const [second] = await store.erase([erasureOf([a.entry.seq, b.entry.seq])]);
        assert.equal(second!.kind, 'created');
        assert.deepEqual((second!.entry.event as ErasureRecord).erasedSeqs, [b.entry.seq]);
        const [third] = await store.erase([erasureOf([a.entry.seq])]);
        assert.deepEqual([third!.kind, third!.entry.seq], ['repeat', first!.entry.seq]);
        assert.equal((await store.entries()).length, 4, 'the third erasure wrote nothing');
      } finally {
        await store.close();
      }
    });

    it('signs a checkpoint that covers each acknowledged entry, and knows the latest after a reopen', async () => {
      const where = await place();
      const key = signer();
      const store = await where.open({ signer: key });
      const outcome = await store.append(consentEvent());
      const opened = openCheckpoint(outcome.checkpoint!, [key.verifierKey]);
      assert.ok(opened.ok);
      assert.deepEqual([opened.checkpoint.size, opened.checkpoint.headHash], [1, outcome.entry.hash]);
      await store.close();
      const reopened = await where.open({ signer: key });
      try {
        assert.equal(reopened.lastCheckpoint, outcome.checkpoint);
      } finally {
        await reopened.close();
      }
    });

    it('lists entries after a sequence number, a page at a time', async () => {
      const store = await (await place()).open();
      try {
        for (let i = 0; i < 5; i += 1) await store.append(consentEvent());
        assert.deepEqual(
          (await store.entries({ afterSeq: 1, limit: 2 })).map((entry) => entry.seq),
          [2, 3],
        );
        assert.deepEqual(
          (await store.entries({ afterSeq: 3 })).map((entry) => entry.seq),
          [4, 5],
        );
      } finally {
        await store.close();
      }
    });

    it('200 appends at once make one gap-free chain, each acknowledged once', async () => {
      const store = await (await place()).open();
      try {
        const outcomes = await Promise.all(Array.from({ length: 200 }, () => store.append(consentEvent())));
        assert.deepEqual(
          outcomes.map((outcome) => outcome.entry.seq).sort((a, b) => a - b),
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        assert.equal(findChainBreak(await store.entries()), undefined);
      } finally {
        await store.close();
      }
    });

    it('finds a customer by any identifier exactly as a view of the whole ledger does, through links, erasures and a reopen (property-based)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(indexStep, { minLength: 1, maxLength: 14 }), async (steps) => {
          const where = await place();
          let store = await where.open();
          await store.index(identify);
          try {
            for (const step of steps) {
              if ('erase' in step) {
                const live = (await store.entries()).filter(isRecord).map((entry) => entry.seq);
                const seqs = live.filter((_, i) => step.erase.includes(i % 4));
                if (seqs.length > 0) await store.erase([erasureOf(seqs)]);
                continue;
              }
              const subject = subjectOf(step.names);
              const event = consentEvent({ subject });
              // The ledger hands the identifiers over; a store also identifies records itself once index() told it how.
              await store.append(event, [], step.passIdentifiers ? identify(event) : undefined);
            }
            await sameCustomersAsWholeView(store);
            await store.close();
            store = await where.open();
            await store.index(identify);
            await sameCustomersAsWholeView(store);
          } finally {
            await store.close();
          }
        }),
        { numRuns: name === 'jsonl' ? 40 : 12 },
      );
    });
  });
}

describe('the postgres store with two writers', () => {
  it('two stores on one database append at once to one salon’s chain without forking it', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([
      PostgresLedgerStore.open({ connectionString: url }),
      PostgresLedgerStore.open({ connectionString: url }),
    ]);
    try {
      const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).append(consentEvent())));
      assert.ok(outcomes.every((outcome) => outcome.kind === 'created'));
      const entries = await a.entries();
      assert.equal(entries.length, 300);
      assert.equal(findChainBreak(entries), undefined);
      assert.deepEqual(await b.entries(), entries);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
