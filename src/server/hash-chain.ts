/**
 * The ledger's hash chain: each entry's hash covers the previous entry's
 * hash and its own sequence number, receive time, public record, sealed
 * personal part and flags. Editing, deleting or reordering any entry breaks
 * every hash after it. The personal data enters only as sealed bytes, so
 * erasing it (destroying its key) changes no hash, and checking the chain
 * needs no key.
 */
import { createHash } from 'node:crypto';
import type { ChainEntry } from '../contract/ledger-records.js';
import { publicPart } from './personal-data.js';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Pick<ChainEntry, 'seq' | 'receivedAt' | 'event' | 'flags'> & { sealed?: string | undefined };

export function entryHash(prevHash: string, entry: Hashed): string {
  // Entries without a sealed part (written before sealing) are hashed as they were then.
  return storedEntryHash(prevHash, entry.sealed === undefined ? entry : { ...entry, event: publicPart(entry.event) });
}

/** The hash of an entry already in its stored form (public event, sealed part). */
export function storedEntryHash(prevHash: string, entry: Hashed): string {
  return hashOfJson(prevHash, { ...entry, eventJson: JSON.stringify(entry.event) });
}

/**
 * The same hash from the public event's JSON, as JSON.stringify({ seq,
 * receivedAt, event, sealed, flags }) would write it: an append
 * stringifies the event once, for the hash and the stored line both.
 */
export function hashOfJson(
  prevHash: string,
  entry: Pick<Hashed, 'seq' | 'receivedAt' | 'flags' | 'sealed'> & { eventJson: string },
): string {
  const { seq, receivedAt, eventJson, sealed, flags } = entry;
  const sealedJson = sealed === undefined ? '' : `,"sealed":${JSON.stringify(sealed)}`;
  // In three parts: the event's JSON goes in as it is, not copied into one long string first.
  return createHash('sha256')
    .update(`${prevHash}\n{"seq":${JSON.stringify(seq)},"receivedAt":${JSON.stringify(receivedAt)},"event":`)
    .update(eventJson)
    .update(`${sealedJson},"flags":${JSON.stringify(flags)}}`)
    .digest('hex');
}

/**
 * Where a chain breaks, or undefined when every entry holds. `from`: where
 * the entries pick up (the number of entries before them and the last one's
 * hash), to check a chain a page at a time.
 */
export function findChainBreak(
  entries: Iterable<ChainEntry>,
  from: { index: number; prevHash: string } = { index: 0, prevHash: GENESIS_HASH },
): { seq: number; index: number; reason: string } | undefined {
  let { prevHash, index } = from;
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
