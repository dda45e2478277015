/**
 * The ledger's storage interface. The handler speaks only to this, so a
 * PostgreSQL store can replace the embedded file store without touching it.
 */
import type { LedgerEntry, LedgerRecord, RecordFlag } from '../contract/ledger-records.js';

export type { LedgerEntry };

/**
 * What appending an event did. Events are idempotent by id: the same id with
 * the same content is a `repeat` of the stored entry, with another content a
 * `conflict`; neither writes anything.
 */
export type AppendOutcome = {
  kind: 'created' | 'repeat' | 'conflict';
  entry: LedgerEntry;
  /** The signed checkpoint that covers the entry, when the store signs them. */
  checkpoint?: string;
};

export interface LedgerStore {
  /** Stores the record durably before resolving. */
  append(event: LedgerRecord, flags?: RecordFlag[]): Promise<AppendOutcome>;
  /** Entries in sequence order, after `afterSeq` (default: from the start). */
  entries(options?: { afterSeq?: number; limit?: number }): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}
