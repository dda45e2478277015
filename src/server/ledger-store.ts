/**
 * The ledger's storage interface. The handler speaks only to this, so a
 * PostgreSQL store can replace the embedded file store without touching it.
 */
import type { LedgerRecord, RecordFlag } from '../contract/ledger-records.js';

/** One stored event with its place in the hash chain. */
export interface LedgerEntry {
  /** 1, 2, 3, … in the order the ledger received events. */
  seq: number;
  /** The ledger's clock when it accepted the event (ISO 8601, UTC). */
  receivedAt: string;
  event: LedgerRecord;
  /** Why this record needs a second look (see RECORD_FLAGS); usually empty. */
  flags: RecordFlag[];
  /** `hash` of the entry before (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 over prevHash and this entry's content (seq, receivedAt, event, flags): see entryHash. */
  hash: string;
}

/**
 * What appending an event did. Events are idempotent by id: the same id with
 * the same content is a `repeat` of the stored entry, with another content a
 * `conflict`; neither writes anything.
 */
export type AppendOutcome =
  | { kind: 'created'; entry: LedgerEntry }
  | { kind: 'repeat'; entry: LedgerEntry }
  | { kind: 'conflict'; entry: LedgerEntry };

export interface LedgerStore {
  /** Stores the record durably before resolving. */
  append(event: LedgerRecord, flags?: RecordFlag[]): Promise<AppendOutcome>;
  /** Entries in sequence order, after `afterSeq` (default: from the start). */
  entries(options?: { afterSeq?: number; limit?: number }): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}
