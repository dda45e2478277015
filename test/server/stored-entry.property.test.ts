/**
 * An append puts the stored line together by hand around the public record's
 * JSON (stringified once, for the hash and the line both). Over generated
 * records — any text, quotes, control characters, any script — the line must
 * be exactly what JSON.stringify writes, its hash must be the one `verify`
 * recomputes from the line, and it must open back to the record.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ErasureRecord, LedgerRecord } from '../../src/contract/ledger-records.js';
import { entryHash, findChainBreak } from '../../src/server/integrity/hash-chain.js';
import { PERSONAL_FIELDS, publicPart } from '../../src/server/store/personal-data.js';
import { chainEntry, readStoredEntry } from '../../src/server/store/stored-entry.js';

const text = fc.string({ unit: 'binary', maxLength: 40 });

const consent = fc.record(
  {
    schemaVersion: fc.constant(1),
    id: fc.uuid(),
    subject: fc.record({ email: text, phone: text, customerId: text }, { requiredKeys: [] }),
    purposes: fc.array(fc.record({ purpose: text, granted: fc.boolean() }), { maxLength: 3 }),
    notice: fc.record({ textVersion: text, locale: text, text, sha256: text }),
    clientTime: text,
    method: fc.constantFrom('online-booking', 'staff'),
    source: fc.record({ pageUrl: text, widget: fc.record({ name: text, version: text }) }),
    staff: fc.record({ name: text, evidence: text }, { requiredKeys: ['name'] }),
    bookingRef: text,
    reason: text,
    // What double opt-in records carry: the mail sent and where the sign-up came from.
    mail: fc.record({ to: text, text, sha256: text, messageId: text }, { requiredKeys: [] }),
    smtpReply: text,
    signUpClientAddress: text,
    clientAddress: text,
    userAgent: text,
  },
  { requiredKeys: ['schemaVersion', 'id', 'subject', 'purposes', 'clientTime', 'method'] },
);

const erasure = fc.record({
  schemaVersion: fc.constant(1),
  id: fc.uuid(),
  method: fc.constant('erasure'),
  erasedSeqs: fc.array(fc.nat(), { maxLength: 3 }),
  identifierDigests: fc.array(text, { maxLength: 2 }),
  reason: text,
  clientTime: text,
});

const place = fc.record({
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  receivedAt: text,
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
  flags: fc.array(text, { maxLength: 2 }),
});

describe('the stored line of an entry (property-based)', () => {
  it('is what JSON.stringify writes, hashes as verify recomputes it, and opens back to the record', () => {
    fc.assert(
      fc.property(fc.oneof(consent, erasure), place, (record, where) => {
        // As the ledger receives a record: parsed from JSON.
        const event = JSON.parse(JSON.stringify(record)) as LedgerRecord | ErasureRecord;
        const key = randomBytes(32);
        const { entry, stored } = chainEntry(event, { ...where, flags: where.flags as never, key });
        const line = JSON.parse(stored);
        const { seq, receivedAt, prevHash, flags } = where;
        const sealed = 'sealed' in line ? { sealed: line.sealed } : {};
        const expected = {
          seq,
          receivedAt,
          event: event.method === 'erasure' ? event : publicPart(event),
          flags,
          prevHash,
          hash: entry.hash,
          ...sealed,
        };
        assert.equal(stored, JSON.stringify(expected));
        assert.equal(entryHash(prevHash, line), entry.hash);
        assert.equal(findChainBreak([line], { index: seq - 1, prevHash }), undefined);
        assert.deepEqual(readStoredEntry(line, key, undefined, 'no key'), entry);
        assert.deepEqual(entry.event, event);
        // What stays readable in the chain holds none of the personal fields (an erasure has none: its reason is a category).
        for (const path of event.method === 'erasure' ? [] : PERSONAL_FIELDS) {
          let value: unknown = line.event;
          for (const step of path) value = value && typeof value === 'object' ? (value as never)[step] : undefined;
          assert.equal(value, undefined, `${path.join('.')} is readable in the chain`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
