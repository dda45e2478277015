/**
 * Record ids derived from what makes a record unique. Requests that race to
 * record the same thing (twenty one-click unsubscribes of one link, a
 * double-clicked confirmation, two staff members erasing one customer, two
 * processes on one database) make the same id, and the store keeps only the
 * first: events are idempotent by id, atomically, in both stores. Ids are
 * public and outlive erasure, so the parts name customers only by their
 * keyed identifier digests, never by an address.
 */
import { createHash } from 'node:crypto';

/** A UUID (version 8, RFC 9562) from the SHA-256 of the parts. */
export function derivedId(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
