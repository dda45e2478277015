/**
 * The ledger's storage interface. The handler speaks only to this, so a
 * PostgreSQL store can replace the embedded file store without touching it.
 */
import type { ChainEntry, ErasureRecord, LedgerEntry, LedgerRecord, RecordFlag } from '../contract/ledger-records.js';
import type { RateBuckets } from './rate-limit.js';

export type { ChainEntry, LedgerEntry };

/**
 * What appending an event did. Events are idempotent by id: the same id with
 * the same content is a `repeat` of the stored entry, with another content a
 * `conflict`; neither writes anything.
 */
export type AppendOutcome = {
  kind: 'created' | 'repeat' | 'conflict';
  entry: ChainEntry;
  /** The signed checkpoint that covers the entry, when the store signs them. */
  checkpoint?: string;
};

export interface LedgerStore {
  /**
   * Stores the record durably before resolving; its personal fields sealed
   * under a key of its own (see personal-data.ts).
   */
  append(event: LedgerRecord, flags?: RecordFlag[]): Promise<AppendOutcome>;
  /**
   * Appends the erasures, then destroys the keys of the records they name,
   * durably: once it resolves, their personal data can never be read again,
   * and every hash still holds.
   */
  erase(erasures: readonly ErasureRecord[]): Promise<AppendOutcome[]>;
  /** A keyed digest of an identifier (`email:…`), with a secret kept beside the record keys. */
  identifierDigest(identifier: string): string;
  /**
   * Entries in sequence order, after `afterSeq` (default: from the start):
   * records with their personal data, erasures, and erased records (public part only).
   */
  entries(options?: { afterSeq?: number; limit?: number }): Promise<ChainEntry[]>;
  close(): Promise<void>;
  /** The rate limit's buckets, for a store several processes share (see rate-limit.ts); absent: in memory. */
  readonly rateBuckets?: RateBuckets;
}
