/**
 * The hash covers exactly the bytes stored for an entry, on both stores: a
 * field added in clear to a sealed record, a key beside the entry, a row
 * edited in the database — anything that was not written by the ledger
 * breaks the chain at that entry, for `verify` and for the start-up alike.
 * Tried as someone with write access to the data folder or the database would.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import type { LedgerRecord } from '../../src/contract/ledger-records.js';
import { CheckpointSigner, generateCheckpointKey } from '../../src/server/integrity/checkpoint.js';
import { JsonlLedgerStore, LEDGER_FILE_NAME } from '../../src/server/store/file/jsonl-ledger-store.js';
import type { LedgerStore } from '../../src/server/store/ledger-store.js';
import { PostgresLedgerStore } from '../../src/server/store/postgres/postgres-ledger-store.js';
import { verifyLedger } from '../../src/server/integrity/verify-ledger.js';
import { cli } from './cli-fixture.js';
import { consentEvent, startLedger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(stopPostgres);

/** What the operator had: ten online consents, a staff grant and a staff withdrawal. */
function records(): LedgerRecord[] {
  const staffGrant = consentEvent({
    method: 'staff',
    staff: { name: 'Mia Keller', evidence: 'Signed form of 3 Dec, folder 12' },
  } as never);
  const staffWithdrawal = {
    schemaVersion: 1,
    id: crypto.randomUUID(),
    subject: staffGrant.subject,
    purposes: [{ purpose: 'email-newsletter', granted: false }],
    clientTime: new Date().toISOString(),
    method: 'staff',
    staff: { name: 'Mia Keller' },
  } as LedgerRecord;
  return [...Array.from({ length: 10 }, () => consentEvent()), staffGrant, staffWithdrawal] as LedgerRecord[];
}

/** A store's place: what it holds as stored, a way to change one stored entry, and its start-up. */
interface Place {
  name: string;
  lines(): Promise<string[]>;
  /** Replaces the stored form of entry `seq` (1-based) as someone with access to the files or the database would. */
  replace(seq: number, stored: string): Promise<void>;
  open(): Promise<LedgerStore>;
  /** `marketing-consent-ledger verify` on it: exit code and output. */
  verify(): { code: number | null; output: string };
  /** A copy to spoil (JSONL); the database is put back by the caller. */
  copy(): Promise<Place>;
}

/** A file store: the twelve records, or (`minBytes`) as many more as make it that big, with a signing key or without. */
async function jsonlPlace(setup: { signer?: CheckpointSigner; minBytes?: number; dir?: string } = {}): Promise<Place> {
  const { signer, minBytes = 0 } = setup;
  const data = setup.dir ?? (await mkdtemp(join(tmpdir(), 'stored-bytes-')));
  const file = join(data, LEDGER_FILE_NAME);
  if (!setup.dir) {
    const store = await JsonlLedgerStore.open(data, { signer });
    for (const record of records()) await store.append(record);
    while ((await stat(file)).size < minBytes) {
      await Promise.all(Array.from({ length: 200 }, () => store.append(consentEvent())));
    }
    await store.close();
  }
  const lines = async () => (await readFile(file, 'utf8')).split('\n').slice(0, -1);
  return {
    name: 'file store',
    lines,
    replace: async (seq, stored) => {
      const all = await lines();
      all[seq - 1] = stored;
      await writeFile(file, `${all.join('\n')}\n`);
    },
    open: () => JsonlLedgerStore.open(data, { signer }),
    verify: () => cli('verify', '--data', data),
    copy: async () => {
      const copy = await mkdtemp(join(tmpdir(), 'stored-bytes-copy-'));
      for (const name of await readdir(data)) await copyFile(join(data, name), join(copy, name));
      return jsonlPlace({ ...setup, dir: copy });
    },
  };
}

async function postgresPlace(): Promise<Place> {
  const url = await freshDatabase();
  const store = await PostgresLedgerStore.open({ connectionString: url });
  for (const record of records()) await store.append(record);
  await store.close();
  const query = async (sql: string, values: unknown[]) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as { stored: string }[];
    } finally {
      await client.end();
    }
  };
  const place: Place = {
    name: 'PostgreSQL store',
    lines: async () => (await query('SELECT stored FROM ledger_entries ORDER BY seq', [])).map((row) => row.stored),
    replace: async (seq, stored) => {
      await query('UPDATE ledger_entries SET stored = $2 WHERE seq = $1', [seq, stored]);
    },
    open: () => PostgresLedgerStore.open({ connectionString: url }),
    verify: () => cli('verify', '--database-url', url),
    copy: async () => place,
  };
  return place;
}

/** The place with entry `seq` edited by `edit`, its start-up and verify run, and the original put back. */
async function tryEdit(place: Place, seq: number, edit: (stored: string) => string, { withCli = false } = {}) {
  const target = await place.copy();
  const original = (await target.lines())[seq - 1]!;
  const edited = edit(original);
  assert.notEqual(edited, original, 'the edit changes the stored entry');
  await target.replace(seq, edited);
  try {
    const report = verifyLedger(await target.lines());
    let startError: Error | undefined;
    await target.open().then(
      (store) => store.close(),
      (error: Error) => (startError = error),
    );
    return { report, startError, verified: withCli ? target.verify() : undefined };
  } finally {
    if (target === place) await target.replace(seq, original);
  }
}

/** A stored entry with `change` applied to its parsed JSON, written back as JSON.stringify writes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an entry edited by hand, any field of it
type Edited = Record<string, any>;
const withJson = (change: (entry: Edited) => void) => (stored: string) => {
  const entry = JSON.parse(stored) as Edited;
  change(entry);
  return JSON.stringify(entry);
};

const signer = (() => {
  const { privateKeyPem } = generateCheckpointKey('salon-bella.example/consent-ledger');
  return new CheckpointSigner('salon-bella.example/consent-ledger', privateKeyPem);
})();

const PLACES: [string, () => Promise<Place>, number][] = [
  ['file store', () => jsonlPlace(), 120],
  ['PostgreSQL store', postgresPlace, 30],
  // Over 1 MiB with a key: start-up reads only what its MAC'd index files do not vouch for.
  ['file store over 1 MiB with a signing key', () => jsonlPlace({ signer, minBytes: 1.3 * 2 ** 20 }), 40],
];

for (const [placeName, makePlace, runs] of PLACES) {
  describe(`every stored byte is hashed: ${placeName}`, () => {
    let place: Place;
    const placeReady = makePlace().then((made) => (place = made));

    const attacks: [string, number, (stored: string) => string][] = [
      [
        '"bookingRef":"B-FORGED" added to an online consent’s public event',
        4,
        withJson((e) => (e.event.bookingRef = 'B-FORGED')),
      ],
      [
        'a reason and staff evidence added to a staff withdrawal',
        12,
        withJson((e) => {
          e.event.reason = 'Kundin wünscht keine Post';
          e.event.staff.evidence = 'Signed form, folder 12';
        }),
      ],
      ['a key added beside the entry', 7, withJson((e) => (e.note = 'checked'))],
      ['a field of the public event removed', 3, withJson((e) => delete e.event.clientTime)],
      [
        'the same JSON with its keys in another order',
        5,
        (s) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(s)).reverse())),
      ],
      ['a space between two fields', 9, (s) => s.replace('","', '", "')],
      ['a grant turned into a refusal', 2, (s) => s.replace('"granted":true', '"granted":false')],
    ];

    for (const [attack, seq, edit] of attacks) {
      it(`${attack}: verify and the start-up both refuse, naming entry ${seq}`, async () => {
        await placeReady;
        const { report, startError, verified } = await tryEdit(place, seq, edit, { withCli: true });
        assert.equal(report.intact, false);
        assert.match(report.problems[0]!, new RegExp(`BROKEN at entry ${seq}\\b`));
        assert.ok(startError, 'the ledger started on an edited entry');
        assert.match(startError.message, new RegExp(`(entry|line) ${seq}\\b`));
        assert.equal(verified?.code, 1, verified?.output);
        assert.match(verified.output, new RegExp(`BROKEN at entry ${seq}\\b`));
      });
    }

    it('any changed byte or field of any stored entry, or one added anywhere, is refused by verify and at start-up (property-based)', async () => {
      await placeReady;
      const lines = await place.lines();
      /** One change to a stored entry: a byte replaced, or a field added, removed or changed at any depth. */
      const byteChange = fc
        .record({ at: fc.nat(), char: fc.integer({ min: 0x20, max: 0x7e }) })
        .map(({ at, char }) => (stored: string) => {
          const i = at % stored.length;
          const replacement = String.fromCharCode(
            char === stored.charCodeAt(i) ? (char === 0x7e ? 0x20 : char + 1) : char,
          );
          return stored.slice(0, i) + replacement + stored.slice(i + 1);
        });
      const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
      const name = fc.oneof(
        fc.constantFrom('bookingRef', 'reason', 'evidence', 'subject', 'granted', 'sealed', 'mac', 'hash', 'note'),
        fc.string({ minLength: 1, maxLength: 8 }),
      );
      const fieldChange = fc
        .record({ pick: fc.nat(), kind: fc.constantFrom('add', 'remove', 'change'), name, value })
        .map(({ pick, kind, name: key, value: newValue }) =>
          withJson((entry) => {
            // Every object in the entry, the entry itself included.
            const objects: Record<string, unknown>[] = [];
            const walk = (node: unknown) => {
              if (node && typeof node === 'object') {
                if (!Array.isArray(node)) objects.push(node as Record<string, unknown>);
                for (const child of Object.values(node)) walk(child);
              }
            };
            walk(entry);
            const target = objects[pick % objects.length]!;
            const keys = Object.keys(target);
            const existing = keys[pick % Math.max(1, keys.length)];
            if (kind === 'add' || !existing) target[key in target ? `${key}_` : key] = newValue;
            else if (kind === 'remove') delete target[existing];
            else
              target[existing] = JSON.stringify(target[existing]) === JSON.stringify(newValue) ? [newValue] : newValue;
          }),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: lines.length }),
          fc.oneof(byteChange, fieldChange),
          async (seq, edit) => {
            const { report, startError } = await tryEdit(place, seq, edit);
            assert.equal(report.intact, false, 'verify passed an edited entry');
            assert.ok(startError, 'the ledger started on an edited entry');
          },
        ),
        { numRuns: runs, seed: 24 },
      );
    });
  });
}

describe('a running ledger’s verify endpoint reads every stored byte', () => {
  it('a field added to a row of a running PostgreSQL ledger is reported at that entry (it answered "intact")', async () => {
    const databaseUrl = await freshDatabase();
    const ledger = await startLedger({}, { databaseUrl });
    try {
      for (let i = 0; i < 5; i += 1)
        assert.equal((await ledger.post('/v1/consent-events', consentEvent())).status, 201);
      assert.equal((await (await ledger.staff('/v1/staff/verify')).json()).intact, true);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const [row] = (await client.query('SELECT stored FROM ledger_entries WHERE seq = 3')).rows as {
        stored: string;
      }[];
      const edited = JSON.parse(row!.stored) as { event: Record<string, unknown> };
      edited.event['bookingRef'] = 'B-FORGED';
      await client.query('UPDATE ledger_entries SET stored = $1 WHERE seq = 3', [JSON.stringify(edited)]);
      await client.end();
      const report = await (await ledger.staff('/v1/staff/verify')).json();
      assert.equal(report.intact, false);
      assert.match(report.problems[0], /BROKEN at entry 3 /);
    } finally {
      await ledger.close();
    }
  });
});
