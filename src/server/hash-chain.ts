/**
 * The ledger's hash chain: each entry's hash covers the previous entry's hash
 * and its own sequence number, receive time, record and flags. Editing, deleting or
 * reordering any entry breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import type { LedgerEntry } from './ledger-store.js';

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(
  prevHash: string,
  entry: Pick<LedgerEntry, 'seq' | 'receivedAt' | 'event' | 'flags'>,
): string {
  const { seq, receivedAt, event, flags } = entry;
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify({ seq, receivedAt, event, flags })}`)
    .digest('hex');
}

/** Where a chain breaks, or undefined when every entry holds. */
export function findChainBreak(
  entries: Iterable<LedgerEntry>,
): { seq: number; index: number; reason: string } | undefined {
  let prevHash = GENESIS_HASH;
  let index = 0;
  for (const entry of entries) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq) {
      return { seq: entry.seq, index, reason: `sequence number ${entry.seq} where ${expectedSeq} was expected` };
    }
    if (entry.prevHash !== prevHash) {
      return {
        seq: entry.seq,
        index,
        reason: 'prevHash does not match the previous entry (entry removed or reordered?)',
      };
    }
    if (entryHash(prevHash, entry) !== entry.hash) {
      return { seq: entry.seq, index, reason: 'hash does not match the content (entry edited?)' };
    }
    prevHash = entry.hash;
    index += 1;
  }
  return undefined;
}
