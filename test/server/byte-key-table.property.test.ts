/**
 * The file store's hash table for digests and event ids answers exactly as
 * a Map would, through inserts, overwrites, deletes and growth, including
 * keys that collide in their first word (the hash) and so share a run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ByteKeyTable } from '../../src/server/store/byte-key-table.js';

const KEY_BYTES = 12;

/** Keys from a small pool, many sharing their first word, so runs form and deletions must shift them back. */
const key = fc
  .tuple(fc.nat(7), fc.nat(40))
  .map(([first, rest]) => Buffer.from([first, 0, 0, 0, rest, 1, 2, 3, 4, 5, 6, rest % 3]));

const operation = fc.oneof(
  fc.record({ set: key, value: fc.integer({ min: 0, max: 1_000_000 }) }),
  fc.record({ delete: key }),
  fc.record({ get: key }),
);

describe('ByteKeyTable (property-based, against a Map)', () => {
  it('every get answers as a Map does, after any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        const table = new ByteKeyTable(KEY_BYTES, 4);
        const reference = new Map<string, number>();
        for (const op of operations) {
          if ('set' in op) {
            table.set(op.set, 0, op.value);
            reference.set(op.set.toString('hex'), op.value);
          } else if ('delete' in op) {
            table.delete(op.delete);
            reference.delete(op.delete.toString('hex'));
          } else {
            assert.equal(table.get(op.get), reference.get(op.get.toString('hex')) ?? -1);
          }
        }
        assert.equal(table.size, reference.size);
        for (const [hex, value] of reference) assert.equal(table.get(Buffer.from(hex, 'hex')), value);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a key at an offset inside a larger buffer', () => {
    const table = new ByteKeyTable(KEY_BYTES);
    const buffer = Buffer.alloc(40);
    Buffer.from('0123456789ab').copy(buffer, 20);
    table.set(buffer, 20, 42);
    assert.equal(table.get(Buffer.from('0123456789ab')), 42);
    assert.equal(table.get(buffer, 0), -1);
  });
});
