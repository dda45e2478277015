/**
 * The embedded default store: an append-only JSON Lines file, one entry per
 * line, hash-chained (see hash-chain.ts). An append resolves only after its
 * line is written and fsynced; appends that arrive while a write is in
 * flight share the next write and fsync (group commit), so durability does
 * not cap throughput at one fsync per request.
 *
 * With a checkpoint signer, every batch is also covered by a signed
 * checkpoint appended to `checkpoints.log` (and fsynced) before any entry
 * of the batch is acknowledged. At start-up the ledger must match its last
 * checkpoint: a deleted tail or a rewritten entry stops it; entries after
 * the last checkpoint were never acknowledged (a crash between the two
 * writes) and are dropped like a torn line.
 *
 * Personal data is sealed per record (see personal-data.ts); the keys live
 * in `record-keys.bin`, 32 bytes per entry at offset seq × 32 (offset 0
 * holds the secret for identifier digests). A batch's keys are fsynced
 * before its lines, so every acknowledged entry has its key. An erasure is
 * appended and acknowledged like any record, then the keys it names are
 * overwritten with zeros and fsynced; at start-up every erasure in the chain
 * is applied again, so a crash between the two steps leaves nothing readable.
 *
 * `ledger.lock` keeps a second process (a CLI command, another server) from
 * writing the same files at once.
 */
import { createHmac } from 'node:crypto';
import { mkdir, open, readFile, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isErasure,
  isRecord,
  type ChainEntry,
  type ErasedEntry,
  type ErasureEntry,
  type ErasureRecord,
  type LedgerRecord,
  type RecordFlag,
} from '../contract/ledger-records.js';
import { splitCheckpoints, openCheckpoint, type CheckpointSigner } from './checkpoint.js';
import { CustomerIndex } from './customer-index.js';
import { GENESIS_HASH, findChainBreak } from './hash-chain.js';
import type { AppendOutcome, LedgerStore } from './ledger-store.js';
import { RECORD_KEY_BYTES, isLiveKey, newRecordKey } from './personal-data.js';
import { chainEntry, erasedForm, erasureRefusal, isSameRecord, readStoredEntry } from './stored-entry.js';

export const LEDGER_FILE_NAME = 'ledger.jsonl';
export const CHECKPOINT_LOG_NAME = 'checkpoints.log';
export const RECORD_KEYS_FILE_NAME = 'record-keys.bin';
export const LOCK_FILE_NAME = 'ledger.lock';

interface Pending {
  line: string;
  seq: number;
  /** The record's identifier digests, for the customer index (undefined: identified when indexed). */
  digests: readonly string[] | undefined;
  /** The record's key, or undefined for a record without personal data (an erasure). */
  key: Buffer | undefined;
  resolve: (checkpoint: string | undefined) => void;
  reject: (error: unknown) => void;
}

interface Indexed {
  entry: ChainEntry;
  /** Settles when the entry is on disk, with the checkpoint that covers it; a repeat waits for it too. */
  durable: Promise<string | undefined>;
}

export interface JsonlStoreOptions {
  now?: () => Date;
  /** Signs a checkpoint after every batch; see checkpoint.ts. */
  signer?: CheckpointSigner | undefined;
  /** Verifier keys whose checkpoints count at start-up: the signer's, and earlier keys after a rotation. */
  trustedKeys?: readonly string[] | undefined;
  /** Called with every new checkpoint once it is durable (to hand it to witnesses). */
  onCheckpoint?: ((note: string) => void) | undefined;
}

/**
 * Reads a ledger file: the entries as stored (public parts, sealed personal
 * parts), and the byte length of its intact part.
 */
export function parseLedger(text: string): { entries: ChainEntry[]; intactBytes: number; tornTail: boolean } {
  const entries: ChainEntry[] = [];
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const line = end === -1 ? text.slice(offset) : text.slice(offset, end);
    let entry: ChainEntry | undefined;
    try {
      entry = JSON.parse(line) as ChainEntry;
    } catch {
      entry = undefined;
    }
    const isLast = end === -1 || end === text.length - 1;
    if (end === -1 || !entry) {
      // A crash mid-write can leave only the last line unfinished; anything
      // broken before it is damage, not a torn write.
      if (isLast) return { entries, intactBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: true };
      throw new Error(`ledger line ${entries.length + 1} is not valid JSON`);
    }
    entries.push(entry);
    offset = end + 1;
  }
  return { entries, intactBytes: Buffer.byteLength(text), tornTail: false };
}

export class JsonlLedgerStore implements LedgerStore {
  readonly #file: FileHandle;
  readonly #keys: FileHandle;
  readonly #lockPath: string;
  readonly #entries: ChainEntry[];
  readonly #byId = new Map<string, Indexed>();
  /** The secret for identifier digests (slot 0 of the key file). */
  readonly #digestSecret: Buffer;
  #lastHash: string;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #broken: unknown;
  readonly #now: () => Date;
  readonly #checkpoints: FileHandle | undefined;
  readonly #options: JsonlStoreOptions;
  #lastCheckpoint: string | undefined;
  readonly #index = new CustomerIndex();
  /** Settles when the latest append so far is durable (and so every earlier one): what a read waits for. */
  #latestWrite: Promise<unknown> = Promise.resolve();
  /** Set by index(): until then new entries are left for it to index. */
  #identify: ((record: LedgerRecord) => readonly string[]) | undefined;

  private constructor(
    files: { ledger: FileHandle; keys: FileHandle; checkpoints: FileHandle | undefined; lockPath: string },
    entries: ChainEntry[],
    digestSecret: Buffer,
    options: JsonlStoreOptions,
    lastCheckpoint: string | undefined,
  ) {
    this.#file = files.ledger;
    this.#keys = files.keys;
    this.#lockPath = files.lockPath;
    this.#entries = entries;
    this.#digestSecret = digestSecret;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#checkpoints = files.checkpoints;
    this.#lastCheckpoint = lastCheckpoint;
    this.#lastHash = entries.at(-1)?.hash ?? GENESIS_HASH;
    const durable = Promise.resolve(lastCheckpoint);
    for (const entry of entries) this.#byId.set(entry.event.id, { entry, durable });
  }

  /** The latest signed checkpoint, covering every acknowledged entry (undefined without a signer). */
  get lastCheckpoint(): string | undefined {
    return this.#lastCheckpoint;
  }

  /**
   * Opens (or creates) the ledger in `directory`. Repairs a torn last line
   * left by a crash; refuses to open a ledger whose hash chain is broken, or
   * one another process has open.
   */
  static async open(directory: string, options: JsonlStoreOptions = {}): Promise<JsonlLedgerStore> {
    await mkdir(directory, { recursive: true });
    const lockPath = await takeLock(directory);
    const path = join(directory, LEDGER_FILE_NAME);
    let file: FileHandle | undefined;
    let keys: FileHandle | undefined;
    let checkpoints: FileHandle | undefined;
    try {
      file = await open(path, 'a+');
      const text = await file.readFile({ encoding: 'utf8' });
      let { entries, intactBytes, tornTail } = parseLedger(text);
      const broken = findChainBreak(entries);
      if (broken) {
        throw new Error(
          `the ledger ${path} is broken at entry ${broken.seq}: ${broken.reason}. Run "marketing-consent-ledger verify" and restore it from a backup.`,
        );
      }
      let lastCheckpoint: string | undefined;
      if (options.signer) {
        const signer = options.signer;
        const logPath = join(directory, CHECKPOINT_LOG_NAME);
        const notes = splitCheckpoints(await readFile(logPath, 'utf8').catch(() => ''));
        const trusted = [signer.verifierKey, ...(options.trustedKeys ?? [])];
        const last = notes.findLast((note) => openCheckpoint(note, trusted).ok);
        if (last) {
          const { checkpoint } = openCheckpoint(last, trusted) as Extract<
            ReturnType<typeof openCheckpoint>,
            { ok: true }
          >;
          const problem = checkpointMismatch(entries, checkpoint.size, checkpoint.headHash);
          if (problem) {
            throw new Error(
              `the ledger ${path} does not match its last signed checkpoint: ${problem}. Run "marketing-consent-ledger verify" and restore it from a backup.`,
            );
          }
          if (entries.length > checkpoint.size) {
            // Written but never acknowledged: the crash came before the checkpoint.
            console.warn(
              `ledger: dropping ${entries.length - checkpoint.size} entries after the last signed checkpoint (#${checkpoint.size}); they were never acknowledged`,
            );
            entries = entries.slice(0, checkpoint.size);
            intactBytes =
              Buffer.byteLength(text.split('\n').slice(0, checkpoint.size).join('\n')) + (checkpoint.size ? 1 : 0);
            tornTail = true;
          }
          lastCheckpoint = last;
        }
        checkpoints = await open(logPath, 'a');
        if (!lastCheckpoint && entries.length > 0) {
          // A ledger from before checkpoints: vouch for it as it is now.
          lastCheckpoint = signer.sign(entries.length, entries.at(-1)!.hash);
          await checkpoints.appendFile(lastCheckpoint);
          await checkpoints.datasync();
        }
      }
      if (tornTail) {
        // The torn line was never acknowledged: its fsync had not returned.
        await file.truncate(intactBytes);
        await file.datasync();
      }
      const opened = await openRecordKeys(directory, entries);
      keys = opened.keys;
      await syncDirectory(directory);
      return new JsonlLedgerStore(
        { ledger: file, keys, checkpoints, lockPath },
        opened.entries,
        opened.digestSecret,
        options,
        lastCheckpoint,
      );
    } catch (error) {
      await file?.close();
      await keys?.close();
      await checkpoints?.close();
      await unlink(lockPath).catch(() => undefined);
      throw error;
    }
  }

  async append(
    event: LedgerRecord | ErasureRecord,
    flags: RecordFlag[] = [],
    identifiers?: readonly string[],
  ): Promise<AppendOutcome> {
    if (this.#broken) throw new Error('the ledger stopped writing after a write error; restart it');
    const known = this.#byId.get(event.id);
    if (known) {
      const checkpoint = await known.durable;
      const same = isSameRecord(known.entry, event);
      return { kind: same ? 'repeat' : 'conflict', entry: known.entry, ...(checkpoint ? { checkpoint } : {}) };
    }
    const seq = this.#entries.length + 1;
    const receivedAt = this.#now().toISOString();
    const prevHash = this.#lastHash;
    const { entry, stored, key } = chainEntry(event, { seq, receivedAt, prevHash, flags });
    this.#lastHash = entry.hash;
    this.#entries.push(entry);
    const keys = event.method === 'erasure' ? [] : (identifiers ?? this.#identify?.(event));
    const digests = keys?.map((identifier) => this.identifierDigest(identifier));
    const durable = new Promise<string | undefined>((resolve, reject) => {
      this.#queue.push({ line: `${stored}\n`, seq, digests, key, resolve, reject });
    });
    this.#byId.set(event.id, { entry, durable });
    this.#latestWrite = durable.catch(() => undefined);
    this.#flushing ??= this.#flush();
    const checkpoint = await durable;
    return { kind: 'created', entry, ...(checkpoint ? { checkpoint } : {}) };
  }

  async erase(erasures: readonly ErasureRecord[]): Promise<AppendOutcome[]> {
    for (const erasure of erasures) {
      for (const seq of erasure.erasedSeqs) {
        const refusal = erasureRefusal(seq, this.#entries[seq - 1]);
        if (refusal) throw refusal;
      }
    }
    // Entries erased already (by an erasure that got there first) are not named again.
    const fresh = erasures.map((erasure) => ({
      ...erasure,
      erasedSeqs: erasure.erasedSeqs.filter((seq) => !('erased' in this.#entries[seq - 1]!)),
    }));
    const appended = fresh.map((erasure) => (erasure.erasedSeqs.length > 0 ? this.append(erasure) : undefined));
    // Readers stop seeing the data at once (the erasure is in memory now, listed once durable), so no
    // view is built from records an erasure is taking out. The keys go only once the erasure is durable:
    // a crash in between is finished at the next start-up.
    for (const erasure of fresh) {
      const entry = this.#byId.get(erasure.id)?.entry;
      if (entry && isErasure(entry)) this.#forget(entry);
    }
    const outcomes: AppendOutcome[] = [];
    for (const [index, pending] of appended.entries()) {
      if (pending) {
        const outcome = await pending;
        if (isErasure(outcome.entry)) await this.#destroyKeys(outcome.entry.event.erasedSeqs);
        outcomes.push(outcome);
        continue;
      }
      // Nothing left to erase: the answer is the erasure that erased it.
      const first = this.#entries[erasures[index]!.erasedSeqs[0]! - 1] as ErasedEntry;
      outcomes.push({ kind: 'repeat', entry: this.#entries[first.erased.seq - 1]! });
    }
    return outcomes;
  }

  identifierDigest(identifier: string): string {
    return createHmac('sha256', this.#digestSecret).update(identifier).digest('base64url');
  }

  async index(identify: (record: LedgerRecord) => readonly string[]): Promise<void> {
    // Every entry so far, at once (no await in between, so no append slips past); later ones as they become durable.
    this.#identify = identify;
    for (const entry of this.#entries) this.#indexEntry(entry, undefined);
  }

  async customerEntries(identifiers: readonly string[]): Promise<ChainEntry[]> {
    // A read sees every write that came before it (not those that come while it waits).
    await this.#latestWrite;
    const seqs = this.#index.lookup(identifiers.map((key) => this.identifierDigest(key)));
    return seqs.map((seq) => this.#entries[seq - 1]!);
  }

  async *customers(): AsyncGenerator<ChainEntry[]> {
    // The customers as they are now; entries are looked up as each is reached.
    for (const seqs of [...this.#index.customers()]) yield seqs.map((seq) => this.#entries[seq - 1]!);
  }

  async entryById(id: string): Promise<ChainEntry | undefined> {
    return this.#byId.get(id)?.entry;
  }

  /** Takes a durable entry into the customer index (once index() named how to identify records). */
  #indexEntry(entry: ChainEntry, digests: readonly string[] | undefined): void {
    if (isErasure(entry)) this.#index.addErasure(entry.seq, entry.event.identifierDigests ?? []);
    else if (isRecord(entry) && this.#identify) {
      const own = digests ?? this.#identify(entry.event).map((key) => this.identifierDigest(key));
      this.#index.add(entry.seq, own);
    }
  }

  async entries(options: { afterSeq?: number; limit?: number } = {}): Promise<ChainEntry[]> {
    const start = Math.max(0, options.afterSeq ?? 0);
    const end = options.limit === undefined ? undefined : start + options.limit;
    // Entries are listed once durable: wait for writes in flight.
    await this.#flushing;
    return this.#entries.slice(start, end);
  }

  async close(): Promise<void> {
    await this.#flushing;
    await this.#file.close();
    await this.#keys.close();
    await this.#checkpoints?.close();
    await unlink(this.#lockPath).catch(() => undefined);
  }

  /** Replaces the records an erasure names by their erased form, in memory. */
  #forget(erasure: ErasureEntry): void {
    for (const seq of erasure.event.erasedSeqs) {
      const entry = this.#entries[seq - 1]!;
      if ('erased' in entry) continue;
      const erased = erasedForm(entry, erasure);
      this.#entries[seq - 1] = erased;
      const indexed = this.#byId.get(entry.event.id);
      if (indexed) this.#byId.set(entry.event.id, { ...indexed, entry: erased });
    }
    this.#index.remove(erasure.event.erasedSeqs);
  }

  /** Overwrites the keys of these entries with zeros, durably. */
  async #destroyKeys(seqs: readonly number[]): Promise<void> {
    const zeros = Buffer.alloc(RECORD_KEY_BYTES);
    for (const seq of seqs) await this.#keys.write(zeros, 0, RECORD_KEY_BYTES, seq * RECORD_KEY_BYTES);
    await this.#keys.datasync();
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        // Everything queued so far is in this batch, so the head now is the batch's last entry.
        const size = this.#entries.length;
        const head = this.#lastHash;
        // Keys first: an entry on disk must never lack its key.
        const keys = Buffer.alloc(batch.length * RECORD_KEY_BYTES);
        for (const [index, pending] of batch.entries()) pending.key?.copy(keys, index * RECORD_KEY_BYTES);
        await this.#keys.write(keys, 0, keys.length, batch[0]!.seq * RECORD_KEY_BYTES);
        await this.#keys.datasync();
        await this.#file.appendFile(batch.map((pending) => pending.line).join(''));
        await this.#file.datasync();
        let checkpoint: string | undefined;
        if (this.#options.signer && this.#checkpoints) {
          checkpoint = this.#options.signer.sign(size, head);
          await this.#checkpoints.appendFile(checkpoint);
          await this.#checkpoints.datasync();
          this.#lastCheckpoint = checkpoint;
          this.#options.onCheckpoint?.(checkpoint);
        }
        // Readers find the entries once they are durable.
        if (this.#identify) {
          for (const pending of batch) this.#indexEntry(this.#entries[pending.seq - 1]!, pending.digests);
        }
        for (const pending of batch) pending.resolve(checkpoint);
      } catch (error) {
        // Memory and disk may now disagree; stop accepting writes rather than
        // acknowledge entries whose chain position is uncertain.
        this.#broken = error;
        for (const pending of [...batch, ...this.#queue]) pending.reject(error);
        this.#queue = [];
      }
    }
    this.#flushing = undefined;
  }
}

/**
 * Opens the key file and reads every entry with its personal data: erasures
 * in the chain are applied (again: a crash may have come between an erasure
 * and the end of its shredding), keys past the last entry are dropped.
 */
async function openRecordKeys(
  directory: string,
  stored: ChainEntry[],
): Promise<{ keys: FileHandle; entries: ChainEntry[]; digestSecret: Buffer }> {
  const path = join(directory, RECORD_KEYS_FILE_NAME);
  // Created readable by the ledger's user only: whoever reads it can read every record not yet erased.
  const keys = await open(path, 'a+', 0o600).then(async (handle) => {
    await handle.close();
    return open(path, 'r+');
  });
  try {
    let bytes: Buffer = await keys.readFile();
    if (bytes.length < RECORD_KEY_BYTES) {
      if (stored.some((entry) => 'sealed' in entry)) {
        throw new Error(
          `the key file ${path} is missing, but the ledger holds sealed personal data: restore ${RECORD_KEYS_FILE_NAME} from a backup (the chain itself is intact)`,
        );
      }
      bytes = newRecordKey();
      await keys.write(bytes, 0, RECORD_KEY_BYTES, 0);
    }
    const erasedBy = new Map<number, ErasureEntry>();
    for (const entry of stored) {
      if (isErasure(entry)) for (const seq of entry.event.erasedSeqs) erasedBy.set(seq, entry);
    }
    const zeros = Buffer.alloc(RECORD_KEY_BYTES);
    const entries = stored.map((entry) =>
      readStoredEntry(
        entry,
        bytes.subarray(entry.seq * RECORD_KEY_BYTES, (entry.seq + 1) * RECORD_KEY_BYTES),
        erasedBy.get(entry.seq),
        `the key of entry ${entry.seq} is missing from ${path}: restore ${RECORD_KEYS_FILE_NAME} from a backup (the chain itself is intact)`,
      ),
    );
    for (const seq of erasedBy.keys()) {
      const at = seq * RECORD_KEY_BYTES;
      if (at < bytes.length && isLiveKey(bytes.subarray(at, at + RECORD_KEY_BYTES))) {
        await keys.write(zeros, 0, RECORD_KEY_BYTES, at);
      }
    }
    // Keys of entries that were never acknowledged (dropped above) go too.
    await keys.truncate((stored.length + 1) * RECORD_KEY_BYTES);
    await keys.datasync();
    return { keys, entries, digestSecret: Buffer.from(bytes.subarray(0, RECORD_KEY_BYTES)) };
  } catch (error) {
    await keys.close();
    throw error;
  }
}

/**
 * Takes the data folder for this process: a second writer would fork the
 * chain. A lock left by a process that no longer runs (a crash) is taken over.
 */
async function takeLock(directory: string): Promise<string> {
  const path = join(directory, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(path, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(
          `the ledger in ${directory} is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}: stop it first, or ask the running ledger through its staff API`,
          { cause: error },
        );
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`could not lock the ledger in ${directory}; remove ${path} if no ledger runs there`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the entries do not match a checkpoint of `size` entries with head `headHash`, if they do not. */
export function checkpointMismatch(entries: readonly ChainEntry[], size: number, headHash: string): string | undefined {
  if (entries.length < size) {
    return `the ledger has ${entries.length} entries, but a signed checkpoint says it had ${size}: entries were deleted from the end`;
  }
  if (size > 0 && entries[size - 1]!.hash !== headHash) {
    return `entry ${size} differs from the signed checkpoint: the chain was rewritten`;
  }
  return undefined;
}

/** fsync the directory, so a newly created ledger file survives a crash too. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
