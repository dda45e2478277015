/**
 * The ledger's storage interface. The handler speaks only to this, so a
 * PostgreSQL store can replace the embedded file store without touching it.
 */
import type {
  ChainEntry,
  ErasureRecord,
  LedgerEntry,
  LedgerRecord,
  RecordFlag,
} from '../../contract/ledger-records.js';
import type { RateBuckets } from '../app/rate-limit.js';

export type { ChainEntry, LedgerEntry };

/**
 * How a record is told apart: its identifier keys (`email:…`), as the
 * ledger links customers by them. `version` names the rules (the phone
 * country national numbers are read in): when it changes, the store
 * identifies every record again.
 */
export type Identify = ((record: LedgerRecord) => readonly string[]) & { readonly version?: string };

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
   * under a key of its own (see personal-data.ts). `identifiers` (the
   * record's identifier keys, `email:…`) link it to its customer in the
   * store's index, which knows them only as keyed digests.
   */
  append(event: LedgerRecord, flags?: RecordFlag[], identifiers?: readonly string[]): Promise<AppendOutcome>;
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
  /**
   * Indexes the entries the store holds but has not indexed yet (written
   * before the index existed; the file store's every entry at start-up):
   * `identify` names a record's identifier keys, as `append` is given them.
   * The reads below answer from the index once this resolved.
   */
  index(identify: Identify): Promise<void>;
  /**
   * The entries of the customer these identifier keys belong to (linked
   * transitively through shared identifiers), and the erasures that named
   * any of them, in sequence order. Costs the customer, not the ledger.
   */
  customerEntries(identifiers: readonly string[]): Promise<ChainEntry[]>;
  /** Every customer's entries, a customer at a time, in no particular order (for audiences and retention). */
  customers(): AsyncGenerator<ChainEntry[]>;
  /**
   * Entries exactly as stored (a line of the file, a row's `stored` text),
   * after `afterSeq`: what verifying the chain reads, every byte of it.
   */
  storedLines(options?: { afterSeq?: number; limit?: number }): Promise<string[]>;
  /** The entry of an event id, if the ledger holds it. */
  entryById(id: string): Promise<ChainEntry | undefined>;
  /**
   * Small documents kept beside the chain, outside it (a webhook endpoint's
   * cursor and retry state): `writeState` replaces one whole and durably
   * before it resolves; `undefined` removes it.
   */
  readState(name: string): Promise<string | undefined>;
  writeState(name: string, value: string | undefined): Promise<void>;
  /** The names of the documents whose names start with `prefix`. */
  stateNames(prefix: string): Promise<string[]>;
  /**
   * Runs `work` unless another process sharing the store runs work under
   * this name now; resolves whether it ran. (One process holds a file store.)
   */
  alone(name: string, work: () => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
  /** The rate limit's buckets, for a store several processes share (see rate-limit.ts); absent: in memory. */
  readonly rateBuckets?: RateBuckets;
}
