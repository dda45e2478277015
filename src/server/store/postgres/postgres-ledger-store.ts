/**
 * The ledger in PostgreSQL: the same entries as the JSONL store (each row
 * holds the entry's exact stored JSON, so hashes, `verify` and exports are
 * identical), the same sealed personal data, the same signed checkpoints.
 *
 * - The schema is created and upgraded by the versioned migrations below,
 *   at open, under an advisory lock (two processes starting at once migrate once).
 * - Appends are grouped per process (group commit): one transaction takes the
 *   salon's chain head with a row lock (`SELECT … FOR UPDATE`), so any number
 *   of processes append to one chain without forking it; it inserts the
 *   entries and their keys, moves the head, stores the checkpoint, commits.
 * - An erasure destroys its keys in the same transaction that appends it:
 *   there is no moment at which the erasure is recorded and the data is still
 *   readable. A VACUUM of the key table follows, so the old row versions do
 *   not keep the keys on disk (see the README's threat model).
 * - Every table is keyed by salon; this store serves one salon, named at open.
 */
import { createHmac } from 'node:crypto';
import pg from 'pg';
import {
  isErasure,
  isLedgerOwnRecord,
  isRecord,
  type ChainEntry,
  type ErasureEntry,
  type ErasureRecord,
  type LedgerRecord,
  type RecordFlag,
  type StoredRecord,
} from '../../../contract/ledger-records.js';
import { latestTrusted, type CheckpointSigner } from '../../integrity/checkpoint.js';
import { GENESIS_HASH, hasValidMac } from '../../integrity/hash-chain.js';
import { LedgerVerifier, refusalFix, startUpVerdict } from '../../integrity/verify-ledger.js';
import type { AppendOutcome, Identify, LedgerStore } from '../ledger-store.js';
import type { RateBuckets } from '../../app/rate-limit.js';
import { newRecordKey } from '../personal-data.js';
import { commitGroupOf } from './commit-group.js';
import { inTransaction } from './transaction.js';
import {
  chainEntry,
  erasureRefusal,
  historyAcceptance,
  isSameRecord,
  parseStoredLine,
  readStoredEntry,
} from '../stored-entry.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:5432/database */
  connectionString: string;
  /** The salon whose chain this store reads and writes. Default "default". */
  salon?: string;
  now?: () => Date;
  signer?: CheckpointSigner | undefined;
  /** Verifier keys whose checkpoints count at open: the signer's, and earlier keys after a rotation. */
  trustedKeys?: readonly string[] | undefined;
  onCheckpoint?: ((note: string) => void) | undefined;
  /** Connections in this process's pool. Default 10 (pg's own default). */
  poolSize?: number;
  /** A pool shared with other stores (one per salon on a platform); the store then leaves it open at close. */
  pool?: pg.Pool;
  /** The operator accepts the chain as found although the ledger cannot vouch for it (see the file store's option). */
  acceptHistory?: { operator: string; note: string } | undefined;
}

/** Versioned schema changes, applied in order, each once. Never edit one that shipped: add the next. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ledger_salons (
     salon text PRIMARY KEY,
     digest_secret bytea NOT NULL,
     head_seq bigint NOT NULL DEFAULT 0,
     head_hash text NOT NULL
   );
   CREATE TABLE ledger_entries (
     salon text NOT NULL REFERENCES ledger_salons,
     seq bigint NOT NULL,
     event_id text NOT NULL,
     is_erasure boolean NOT NULL,
     stored text NOT NULL,
     PRIMARY KEY (salon, seq),
     UNIQUE (salon, event_id)
   );
   CREATE INDEX ledger_entries_erasures ON ledger_entries (salon, seq) WHERE is_erasure;
   CREATE TABLE ledger_record_keys (
     salon text NOT NULL,
     seq bigint NOT NULL,
     key bytea,
     erased_by bigint,
     PRIMARY KEY (salon, seq)
   );
   CREATE TABLE ledger_checkpoints (
     salon text NOT NULL REFERENCES ledger_salons,
     size bigint NOT NULL,
     note text NOT NULL,
     PRIMARY KEY (salon, size)
   );`,
  // The public endpoints' rate limit, shared by every process (see rate-limit.ts).
  `CREATE UNLOGGED TABLE ledger_rate_buckets (
     salon text NOT NULL,
     address text NOT NULL,
     tokens double precision NOT NULL,
     at bigint NOT NULL,
     granted boolean NOT NULL,
     PRIMARY KEY (salon, address)
   );`,
  // The salons of a platform and their settings (see salons/salon-registry.ts).
  `CREATE TABLE ledger_salon_settings (
     salon text PRIMARY KEY,
     settings jsonb NOT NULL
   );`,
  // The customer index (see customer-index.ts): identifiers as keyed digests, each entry's customer;
  // identity_version: the rules the digests were made by (see Identify).
  `ALTER TABLE ledger_salons ADD COLUMN identity_version text;
   ALTER TABLE ledger_entries ADD COLUMN customer bigint, ADD COLUMN indexed boolean NOT NULL DEFAULT false;
   CREATE INDEX ledger_entries_by_customer ON ledger_entries (salon, customer, seq) WHERE customer IS NOT NULL;
   CREATE INDEX ledger_entries_unindexed ON ledger_entries (salon, seq) WHERE NOT indexed;
   CREATE TABLE ledger_identifiers (
     salon text NOT NULL,
     digest text NOT NULL,
     customer bigint NOT NULL,
     PRIMARY KEY (salon, digest)
   );
   CREATE INDEX ledger_identifiers_by_customer ON ledger_identifiers (salon, customer);
   CREATE TABLE ledger_entry_identifiers (
     salon text NOT NULL,
     seq bigint NOT NULL,
     digest text NOT NULL,
     PRIMARY KEY (salon, seq, digest)
   );
   CREATE TABLE ledger_erasure_digests (
     salon text NOT NULL,
     digest text NOT NULL,
     seq bigint NOT NULL,
     PRIMARY KEY (salon, digest, seq)
   );`,
  // Checkpoints of a history the operator replaced by accepting the chain as found (accept-history).
  `CREATE TABLE ledger_superseded_checkpoints (
     salon text NOT NULL,
     size bigint NOT NULL,
     note text NOT NULL,
     superseded_after bigint NOT NULL
   );`,
  // The register's changes in order, so a running platform reads only what changed since it last looked.
  `CREATE SEQUENCE ledger_salon_changes;
   ALTER TABLE ledger_salon_settings ADD COLUMN change bigint NOT NULL DEFAULT nextval('ledger_salon_changes');
   CREATE INDEX ledger_salon_settings_by_change ON ledger_salon_settings (change);`,
  // Small documents beside the chain (see LedgerStore.readState): a webhook endpoint's cursor and retry state.
  `CREATE TABLE ledger_state (
     salon text NOT NULL,
     name text NOT NULL,
     value text NOT NULL,
     PRIMARY KEY (salon, name)
   );`,
];

/** An entry with what reading it needs: its key, or the erasure that took it (see `readable`). */
const READABLE = `SELECT e.seq, e.stored, k.key, k.erased_by, x.stored AS erasure
  FROM ledger_entries e
  LEFT JOIN ledger_record_keys k ON k.salon = e.salon AND k.seq = e.seq
  LEFT JOIN ledger_entries x ON x.salon = e.salon AND x.seq = k.erased_by`;

/** Pools whose schema was brought up to date and analyzed at a store's open. */
const prepared = new WeakSet<pg.Pool>();

/** Any number; the same in every process, so processes starting together migrate once. */
const MIGRATION_LOCK = 7_304_215_001;

interface Pending {
  event: StoredRecord;
  flags: RecordFlag[];
  /** The record's identifier digests, for the customer index; undefined: index it later (see index()). */
  digests: readonly string[] | undefined;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

interface Row {
  seq: string;
  stored: string;
  key: Buffer | null;
  erased_by: string | null;
  erasure: string | null;
}

export class PostgresLedgerStore implements LedgerStore {
  readonly #pool: pg.Pool;
  readonly #salon: string;
  readonly #digestSecret: Buffer;
  readonly #options: PostgresStoreOptions;
  readonly #now: () => Date;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #lastCheckpoint: string | undefined;
  #identify: Identify | undefined;
  /** Settles when this process's latest append so far is committed: what a read waits for. */
  #latestWrite: Promise<unknown> = Promise.resolve();
  /** Why this store takes no entry (set by open). */
  #writeRefusal: string | undefined;
  /** What the entries' MACs are made with (see hash-chain.ts); none without a signing key. */
  readonly #entrySecret: Buffer | undefined;

  private constructor(pool: pg.Pool, salon: string, digestSecret: Buffer, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#salon = salon;
    this.#digestSecret = digestSecret;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#entrySecret = options.signer?.secretFor('entries');
  }

  /** The latest checkpoint this process wrote or found at open (undefined without a signer). */
  get lastCheckpoint(): string | undefined {
    return this.#lastCheckpoint;
  }

  /** Connects, migrates the schema, and makes the salon's chain if it has none. */
  static async open(options: PostgresStoreOptions): Promise<PostgresLedgerStore> {
    const pool = options.pool ?? openPostgresPool(options.connectionString, options.poolSize);
    const salon = options.salon ?? 'default';
    try {
      const client = await pool.connect();
      try {
        // The schema once per pool (a platform opens a store per salon on one pool), under the lock that
        // makes processes starting together migrate once; then fresh statistics, so the planner uses the
        // indexes even right after a bulk load or a restore.
        if (!prepared.has(pool)) {
          await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
          try {
            await migrate(client);
          } finally {
            await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
          }
          await client.query(
            'ANALYZE ledger_entries, ledger_record_keys, ledger_identifiers, ledger_entry_identifiers, ledger_erasure_digests',
          );
          prepared.add(pool);
        }
        const { signer } = options;
        const chain = await chainHead(client, salon, signer);
        if (chain.made) {
          if (options.acceptHistory) throw new Error(`salon "${salon}" had no chain: there is no history to accept`);
          const store = new PostgresLedgerStore(pool, salon, chain.digestSecret, options);
          store.#lastCheckpoint = chain.made.checkpoint;
          return store;
        }
        await finishErasures(client, salon);
        const store = new PostgresLedgerStore(pool, salon, chain.digestSecret, options);
        const trustedKeys = signer ? [signer.verifierKey, ...(options.trustedKeys ?? [])] : [];
        const found = await inspectChain(client, salon, trustedKeys);
        const place = `--database-url …${salon === 'default' ? '' : ` --salon-id ${salon}`}`;
        let refusal = found.headMatches
          ? undefined
          : `the chain head kept in ledger_salons is not the last entry of the chain (entries were deleted from the end, or the head was edited)`;
        if (signer && !refusal) {
          const entrySecret = signer.secretFor('entries');
          const verdict = await startUpVerdict({
            count: found.count,
            last: found.last,
            hashAtSize: found.hashAtSize,
            tailVouched: async () =>
              found.tail.every((line) => hasValidMac(entrySecret, parseStoredLine(line)!, found.inFlight)),
          });
          if (verdict.kind === 'refuse') refusal = verdict.problem;
          else if (verdict.kind === 'sign' || !found.last) {
            if (verdict.kind === 'sign') {
              console.warn(
                `ledger: entries ${verdict.from}–${found.count} of salon "${salon}" carry this ledger's MAC but no checkpoint covers them: signed now`,
              );
            }
            // A new chain's checkpoint of its empty head, or the entries only the checkpoint lacked.
            const note = signer.sign(found.count, found.lastHash);
            await client.query(
              'INSERT INTO ledger_checkpoints (salon, size, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
              [salon, found.count, note],
            );
            store.#lastCheckpoint = note;
          } else store.#lastCheckpoint = found.lastNote;
        }
        if (!signer) {
          store.#lastCheckpoint = (
            await client.query<{ note: string }>(
              'SELECT note FROM ledger_checkpoints WHERE salon = $1 ORDER BY size DESC LIMIT 1',
              [salon],
            )
          ).rows[0]?.note;
          // A ledger that signs its checkpoints takes no entry without its key (it could not vouch for it later).
          if (found.hasCheckpoints) {
            store.#writeRefusal = `the ledger of salon "${salon}" signs its checkpoints: open it with its key (--key), or entries written now could not be vouched for`;
          }
        }
        if (refusal && !options.acceptHistory) {
          throw new Error(
            `the ledger of salon "${salon}" in the database cannot be vouched for: ${refusal}. ${refusalFix(place)}`,
          );
        }
        if (!refusal && options.acceptHistory) {
          throw new Error(
            `the ledger of salon "${salon}" matches its signed checkpoints: there is no history to accept`,
          );
        }
        if (refusal && options.acceptHistory) {
          if (!signer) throw new Error('accepting history needs the signing key (--key): the acceptance is signed');
          await inTransaction(pool, async (tx) => {
            // The checkpoints of the history it replaces are kept aside, not deleted; the head is the chain's end.
            await tx.query(
              `WITH moved AS (DELETE FROM ledger_checkpoints WHERE salon = $1 RETURNING size, note)
               INSERT INTO ledger_superseded_checkpoints (salon, size, note, superseded_after) SELECT $1, size, note, $2 FROM moved`,
              [salon, found.count],
            );
            await tx.query('UPDATE ledger_salons SET head_seq = $2, head_hash = $3 WHERE salon = $1', [
              salon,
              found.count,
              found.lastHash,
            ]);
          });
          await store.#enqueue(
            historyAcceptance(
              { count: found.count, lastHash: found.lastHash },
              { problem: refusal, lastCheckpoint: found.lastNote },
              options.acceptHistory,
            ),
            [],
            undefined,
          );
        }
        return store;
      } finally {
        client.release();
      }
    } catch (error) {
      if (!options.pool) await pool.end();
      throw error;
    }
  }

  append(event: LedgerRecord, flags: RecordFlag[] = [], identifiers?: readonly string[]): Promise<AppendOutcome> {
    const keys = identifiers ?? this.#identify?.(event);
    return this.#enqueue(
      event,
      flags,
      keys?.map((key) => this.identifierDigest(key)),
    );
  }

  async index(identify: Identify): Promise<void> {
    this.#identify = identify;
    const version = identify.version ?? '';
    // Most opens: the rules are the ones the chain was indexed with, or the chain is empty (one statement).
    const { rows: kept } = await this.#pool.query<{ same: boolean }>(
      `WITH empty AS (
         UPDATE ledger_salons SET identity_version = $2
          WHERE salon = $1 AND head_seq = 0 AND identity_version IS DISTINCT FROM $2 RETURNING salon)
       SELECT identity_version IS NOT DISTINCT FROM $2 OR EXISTS (SELECT 1 FROM empty) AS same
         FROM ledger_salons WHERE salon = $1`,
      [this.#salon, version],
    );
    if (kept[0]?.same) {
      // Entries written without their identifiers (by an older version): indexed below, else nothing to do.
      const { rows } = await this.#pool.query('SELECT 1 FROM ledger_entries WHERE salon = $1 AND NOT indexed LIMIT 1', [
        this.#salon,
      ]);
      if (rows.length === 0) return;
    } else await this.#forgetIndex(version);
    // A thousand entries a transaction, under the chain head's lock like an append, until none is left.
    while (await inTransaction(this.#pool, (client) => this.#indexSome(client, identify))) {
      // The next thousand.
    }
  }

  /** Other rules (another phone country): every record is identified again, and linked anew. */
  async #forgetIndex(version: string): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ identity_version: string | null }>(
        'SELECT identity_version FROM ledger_salons WHERE salon = $1 FOR UPDATE',
        [this.#salon],
      );
      if (rows[0]?.identity_version === version) return;
      // Other rules (another phone country): every record is identified again, and linked anew.
      await client.query(
        'UPDATE ledger_entries SET indexed = false, customer = NULL WHERE salon = $1 AND NOT is_erasure',
        [this.#salon],
      );
      await client.query('DELETE FROM ledger_identifiers WHERE salon = $1', [this.#salon]);
      await client.query('DELETE FROM ledger_entry_identifiers WHERE salon = $1', [this.#salon]);
      await client.query('UPDATE ledger_salons SET identity_version = $2 WHERE salon = $1', [this.#salon, version]);
    });
  }

  /** Indexes up to a thousand entries not indexed yet; false when there were none. */
  async #indexSome(client: pg.PoolClient, identify: Identify): Promise<boolean> {
    await client.query('SELECT 1 FROM ledger_salons WHERE salon = $1 FOR UPDATE', [this.#salon]);
    const { rows } = await client.query<Row>(
      `${READABLE}
        WHERE e.salon = $1 AND NOT e.indexed
        ORDER BY e.seq LIMIT 1000`,
      [this.#salon],
    );
    if (rows.length === 0) return false;
    const items: { seq: number; digests: readonly string[] }[] = [];
    for (const row of rows) {
      const entry = readable(row);
      if (isErasure(entry)) await noteErasure(client, this.#salon, entry.seq, entry.event);
      else if (isRecord(entry)) {
        items.push({ seq: entry.seq, digests: identify(entry.event).map((key) => this.identifierDigest(key)) });
      }
    }
    await linkCustomers(client, this.#salon, items);
    await client.query('UPDATE ledger_entries SET indexed = true WHERE salon = $1 AND seq = ANY($2::bigint[])', [
      this.#salon,
      rows.map((row) => row.seq),
    ]);
    return true;
  }

  async customerEntries(identifiers: readonly string[]): Promise<ChainEntry[]> {
    // A read sees every write this process made before it (not those that come while it waits).
    await this.#latestWrite;
    const digests = identifiers.map((key) => this.identifierDigest(key));
    const { rows } = await this.#pool.query<Row>(
      `WITH wanted AS (
         SELECT seq FROM ledger_entries
          WHERE salon = $1 AND customer IN (SELECT customer FROM ledger_identifiers WHERE salon = $1 AND digest = ANY($2::text[]))
         UNION
         SELECT seq FROM ledger_erasure_digests WHERE salon = $1 AND digest = ANY($2::text[])
       )
       ${READABLE}
        WHERE e.salon = $1 AND e.seq IN (SELECT seq FROM wanted)
        ORDER BY e.seq`,
      [this.#salon, digests],
    );
    return rows.map(readable);
  }

  /** One consistent snapshot, read in pages in customer order, so memory holds a page and one customer. */
  async *customers(): AsyncGenerator<ChainEntry[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let after = { customer: 0, seq: 0 };
      let current: ChainEntry[] = [];
      let currentId = -1;
      for (;;) {
        const { rows } = await client.query<Row & { customer: string }>(
          // The page is taken in the index's order first, then joined: a plan that cannot go wrong.
          `SELECT p.customer, p.seq, p.stored, k.key, k.erased_by, NULL AS erasure
             FROM (SELECT customer, seq, stored FROM ledger_entries
                    WHERE salon = $1 AND customer IS NOT NULL AND (customer, seq) > ($2, $3)
                    ORDER BY customer, seq
                    LIMIT 500) p
             JOIN ledger_record_keys k ON k.salon = $1 AND k.seq = p.seq
            ORDER BY p.customer, p.seq`,
          [this.#salon, after.customer, after.seq],
        );
        for (const row of rows) {
          const customer = Number(row.customer);
          if (customer !== currentId && current.length > 0) {
            yield current;
            current = [];
          }
          currentId = customer;
          current.push(readable(row));
        }
        if (rows.length < 500) break;
        const last = rows.at(-1)!;
        after = { customer: Number(last.customer), seq: Number(last.seq) };
      }
      if (current.length > 0) yield current;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async entryById(id: string): Promise<ChainEntry | undefined> {
    const { rows } = await this.#pool.query<Row>(
      `${READABLE}
        WHERE e.salon = $1 AND e.event_id = $2`,
      [this.#salon, id],
    );
    return rows[0] ? readable(rows[0]) : undefined;
  }

  async erase(erasures: readonly ErasureRecord[]): Promise<AppendOutcome[]> {
    const seqs = erasures.flatMap((erasure) => erasure.erasedSeqs);
    const { rows } = await this.#pool.query<{ seq: string; stored: string; erased_by: string | null }>(
      `SELECT e.seq, e.stored, k.erased_by FROM ledger_entries e
         LEFT JOIN ledger_record_keys k ON k.salon = e.salon AND k.seq = e.seq
        WHERE e.salon = $1 AND e.seq = ANY($2::bigint[])`,
      [this.#salon, seqs],
    );
    const found = new Map(rows.map((row) => [Number(row.seq), row]));
    for (const seq of seqs) {
      const row = found.get(seq);
      const refusal = erasureRefusal(seq, row ? (JSON.parse(row.stored) as ChainEntry) : undefined);
      if (refusal) throw refusal;
    }
    // Entries another process erased first are not named again; an erasure left with none is answered by that one.
    const outcomes = await Promise.all(
      erasures.map(async (erasure) => {
        const erasedSeqs = erasure.erasedSeqs.filter((seq) => found.get(seq)!.erased_by === null);
        if (erasedSeqs.length > 0) return this.#enqueue({ ...erasure, erasedSeqs }, [], []);
        const by = Number(found.get(erasure.erasedSeqs[0]!)!.erased_by);
        return { kind: 'repeat' as const, entry: (await this.entries({ afterSeq: by - 1, limit: 1 }))[0]! };
      }),
    );
    // The keys went in the erasure's own transaction; VACUUM drops the old row versions that still hold them.
    await this.#pool.query('VACUUM ledger_record_keys').catch(() => undefined);
    return outcomes;
  }

  /**
   * The rate limit's buckets in the database: one statement refills, takes
   * and stores atomically, so processes sharing the database share the limit.
   * Buckets idle for ten minutes are full again and are dropped now and then.
   */
  readonly rateBuckets: RateBuckets = {
    take: async (address, now, burst, refillPerMs) => {
      if (Math.random() < 0.001) {
        void this.#pool
          .query('DELETE FROM ledger_rate_buckets WHERE salon = $1 AND at < $2', [this.#salon, now - 600_000])
          .catch(() => undefined);
      }
      // Every expression in SET reads the row as it was, locked: concurrent takes queue on it.
      const refilled = 'LEAST($3::float8, b.tokens + GREATEST(0, $4 - b.at) * $5::float8)';
      const { rows } = await this.#pool.query<{ tokens: number; granted: boolean }>(
        `INSERT INTO ledger_rate_buckets AS b (salon, address, tokens, at, granted)
         VALUES ($1, $2, $3::float8 - 1, $4, true)
         ON CONFLICT (salon, address) DO UPDATE SET
           tokens = ${refilled} - CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
           granted = ${refilled} >= 1,
           at = GREATEST(b.at, $4)
         RETURNING tokens, granted`,
        [this.#salon, address, burst, now, refillPerMs],
      );
      return { granted: rows[0]!.granted, tokens: rows[0]!.tokens };
    },
  };

  identifierDigest(identifier: string): string {
    return createHmac('sha256', this.#digestSecret).update(identifier).digest('base64url');
  }

  async entries(options: { afterSeq?: number; limit?: number } = {}): Promise<ChainEntry[]> {
    // As every read: after the writes this process made before it, not those that come while it waits.
    await this.#latestWrite;
    const { rows } = await this.#pool.query<Row>(
      `${READABLE}
        WHERE e.salon = $1 AND e.seq > $2
        ORDER BY e.seq
        LIMIT $3`,
      [this.#salon, options.afterSeq ?? 0, options.limit ?? null],
    );
    return rows.map(readable);
  }

  async storedLines(options: { afterSeq?: number; limit?: number } = {}): Promise<string[]> {
    await this.#latestWrite;
    return (await storedRows(this.#pool, this.#salon, options.afterSeq ?? 0, options.limit ?? null)).lines;
  }

  async readState(name: string): Promise<string | undefined> {
    const { rows } = await this.#pool.query<{ value: string }>(
      'SELECT value FROM ledger_state WHERE salon = $1 AND name = $2',
      [this.#salon, name],
    );
    return rows[0]?.value;
  }

  async writeState(name: string, value: string | undefined): Promise<void> {
    await (value === undefined
      ? this.#pool.query('DELETE FROM ledger_state WHERE salon = $1 AND name = $2', [this.#salon, name])
      : this.#pool.query(
          `INSERT INTO ledger_state (salon, name, value) VALUES ($1, $2, $3)
           ON CONFLICT (salon, name) DO UPDATE SET value = excluded.value`,
          [this.#salon, name, value],
        ));
  }

  async stateNames(prefix: string): Promise<string[]> {
    const { rows } = await this.#pool.query<{ name: string }>(
      'SELECT name FROM ledger_state WHERE salon = $1 AND starts_with(name, $2) ORDER BY name',
      [this.#salon, prefix],
    );
    return rows.map((row) => row.name);
  }

  /** A session advisory lock on one connection, held while the work runs: the other processes skip it. */
  async alone(name: string, work: () => Promise<void>): Promise<boolean> {
    const client = await this.#pool.connect();
    const key = `${this.#salon}\n${name}`;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [key],
      );
      if (!rows[0]!.locked) return false;
      try {
        await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
      return true;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.#flushing;
    if (!this.#options.pool) await this.#pool.end();
  }

  #enqueue(event: StoredRecord, flags: RecordFlag[], digests: readonly string[] | undefined): Promise<AppendOutcome> {
    if (this.#writeRefusal) return Promise.reject(new Error(this.#writeRefusal));
    const written = new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({ event, flags, digests, resolve, reject });
      this.#flushing ??= this.#flush();
    });
    this.#latestWrite = written.catch(() => undefined);
    return written;
  }

  /** Writes everything queued so far in one transaction, then the next batch, until the queue is empty. */
  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        const outcomes = await this.#write(batch);
        for (const [index, pending] of batch.entries()) pending.resolve(outcomes[index]!);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#flushing = undefined;
  }

  async #write(batch: readonly Pending[]): Promise<AppendOutcome[]> {
    const { outcomes, checkpoint } = await commitGroupOf(this.#pool, PostgresLedgerStore.#writeSalons).run(
      this.#salon,
      { store: this, batch },
    );
    if (checkpoint) {
      this.#lastCheckpoint = checkpoint;
      this.#options.onCheckpoint?.(checkpoint);
    }
    return outcomes.map((outcome) => (outcome.kind === 'created' && checkpoint ? { ...outcome, checkpoint } : outcome));
  }

  /**
   * The batches of several salons (one each, see CommitGroup) in the
   * transaction that holds their chain heads: their entries, keys, index
   * rows, heads and checkpoints. Three statements for them all, whatever
   * their number; only a resent id, customers that become one and an
   * erasure take statements of their own.
   */
  static async #writeSalons(client: pg.PoolClient, parts: readonly SalonBatch[]): Promise<SalonWritten[]> {
    const salons = parts.map(({ store }) => store.#salon);
    // Locked in the order of their ids (the group is sorted so), as every process does: no circle of waits.
    // The statements of every write are prepared once per connection (named): PostgreSQL plans them once.
    const heads = await client.query<{ salon: string; head_seq: string; head_hash: string }>({
      name: 'ledger-heads',
      text: 'SELECT salon, head_seq, head_hash FROM ledger_salons WHERE salon = ANY($1::text[]) ORDER BY salon FOR UPDATE',
      values: [salons],
    });
    const headOf = new Map(heads.rows.map((row) => [row.salon, row]));
    // Read once the heads are held (a fresh snapshot): ids already in a chain (another process, or a resend)
    // are repeats or conflicts, not new entries; the customers the batches' identifiers belong to.
    const asked = parts.flatMap(({ store, batch }) => batch.map((pending) => [store.#salon, pending.event.id]));
    const digests = parts.flatMap(({ store, batch }) =>
      [...new Set(batch.flatMap((pending) => pending.digests ?? []))].map((digest) => [store.#salon, digest]),
    );
    const seen = await client.query<{
      known: { salon: string; id: string }[] | null;
      identifiers: { salon: string; digest: string; customer: number }[] | null;
    }>({
      name: 'ledger-seen',
      text: `SELECT (SELECT json_agg(json_build_object('salon', salon, 'id', event_id)) FROM ledger_entries
                      WHERE (salon, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))) AS known,
                    (SELECT json_agg(json_build_object('salon', salon, 'digest', digest, 'customer', customer))
                       FROM ledger_identifiers
                      WHERE (salon, digest) IN (SELECT * FROM unnest($3::text[], $4::text[]))) AS identifiers`,
      values: [
        asked.map(([salon]) => salon),
        asked.map(([, id]) => id),
        digests.map(([salon]) => salon),
        digests.map(([, digest]) => digest),
      ],
    });
    const written: SalonWritten[] = [];
    const rows = new Rows();
    const erasing: { salon: string; seq: number; event: ErasureRecord }[] = [];
    for (const { store, batch } of parts) {
      const salon = store.#salon;
      const head = headOf.get(salon);
      if (!head) throw new Error(`salon "${salon}" has no chain head in ledger_salons: its chain cannot be written`);
      const headSeq = Number(head.head_seq);
      let seq = headSeq;
      let prevHash = head.head_hash;
      const knownIds = (seen.rows[0]!.known ?? []).filter((row) => row.salon === salon).map((row) => row.id);
      const known =
        knownIds.length === 0
          ? []
          : (
              await client.query<Row>(
                `${READABLE}
        WHERE e.salon = $1 AND e.event_id = ANY($2::text[])`,
                [salon, knownIds],
              )
            ).rows;
      const byId = new Map(known.map((row) => [JSON.parse(row.stored).event.id as string, readable(row)]));
      const receivedAt = store.#now().toISOString();
      const outcomes: AppendOutcome[] = [];
      const linking: { seq: number; digests: readonly string[] }[] = [];
      const first = rows.size;
      for (const { event, flags, digests: keys } of batch) {
        const existing = byId.get(event.id);
        if (existing) {
          outcomes.push({ kind: isSameRecord(existing, event) ? 'repeat' : 'conflict', entry: existing });
          continue;
        }
        seq += 1;
        const { entry, stored, key } = chainEntry(event, {
          seq,
          receivedAt,
          prevHash,
          flags,
          // The head read under the lock is the last checkpoint's size: the two are written in one transaction.
          mac: store.#entrySecret && { secret: store.#entrySecret, checkpointed: headSeq },
        });
        // The same id twice in one batch (requests at once): the second is a repeat of the first.
        byId.set(event.id, entry);
        rows.entry(salon, {
          seq,
          id: event.id,
          erasure: event.method === 'erasure',
          stored,
          key: key ?? null,
          indexed: isLedgerOwnRecord(event) || keys !== undefined,
        });
        if (event.method === 'erasure') erasing.push({ salon, seq, event });
        else if (keys) linking.push({ seq, digests: keys });
        outcomes.push({ kind: 'created', entry });
        prevHash = entry.hash;
      }
      let checkpoint: string | undefined;
      if (rows.size > first) {
        const plan = planLinks(
          (seen.rows[0]!.identifiers ?? []).filter((row) => row.salon === salon),
          linking,
        );
        await renameCustomers(client, salon, plan.renamed);
        rows.links(salon, plan, first);
        checkpoint = store.#options.signer?.sign(seq, prevHash);
        rows.head(salon, seq, prevHash, checkpoint);
      }
      written.push({ outcomes, checkpoint });
    }
    if (rows.size > 0) {
      await client.query({
        name: 'ledger-append',
        text: `WITH entries AS (
           INSERT INTO ledger_entries (salon, seq, event_id, is_erasure, stored, indexed, customer)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::boolean[], $5::text[], $6::boolean[], $7::bigint[])
         ), keys AS (
           INSERT INTO ledger_record_keys (salon, seq, key) SELECT * FROM unnest($1::text[], $2::bigint[], $8::bytea[])
         ), identifiers AS (
           INSERT INTO ledger_identifiers (salon, digest, customer) SELECT * FROM unnest($9::text[], $10::text[], $11::bigint[])
           ON CONFLICT (salon, digest) DO UPDATE SET customer = EXCLUDED.customer
         ), pairs AS (
           INSERT INTO ledger_entry_identifiers (salon, seq, digest) SELECT * FROM unnest($12::text[], $13::bigint[], $14::text[])
           ON CONFLICT DO NOTHING
         ), checkpoints AS (
           INSERT INTO ledger_checkpoints (salon, size, note)
           SELECT salon, size, note FROM unnest($15::text[], $16::bigint[], $17::text[]) AS c(salon, size, note)
            WHERE note IS NOT NULL
           ON CONFLICT DO NOTHING
         )
         UPDATE ledger_salons s SET head_seq = h.size, head_hash = h.hash
           FROM unnest($15::text[], $16::bigint[], $18::text[]) AS h(salon, size, hash)
          WHERE s.salon = h.salon`,
        values: rows.values(),
      });
    }
    for (const { salon, seq, event } of erasing) {
      await client.query(
        'UPDATE ledger_record_keys SET key = NULL, erased_by = $3 WHERE salon = $1 AND seq = ANY($2::bigint[]) AND erased_by IS NULL',
        [salon, event.erasedSeqs, seq],
      );
      await noteErasure(client, salon, seq, event);
    }
    return written;
  }
}

/** One salon's batch in a group's transaction (see CommitGroup), and what writing it gave. */
interface SalonBatch {
  store: PostgresLedgerStore;
  batch: readonly Pending[];
}
interface SalonWritten {
  outcomes: AppendOutcome[];
  checkpoint: string | undefined;
}

/** The rows a group's write inserts, column by column (for unnest), and the salons' new heads. */
class Rows {
  readonly #entries = { salon: [] as string[], seq: [] as number[], id: [] as string[], erasure: [] as boolean[] };
  readonly #stored: string[] = [];
  readonly #indexed: boolean[] = [];
  readonly #customer: (number | null)[] = [];
  readonly #key: (Buffer | null)[] = [];
  readonly #identifiers = { salon: [] as string[], digest: [] as string[], customer: [] as number[] };
  readonly #pairs = { salon: [] as string[], seq: [] as number[], digest: [] as string[] };
  readonly #heads = {
    salon: [] as string[],
    size: [] as number[],
    note: [] as (string | null)[],
    hash: [] as string[],
  };

  get size(): number {
    return this.#entries.seq.length;
  }

  entry(
    salon: string,
    row: { seq: number; id: string; erasure: boolean; stored: string; key: Buffer | null; indexed: boolean },
  ): void {
    this.#entries.salon.push(salon);
    this.#entries.seq.push(row.seq);
    this.#entries.id.push(row.id);
    this.#entries.erasure.push(row.erasure);
    this.#stored.push(row.stored);
    this.#indexed.push(row.indexed);
    this.#key.push(row.key);
    this.#customer.push(null);
  }

  /** The salon's entries from `first` on join their customers; its identifiers and pairs are kept. */
  links(salon: string, plan: ReturnType<typeof planLinks>, first: number): void {
    for (let at = first; at < this.size; at += 1) {
      this.#customer[at] = plan.entryCustomer.get(this.#entries.seq[at]!) ?? null;
    }
    for (const [digest, customer] of plan.identifiers) {
      this.#identifiers.salon.push(salon);
      this.#identifiers.digest.push(digest);
      this.#identifiers.customer.push(customer);
    }
    for (const [seq, digest] of plan.pairs) {
      this.#pairs.salon.push(salon);
      this.#pairs.seq.push(seq);
      this.#pairs.digest.push(digest);
    }
  }

  head(salon: string, size: number, hash: string, checkpoint: string | undefined): void {
    this.#heads.salon.push(salon);
    this.#heads.size.push(size);
    this.#heads.hash.push(hash);
    this.#heads.note.push(checkpoint ?? null);
  }

  values(): unknown[] {
    const { salon, seq, id, erasure } = this.#entries;
    return [
      salon,
      seq,
      id,
      erasure,
      this.#stored,
      this.#indexed,
      this.#customer,
      this.#key,
      this.#identifiers.salon,
      this.#identifiers.digest,
      this.#identifiers.customer,
      this.#pairs.salon,
      this.#pairs.seq,
      this.#pairs.digest,
      this.#heads.salon,
      this.#heads.size,
      this.#heads.note,
      this.#heads.hash,
    ];
  }
}

/**
 * Links entries to customers in the index tables, in sequence order (the
 * same rules as CustomerIndex.add): an entry joins every customer one of its
 * identifiers belongs to, and linked customers become one, under the
 * smallest id. Runs in the transaction that holds the chain head.
 */
async function linkCustomers(
  client: pg.PoolClient,
  salon: string,
  items: readonly { seq: number; digests: readonly string[] }[],
): Promise<void> {
  const digests = [...new Set(items.flatMap((item) => item.digests))];
  if (digests.length === 0) return;
  const { rows } = await client.query<{ digest: string; customer: string }>(
    'SELECT digest, customer FROM ledger_identifiers WHERE salon = $1 AND digest = ANY($2::text[])',
    [salon, digests],
  );
  const plan = planLinks(rows, items);
  await renameCustomers(client, salon, plan.renamed);
  await client.query(
    `INSERT INTO ledger_identifiers (salon, digest, customer) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
     ON CONFLICT (salon, digest) DO UPDATE SET customer = EXCLUDED.customer`,
    [salon, plan.identifiers.map(([digest]) => digest), plan.identifiers.map(([, id]) => id)],
  );
  const linked = [...plan.entryCustomer];
  await client.query(
    `UPDATE ledger_entries e SET customer = m.customer, indexed = true
       FROM unnest($2::bigint[], $3::bigint[]) AS m(seq, customer) WHERE e.salon = $1 AND e.seq = m.seq`,
    [salon, linked.map(([seq]) => seq), linked.map(([, id]) => id)],
  );
  await client.query(
    `INSERT INTO ledger_entry_identifiers (salon, seq, digest) SELECT $1, * FROM unnest($2::bigint[], $3::text[])
     ON CONFLICT DO NOTHING`,
    [salon, plan.pairs.map(([seq]) => seq), plan.pairs.map(([, digest]) => digest)],
  );
}

/**
 * How entries join customers (the rules of CustomerIndex.add), given the
 * customers their digests belong to now: each entry's customer, the
 * customers that become one (old id, new id), every digest's customer, and
 * each entry's digests.
 */
function planLinks(
  existing: readonly { digest: string; customer: string | number }[],
  items: readonly { seq: number; digests: readonly string[] }[],
): {
  entryCustomer: Map<number, number>;
  renamed: [number, number][];
  identifiers: [string, number][];
  pairs: [number, string][];
} {
  const customerOf = new Map(existing.map((row) => [row.digest, Number(row.customer)]));
  const renamed = new Map<number, number>();
  const resolve = (id: number): number => {
    let at = id;
    while (renamed.has(at)) at = renamed.get(at)!;
    return at;
  };
  const entryCustomer = new Map<number, number>();
  for (const { seq, digests } of items) {
    if (digests.length === 0) continue;
    const linked = new Set<number>();
    for (const digest of digests) {
      const id = customerOf.get(digest);
      if (id !== undefined) linked.add(resolve(id));
    }
    const target = Math.min(seq, ...linked);
    for (const id of linked) if (id !== target) renamed.set(id, target);
    for (const digest of digests) customerOf.set(digest, target);
    entryCustomer.set(seq, target);
  }
  for (const [seq, id] of entryCustomer) entryCustomer.set(seq, resolve(id));
  return {
    entryCustomer,
    renamed: [...renamed.keys()].map((old) => [old, resolve(old)]),
    identifiers: [...customerOf].map(([digest, id]) => [digest, resolve(id)]),
    pairs: items.flatMap((item) => item.digests.map((digest) => [item.seq, digest] as [number, string])),
  };
}

/** Customers that became one: their identifiers and entries move to the new id. */
async function renameCustomers(client: pg.PoolClient, salon: string, renamed: readonly [number, number][]) {
  if (renamed.length === 0) return;
  for (const table of ['ledger_identifiers', 'ledger_entries']) {
    await client.query(
      `UPDATE ${table} t SET customer = m.target FROM unnest($2::bigint[], $3::bigint[]) AS m(old, target)
        WHERE t.salon = $1 AND t.customer = m.old`,
      [salon, renamed.map(([old]) => old), renamed.map(([, target]) => target)],
    );
  }
}

/**
 * An erasure in the index: the entries it names leave their customers, the
 * rest of those customers is linked again without them (CustomerIndex.remove),
 * and its identifier digests are noted so a lookup can say "erased".
 */
async function noteErasure(client: pg.PoolClient, salon: string, seq: number, erasure: ErasureRecord): Promise<void> {
  const { rows: affected } = await client.query<{ customer: string }>(
    'SELECT DISTINCT customer FROM ledger_entries WHERE salon = $1 AND seq = ANY($2::bigint[]) AND customer IS NOT NULL',
    [salon, erasure.erasedSeqs],
  );
  const customers = affected.map((row) => row.customer);
  await client.query('DELETE FROM ledger_entry_identifiers WHERE salon = $1 AND seq = ANY($2::bigint[])', [
    salon,
    erasure.erasedSeqs,
  ]);
  if (customers.length > 0) {
    const { rows } = await client.query<{ seq: string; digest: string }>(
      `SELECT i.seq, i.digest FROM ledger_entry_identifiers i
         JOIN ledger_entries e ON e.salon = i.salon AND e.seq = i.seq
        WHERE e.salon = $1 AND e.customer = ANY($2::bigint[])
        ORDER BY i.seq`,
      [salon, customers],
    );
    await client.query('DELETE FROM ledger_identifiers WHERE salon = $1 AND customer = ANY($2::bigint[])', [
      salon,
      customers,
    ]);
    await client.query('UPDATE ledger_entries SET customer = NULL WHERE salon = $1 AND customer = ANY($2::bigint[])', [
      salon,
      customers,
    ]);
    const bySeq = new Map<number, string[]>();
    for (const row of rows) bySeq.set(Number(row.seq), [...(bySeq.get(Number(row.seq)) ?? []), row.digest]);
    await linkCustomers(
      client,
      salon,
      [...bySeq].map(([remaining, digests]) => ({ seq: remaining, digests })),
    );
  }
  if (erasure.identifierDigests?.length) {
    await client.query(
      `INSERT INTO ledger_erasure_digests (salon, digest, seq) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
      [salon, erasure.identifierDigests, seq],
    );
  }
}

/** The salon's chain as open found it, in one snapshot (see inspectChain). */
interface FoundChain {
  count: number;
  lastHash: string;
  /** Whether ledger_salons' head is the chain's last entry. */
  headMatches: boolean;
  /** The latest checkpoint a trusted key signed, and its note. */
  last: { size: number; headHash: string } | undefined;
  lastNote: string | undefined;
  hashAtSize: string | undefined;
  /** Entries after the latest checkpoint, as stored. */
  tail: string[];
  /** Whether the salon has any checkpoint at all. */
  hasCheckpoints: boolean;
  /** The sizes of the latest two trusted checkpoints: what a write in flight names in its MACs. */
  inFlight: number[];
}

/**
 * Every stored byte of the salon's chain, checked at open in one snapshot
 * (other processes may be appending): a row edited in the database (a field
 * added, a grant turned into a refusal) stops the start, as an edited line
 * of the file store does. With trusted keys, also what startUpVerdict needs.
 */
async function inspectChain(client: pg.PoolClient, salon: string, trustedKeys: readonly string[]): Promise<FoundChain> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // The latest two a trusted key signed (newest first): a write in flight was made when one was the last.
    // Read a page at a time from the newest, so the salon's whole history of checkpoints is not read.
    const trusted: ReturnType<typeof latestTrusted> = [];
    let hasCheckpoints = false;
    for (let offset = 0; trusted.length < 2; offset += 16) {
      const { rows } = await client.query<{ note: string }>(
        'SELECT note FROM ledger_checkpoints WHERE salon = $1 ORDER BY size DESC LIMIT 16 OFFSET $2',
        [salon, offset],
      );
      hasCheckpoints ||= rows.length > 0;
      trusted.push(
        ...latestTrusted(
          rows.map((row) => row.note),
          trustedKeys,
          2 - trusted.length,
        ),
      );
      if (rows.length < 16 || trustedKeys.length === 0) break;
    }
    const last = trusted[0]?.checkpoint;
    const lastNote = trusted[0]?.note;
    const head = await client.query<{ head_seq: string; head_hash: string }>(
      'SELECT head_seq, head_hash FROM ledger_salons WHERE salon = $1',
      [salon],
    );
    const chain = new LedgerVerifier();
    let hashAtSize: string | undefined;
    const tail: string[] = [];
    for await (const page of storedPages(client, salon)) {
      const before = chain.head.count;
      chain.take(page);
      if (!chain.chainHolds) {
        throw new Error(
          `the ledger of salon "${salon}" in the database is broken: ${chain.report().problems[0]}. Run "marketing-consent-ledger verify --database-url …" and restore it from a backup.`,
        );
      }
      if (last && last.size > before && last.size <= chain.head.count) {
        hashAtSize = parseStoredLine(page[last.size - before - 1]!)!.hash;
      }
      tail.push(...page.slice(Math.max(0, (last?.size ?? 0) - before)));
    }
    const { count, hash } = chain.head;
    return {
      count,
      lastHash: hash,
      headMatches: Number(head.rows[0]!.head_seq) === count && head.rows[0]!.head_hash === hash,
      last,
      lastNote,
      hashAtSize,
      tail,
      hasCheckpoints,
      inFlight: trusted.map((found) => found.checkpoint.size),
    };
  } finally {
    await client.query('COMMIT');
  }
}

/**
 * The chain as stored (public parts and sealed bytes, no keys needed), a
 * page at a time, and the latest checkpoint: what `verify --database-url`
 * checks. `pages` may be read once.
 */
export async function readPostgresChain(
  connectionString: string,
  salon = 'default',
): Promise<{ pages: AsyncGenerator<string[]>; latestCheckpoint: string | undefined; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const latest = await client.query<{ note: string }>(
    'SELECT note FROM ledger_checkpoints WHERE salon = $1 ORDER BY size DESC LIMIT 1',
    [salon],
  );
  return { pages: storedPages(client, salon), latestCheckpoint: latest.rows[0]?.note, close: () => client.end() };
}

/** The stored text of the salon's entries after `afterSeq`, in chain order (up to `limit`; null: all), and the last seq read. */
async function storedRows(
  db: pg.Pool | pg.ClientBase,
  salon: string,
  afterSeq: number,
  limit: number | null,
): Promise<{ lines: string[]; lastSeq: number }> {
  const { rows } = await db.query<{ seq: string; stored: string }>(
    'SELECT seq, stored FROM ledger_entries WHERE salon = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [salon, afterSeq, limit],
  );
  return { lines: rows.map((row) => row.stored), lastSeq: Number(rows.at(-1)?.seq ?? afterSeq) };
}

/** The salon's whole chain as stored, 5,000 entries at a time. */
async function* storedPages(db: pg.Pool | pg.ClientBase, salon: string): AsyncGenerator<string[]> {
  for (let after = 0; ;) {
    const { lines, lastSeq } = await storedRows(db, salon, after, 5000);
    if (lines.length === 0) return;
    yield lines;
    after = lastSeq;
  }
}

/**
 * A connection pool for the ledger's tables. An idle connection the server
 * drops (a restart, a failover) must not bring the ledger down: the pool
 * discards it and connects again for the next query.
 */
export function openPostgresPool(connectionString: string, size = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: size });
  pool.on('error', (error) => {
    console.error(`ledger: an idle database connection was lost (${error.message}); the next query connects again`);
  });
  // A connection lost while in use (between the queries of a transaction, or of a long read) fails
  // that work with an error; without a listener it would bring the process down.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** Makes or upgrades the schema, once even when several processes start together. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** Applies the migrations not yet applied, in order, each in its own transaction. */
async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS ledger_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query<{ version: number }>('SELECT version FROM ledger_migrations');
  const applied = new Set(rows.map((row) => row.version));
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (applied.has(version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('INSERT INTO ledger_migrations (version) VALUES ($1)', [version]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`database migration ${version} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * The salon's chain head as the open needs it: its digest secret, read in
 * one statement for a salon that has one. A new salon's chain is made in one
 * statement (one commit): its head and, with a key, the signed checkpoint of
 * its empty head (`made`). A salon with entries or checkpoints but no head
 * gets the empty chain's head, which the inspection then finds is not the
 * chain's last entry.
 */
async function chainHead(
  client: pg.PoolClient,
  salon: string,
  signer: CheckpointSigner | undefined,
): Promise<{ digestSecret: Buffer; made?: { checkpoint: string | undefined } }> {
  const readSecret = async () =>
    (await client.query<{ digest_secret: Buffer }>('SELECT digest_secret FROM ledger_salons WHERE salon = $1', [salon]))
      .rows[0]?.digest_secret;
  const found = await readSecret();
  if (found) return { digestSecret: found };
  const checkpoint = signer?.sign(0, GENESIS_HASH);
  const { rows } = await client.query<{ digest_secret: Buffer }>(
    `WITH made AS (
       INSERT INTO ledger_salons (salon, digest_secret, head_hash)
       SELECT $1, $2, $3
        WHERE NOT EXISTS (SELECT 1 FROM ledger_entries WHERE salon = $1)
          AND NOT EXISTS (SELECT 1 FROM ledger_checkpoints WHERE salon = $1)
       ON CONFLICT DO NOTHING RETURNING digest_secret
     ), signed AS (
       INSERT INTO ledger_checkpoints (salon, size, note) SELECT $1, 0, $4::text FROM made WHERE $4::text IS NOT NULL
     )
     SELECT digest_secret FROM made`,
    [salon, newRecordKey(), GENESIS_HASH, checkpoint ?? null],
  );
  if (rows[0]) return { digestSecret: rows[0].digest_secret, made: { checkpoint } };
  // A head deleted under entries, or another process made the chain a moment ago.
  await client.query(
    `INSERT INTO ledger_salons (salon, digest_secret, head_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [salon, newRecordKey(), GENESIS_HASH],
  );
  return { digestSecret: (await readSecret())! };
}

/** Keys an erasure names but that are still there (written by an older version, or by hand): destroyed now. */
async function finishErasures(client: pg.PoolClient, salon: string): Promise<void> {
  const { rows } = await client.query<{ seq: string; stored: string }>(
    'SELECT seq, stored FROM ledger_entries WHERE salon = $1 AND is_erasure ORDER BY seq',
    [salon],
  );
  for (const row of rows) {
    const erasure = JSON.parse(row.stored) as { event: ErasureRecord };
    await client.query(
      'UPDATE ledger_record_keys SET key = NULL, erased_by = $3 WHERE salon = $1 AND seq = ANY($2::bigint[]) AND key IS NOT NULL',
      [salon, erasure.event.erasedSeqs, Number(row.seq)],
    );
  }
}

/** A stored row as the store reads it: opened with its key, or erased. */
function readable(row: Row): ChainEntry {
  const stored = JSON.parse(row.stored) as ChainEntry;
  const erasure =
    row.erased_by !== null && row.erasure
      ? (JSON.parse(row.erasure) as Pick<ErasureEntry, 'seq' | 'receivedAt' | 'event'>)
      : undefined;
  return readStoredEntry(
    stored,
    row.key ?? undefined,
    erasure,
    `the key of entry ${stored.seq} is missing from ledger_record_keys, and no erasure names it`,
  );
}
