/**
 * The embedded default store: an append-only JSON Lines file, one entry per
 * line, hash-chained (see hash-chain.ts). An append resolves only after its
 * line is written and fsynced; appends that arrive while a write is in
 * flight share the next write and fsync (group commit), so durability does
 * not cap throughput at one fsync per request.
 *
 * With a checkpoint signer, every entry carries the ledger's MAC (see
 * hash-chain.ts) and every batch is covered by a signed checkpoint appended
 * to `checkpoints.log` (and fsynced) before any entry of the batch is
 * acknowledged. At start-up the ledger is judged against its last checkpoint
 * (see startUpVerdict): a deleted tail or a rewritten entry stops it;
 * entries after it are signed when they all carry its MAC (a crash between
 * the two writes), and stop it otherwise. Nothing is ever dropped but a torn
 * last line.
 *
 * Personal data is sealed per record (see personal-data.ts); the keys live
 * in `record-keys.bin`, 32 bytes per entry at offset seq × 32 (offset 0
 * holds the secret for identifier digests). Keys are made ahead of their
 * entries, a few thousand at a time, and fsynced before any line sealed
 * with one is written: every entry on disk has its key, and a batch waits
 * for one fsync (its lines), not two. Keys made for entries that never came
 * are cut at start-up. An erasure is
 * appended and acknowledged like any record, then the keys it names are
 * overwritten with zeros and fsynced; at start-up every erasure in the chain
 * is applied again, so a crash between the two steps leaves nothing readable.
 *
 * Entries stay on disk: memory holds where each line is, the event ids, the
 * customer index and the keys, so a read costs the entries it returns and a
 * ledger of millions of entries fits (see jsonl-index-files.ts for the index
 * files that let it start without reading every line).
 *
 * `ledger.lock` keeps a second process (a CLI command, another server) from
 * writing the same files at once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { StateFiles, syncDirectory } from './state-files.js';
import { mkdir, open, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isErasure,
  isHistoryAcceptance,
  isLedgerOwnRecord,
  isRecord,
  type ChainEntry,
  type ErasureEntry,
  type ErasureRecord,
  type RecordFlag,
  type StoredRecord,
} from '../../../contract/ledger-records.js';
import { checkpointSize, latestTrusted, splitCheckpoints, type CheckpointSigner } from '../../integrity/checkpoint.js';
import { ByteKeyTable } from '../byte-key-table.js';
import { CustomerIndex, digestKeys } from '../customer-index.js';
import { GENESIS_HASH, findChainBreak, hasValidMac } from '../../integrity/hash-chain.js';
import { refusalFix, startUpVerdict } from '../../integrity/verify-ledger.js';
import {
  CHUNK_BYTES,
  CHUNKS_FILE_NAME,
  ChunkHashes,
  INDEX_FILE_NAME,
  IndexSlots,
  SlotKind,
  eventIdBytes,
  ledgerLines,
} from './jsonl-index-files.js';
import type { AppendOutcome, Identify, LedgerStore } from '../ledger-store.js';
import { RECORD_KEY_BYTES, isLiveKey, newRecordKey } from '../personal-data.js';
import {
  chainEntry,
  erasedForm,
  historyAcceptance,
  erasureRefusal,
  isSameRecord,
  parseStoredLine,
  readStoredEntry,
} from '../stored-entry.js';

export const LEDGER_FILE_NAME = 'ledger.jsonl';
export const CHECKPOINT_LOG_NAME = 'checkpoints.log';
export const RECORD_KEYS_FILE_NAME = 'record-keys.bin';
export const LOCK_FILE_NAME = 'ledger.lock';
export { INDEX_FILE_NAME, CHUNKS_FILE_NAME };

/**
 * Keys made (and fsynced) at a time, ahead of the entries that will use
 * them: as many as the ledger has entries, from 64 (2 KiB: a platform holds
 * many small ledgers) up to 4096 (128 KiB).
 */
const KEYS_AHEAD = { least: 64, most: 4096 };
/**
 * While appending, the index files' changes are written at most this often:
 * one write for many batches. They are not needed for the proof; a crash
 * only means reading a little more of the ledger's tail at the next start.
 */
const INDEX_SAVE_DELAY_MS = 200;

interface Pending {
  /** The entry's line, without its newline. */
  line: string;
  seq: number;
  /** The event id's 16 bytes. */
  idBytes: Buffer;
  entry: ChainEntry;
  /** The record's identifier digests, for the customer index (undefined: identified when indexed). */
  digests: readonly string[] | undefined;
  /** The record's key, or undefined for a record without personal data (an erasure). */
  key: Buffer | undefined;
  resolve: (checkpoint: string | undefined) => void;
  reject: (error: unknown) => void;
}

export interface JsonlStoreOptions {
  now?: () => Date;
  /** Signs a checkpoint after every batch; see checkpoint.ts. */
  signer?: CheckpointSigner | undefined;
  /** Verifier keys whose checkpoints count at start-up: the signer's, and earlier keys after a rotation. */
  trustedKeys?: readonly string[] | undefined;
  /** Called with every new checkpoint once it is durable (to hand it to witnesses). */
  onCheckpoint?: ((note: string) => void) | undefined;
  /**
   * The operator accepts the chain as found although the ledger cannot vouch
   * for it (see startUpVerdict): recorded in the chain as a `history-accepted`
   * entry, and signed. Without it, such a ledger refuses to open.
   */
  acceptHistory?: { operator: string; note: string } | undefined;
  /** Why this store takes no entry (set by open). */
  writeRefusal?: string | undefined;
}

/**
 * Whether a last line is what a crash mid-write leaves (never acknowledged:
 * its fsync had not returned): cut off before its newline, or holding the
 * zeros a file system leaves where data never reached the disk. A whole
 * line of anything else is damage, even at the end.
 */
export function isTornLine(text: string, complete: boolean): boolean {
  return !complete || text.includes('\0');
}

/** The entry a line holds; throws, naming the line, when it is not one (see parseStoredLine), or when it is a torn line anywhere but last. */
function entryOfLine(text: string, complete: boolean, line: number, isLast: boolean): ChainEntry | undefined {
  if (isLast && isTornLine(text, complete)) return undefined;
  let entry: ChainEntry | undefined;
  try {
    entry = parseStoredLine(text);
  } catch (error) {
    throw new Error(`ledger line ${line}: ${(error as Error).message}`, { cause: error });
  }
  if (!entry) throw new Error(`ledger line ${line} is not valid JSON`);
  return entry;
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
    const isLast = end === -1 || end === text.length - 1;
    const entry = entryOfLine(line, end !== -1, entries.length + 1, isLast);
    if (!entry) return { entries, intactBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: true };
    entries.push(entry);
    offset = end + 1;
  }
  return { entries, intactBytes: Buffer.byteLength(text), tornTail: false };
}

/**
 * The entries stored between two byte offsets of a ledger file, read a few
 * MiB at a time, each with where its line ends. A last line cut off by a
 * crash (never acknowledged) ends it as `{ torn: true }`; a line that is
 * not an entry anywhere else is damage, and throws. `firstLine`: the
 * line number `from` is at, for the message.
 */
export async function* storedEntries(
  file: FileHandle,
  from: number,
  to: number,
  firstLine = 1,
): AsyncGenerator<{ entry: ChainEntry; end: number } | { torn: true }> {
  let line = firstLine;
  for await (const { text, end, complete } of ledgerLines(file, from, to)) {
    const entry = entryOfLine(text, complete, line, end === to);
    if (!entry) {
      yield { torn: true };
      return;
    }
    yield { entry, end };
    line += 1;
  }
}

function parseLine(line: string): ChainEntry | undefined {
  try {
    return JSON.parse(line) as ChainEntry;
  } catch {
    return undefined;
  }
}

/** A batch's lines as the bytes to append, and where each line ends in them. */
function linesOf(batch: readonly Pending[]): { lines: Buffer; ends: number[] } {
  // UTF-8 takes at most three bytes per UTF-16 code unit, so the lines fit; write() says how many it took.
  const bytes = Buffer.allocUnsafe(batch.reduce((sum, pending) => sum + 3 * pending.line.length + 1, 0));
  const ends: number[] = [];
  let at = 0;
  for (const { line } of batch) {
    at += bytes.write(line, at);
    bytes[at++] = 0x0a;
    ends.push(at);
  }
  return { lines: bytes.subarray(0, at), ends };
}

/** The ledger as start-up found it: its keys, index files, size and head, and its erasures. */
interface OpenedLedger {
  keyBytes: Buffer;
  slots: IndexSlots;
  chunks: ChunkHashes;
  count: number;
  lastHash: string;
  lastCheckpoint: string | undefined;
  /** The first of the entries only the checkpoint lacks (see startUpVerdict): sign them at open. */
  checkpointTail: number | undefined;
  /** Why the ledger cannot vouch for its chain as found, and the last checkpoint it had. */
  refusal: { problem: string; lastCheckpoint: string | undefined } | undefined;
  erasures: ErasureEntry[];
}

interface Files {
  ledger: FileHandle;
  keys: FileHandle;
  index: FileHandle;
  chunks: FileHandle;
  checkpoints: FileHandle | undefined;
  lockPath: string;
  state: StateFiles;
}

export class JsonlLedgerStore implements LedgerStore {
  readonly #files: Files;
  /** The key file, in memory too (32 bytes per entry). */
  #keyBytes: Buffer;
  readonly #slots: IndexSlots;
  readonly #chunks: ChunkHashes;
  /** Entry per event id (its 16 bytes). */
  readonly #byId: ByteKeyTable;
  /** Entries appended but not yet durable, with the promise that settles when they are. */
  readonly #pending = new Map<number, { entry: ChainEntry; durable: Promise<string | undefined> }>();
  /** Every erasure entry, and which erasure took each erased entry. */
  readonly #erasures = new Map<number, ErasureEntry>();
  readonly #erasedBy = new Map<number, number>();
  #index: CustomerIndex;
  /** Records written before index() named how to identify them. */
  #unidentified: number[] = [];
  #identify: Identify | undefined;
  /** The secret for identifier digests (slot 0 of the key file). */
  readonly #digestSecret: Buffer;
  #count: number;
  /** The last entry a key is made for (in #keyBytes), and the last whose key is durable. */
  #keysMadeTo: number;
  #keysDurableTo: number;
  /** Settles when every key made so far is durable; rejects when writing them failed. */
  #keysWritten: Promise<void> = Promise.resolve();
  #lastHash: string;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  /** Settles when the latest append so far is durable (and so every earlier one): what a read waits for (it may reject). */
  #latestWrite: Promise<unknown> = Promise.resolve();
  #broken: unknown;
  readonly #now: () => Date;
  readonly #options: JsonlStoreOptions;
  /** What the entries' MACs are made with (see hash-chain.ts); none without a signing key. */
  readonly #entrySecret: Buffer | undefined;
  /** The size of the last checkpoint that is durable: every new entry's MAC names it (see entryMac). */
  #checkpointed = 0;
  #lastCheckpoint: string | undefined;
  /** Index file writes, one after another (two at once could leave an older slot written last). */
  #indexWrites: Promise<void> = Promise.resolve();
  #indexTimer: NodeJS.Timeout | undefined;

  private constructor(files: Files, state: OpenedLedger, options: JsonlStoreOptions) {
    this.#files = files;
    this.#keyBytes = state.keyBytes;
    this.#digestSecret = Buffer.from(state.keyBytes.subarray(0, RECORD_KEY_BYTES));
    this.#slots = state.slots;
    this.#chunks = state.chunks;
    this.#count = state.count;
    this.#keysMadeTo = this.#keysDurableTo = state.count;
    this.#lastHash = state.lastHash;
    this.#lastCheckpoint = state.lastCheckpoint;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#index = new CustomerIndex((seq) => this.#slots.digestKeys(seq), state.count);
    this.#byId = new ByteKeyTable(16, state.count);
    this.#entrySecret = options.signer?.secretFor('entries');
    this.#checkpointed = state.lastCheckpoint ? checkpointSize(state.lastCheckpoint) : 0;
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
    const handles: FileHandle[] = [];
    const openFile = async (name: string, mode = 0o600) => {
      const file = join(directory, name);
      // Created readable by the ledger's user only: the key file reads every record not yet erased.
      await (await open(file, 'a', mode)).close();
      const handle = await open(file, 'r+');
      handles.push(handle);
      return handle;
    };
    try {
      const ledger = await open(path, 'a+');
      handles.push(ledger);
      const keys = await openFile(RECORD_KEYS_FILE_NAME);
      const index = await openFile(INDEX_FILE_NAME);
      const chunkFile = await openFile(CHUNKS_FILE_NAME);
      const opened = await openLedger(directory, path, { ledger, keys, index, chunks: chunkFile }, options);
      const logPath = join(directory, CHECKPOINT_LOG_NAME);
      if (opened.refusal) {
        // Accepting history as found: the checkpoints of the history it replaces are kept aside, not deleted.
        await rename(logPath, join(directory, `checkpoints.before-entry-${opened.count + 1}.log`)).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          },
        );
      }
      const checkpoints = options.signer ? await open(logPath, 'a') : undefined;
      if (checkpoints) handles.push(checkpoints);
      if (options.signer && checkpoints && !opened.refusal) {
        let signed: string | undefined;
        if (opened.count === 0 && !opened.lastCheckpoint) {
          // A new ledger signs its empty chain at once: from now on, entries without a checkpoint are explained.
          signed = options.signer.sign(0, GENESIS_HASH);
        } else if (opened.checkpointTail !== undefined) {
          console.warn(
            `ledger: entries ${opened.checkpointTail}–${opened.count} of ${path} were written by this ledger (they carry its MAC) but their checkpoint was not (a crash between the two writes, or a checkpoint log cut short): signed now`,
          );
          signed = options.signer.sign(opened.count, opened.lastHash);
        }
        if (signed) {
          await checkpoints.appendFile(signed);
          await checkpoints.datasync();
          opened.lastCheckpoint = signed;
        }
      }
      await syncDirectory(directory);
      // A ledger that signs its checkpoints takes no entry without its key (it could not vouch for it later).
      const hasLog =
        !options.signer &&
        (await stat(logPath).then(
          (file) => file.size > 0,
          () => false,
        ));
      const store = new JsonlLedgerStore(
        { ledger, keys, index, chunks: chunkFile, checkpoints, lockPath, state: new StateFiles(directory) },
        opened,
        {
          ...options,
          writeRefusal: hasLog
            ? `the ledger in ${directory} signs its checkpoints (${CHECKPOINT_LOG_NAME}): open it with its key (--key), or entries written now could not be vouched for`
            : undefined,
        },
      );
      await store.#load(opened.erasures);
      // The operator's acceptance of the chain as found; the checkpoint signed over it vouches for it from now on.
      if (opened.refusal && options.acceptHistory) {
        await store.append(historyAcceptance(opened, opened.refusal, options.acceptHistory));
      }
      return store;
    } catch (error) {
      for (const handle of handles) await handle.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A customer index from the slots. Records whose digests it may not use
   * (none yet, or made by other identity rules) wait for index().
   */
  #indexFromSlots({ trustDigests }: { trustDigests: boolean }): void {
    this.#index = new CustomerIndex((seq) => this.#slots.digestKeys(seq), this.#slots.count);
    this.#unidentified = [];
    for (let seq = 1; seq <= this.#slots.count; seq += 1) {
      const kind = this.#slots.kind(seq);
      if (kind === SlotKind.Record && trustDigests) this.#index.add(seq, this.#slots.digestKeys(seq));
      else if (kind === SlotKind.Record || kind === SlotKind.Unidentified) this.#unidentified.push(seq);
      else if (kind === SlotKind.Erasure) {
        this.#index.addErasure(seq, digestKeys(this.#erasures.get(seq)?.event.identifierDigests ?? []));
      }
    }
  }

  /** Settles once every append so far is durable, or failed (its caller hears of that). */
  #writesSettled(): Promise<unknown> {
    return this.#latestWrite.catch(() => undefined);
  }

  /** Fills memory from the slots: event ids, erasures (applied again), the customer index. */
  async #load(erasures: readonly ErasureEntry[]): Promise<void> {
    for (let seq = 1; seq <= this.#count; seq += 1) this.#byId.set(this.#slots.bytes, this.#slots.eventIdAt(seq), seq);
    for (const erasure of erasures) {
      this.#erasures.set(erasure.seq, erasure);
      for (const seq of erasure.event.erasedSeqs) if (!this.#erasedBy.has(seq)) this.#erasedBy.set(seq, erasure.seq);
    }
    // A crash may have come between an erasure and the end of its shredding: finish it, for every
    // erasure at once (one fsync of the key file, one write of the index).
    await this.#destroyKeys(erasures.flatMap((erasure) => erasure.event.erasedSeqs));
    this.#indexFromSlots({ trustDigests: true });
  }

  async append(event: StoredRecord, flags: RecordFlag[] = [], identifiers?: readonly string[]): Promise<AppendOutcome> {
    if (this.#broken) throw new Error('the ledger stopped writing after a write error; restart it');
    if (this.#options.writeRefusal) throw new Error(this.#options.writeRefusal);
    const idBytes = eventIdBytes(event.id);
    const known = this.#byId.get(idBytes);
    if (known !== -1) {
      const pending = this.#pending.get(known);
      const checkpoint = pending ? await pending.durable : this.#lastCheckpoint;
      const entry = pending?.entry ?? (await this.#read(known));
      const same = isSameRecord(entry, event);
      return { kind: same ? 'repeat' : 'conflict', entry, ...(checkpoint ? { checkpoint } : {}) };
    }
    this.#count += 1;
    const seq = this.#count;
    const receivedAt = this.#now().toISOString();
    const prevHash = this.#lastHash;
    const { entry, stored, key } = chainEntry(event, {
      seq,
      receivedAt,
      prevHash,
      flags,
      key: this.#keyFor(seq),
      mac: this.#entrySecret && { secret: this.#entrySecret, checkpointed: this.#checkpointed },
    });
    this.#lastHash = entry.hash;
    const keys = isLedgerOwnRecord(event) ? [] : (identifiers ?? this.#identify?.(event));
    const digests = keys?.map((identifier) => this.identifierDigest(identifier));
    const durable = new Promise<string | undefined>((resolve, reject) => {
      this.#queue.push({ line: stored, seq, idBytes, entry, digests, key, resolve, reject });
    });
    this.#byId.set(idBytes, 0, seq);
    this.#pending.set(seq, { entry, durable });
    this.#latestWrite = durable;
    this.#flushing ??= this.#flush();
    const checkpoint = await durable;
    return { kind: 'created', entry, ...(checkpoint ? { checkpoint } : {}) };
  }

  async erase(erasures: readonly ErasureRecord[]): Promise<AppendOutcome[]> {
    for (const erasure of erasures) {
      for (const seq of erasure.erasedSeqs) {
        const refusal = erasureRefusal(seq, seq >= 1 && seq <= this.#count ? await this.#read(seq) : undefined);
        if (refusal) throw refusal;
      }
    }
    // Entries erased already (by an erasure that got there first) are not named again.
    const fresh = erasures.map((erasure) => ({
      ...erasure,
      erasedSeqs: erasure.erasedSeqs.filter((seq) => !this.#erasedBy.has(seq)),
    }));
    const appended = fresh.map((erasure) => (erasure.erasedSeqs.length > 0 ? this.append(erasure) : undefined));
    // Readers stop seeing the data at once (the erasure is in memory now, listed once durable), so no
    // read returns records an erasure is taking out. The keys go only once the erasure is durable:
    // a crash in between is finished at the next start-up.
    for (const erasure of fresh) {
      const entry = this.#pending.get(this.#byId.get(eventIdBytes(erasure.id)))?.entry;
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
      const by = this.#erasedBy.get(erasures[index]!.erasedSeqs[0]!)!;
      outcomes.push({ kind: 'repeat', entry: this.#erasures.get(by)! });
    }
    return outcomes;
  }

  identifierDigest(identifier: string): string {
    return createHmac('sha256', this.#digestSecret).update(identifier).digest('base64url');
  }

  async index(identify: Identify): Promise<void> {
    // New entries are identified as they are appended from now on; the ones before are done here.
    this.#identify = identify;
    const version = IndexSlots.identityVersionOf(identify.version ?? '');
    if (this.#slots.identityVersion !== version) {
      // Other rules (another phone country): every record is identified again, and linked anew.
      this.#indexFromSlots({ trustDigests: false });
      this.#slots.identityVersion = identify.version ?? '';
    }
    const waiting = this.#unidentified;
    this.#unidentified = [];
    // A thousand at a time, their lines read in runs (a start without trusted index files has every record here).
    for (let from = 0; from < waiting.length; from += 1000) {
      const seqs = waiting.slice(from, from + 1000);
      const read = await this.#readMany(seqs);
      for (const seq of seqs) {
        const entry = read.get(seq)!;
        if (!isRecord(entry)) continue;
        const digests = identify(entry.event).map((key) => this.identifierDigest(key));
        this.#slots.set(seq, { end: this.#slots.end(seq), eventId: entry.event.id, kind: SlotKind.Record, digests });
        this.#index.add(seq, this.#slots.digestKeys(seq));
      }
    }
    await this.#saveIndex();
  }

  async customerEntries(identifiers: readonly string[]): Promise<ChainEntry[]> {
    // A read sees every write that came before it (not those that come while it waits).
    await this.#writesSettled();
    const seqs = this.#index.lookup(digestKeys(identifiers.map((key) => this.identifierDigest(key))));
    const read = await this.#readMany(seqs);
    return seqs.map((seq) => read.get(seq)!);
  }

  async *customers(): AsyncGenerator<ChainEntry[]> {
    await this.#writesSettled();
    // A hundred customers at a time, their lines read in runs: customers come in order of their
    // first entry, so most runs are whole stretches of the file.
    let group: number[][] = [];
    for (const seqs of this.#index.customers()) {
      group.push(seqs);
      if (group.length === 100) {
        yield* await this.#readCustomers(group);
        group = [];
        // A scan of every customer (retention, an audience) lets requests in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    yield* await this.#readCustomers(group);
  }

  /** The entries of these customers, each customer's together. */
  async #readCustomers(customers: readonly number[][]): Promise<ChainEntry[][]> {
    const read = await this.#readMany(customers.flat().sort((a, b) => a - b));
    return customers.map((seqs) => seqs.map((seq) => read.get(seq)!));
  }

  async entryById(id: string): Promise<ChainEntry | undefined> {
    const seq = this.#byId.get(eventIdBytes(id));
    return seq === -1 ? undefined : this.#read(seq);
  }

  async entries(options: { afterSeq?: number; limit?: number } = {}): Promise<ChainEntry[]> {
    // Entries are listed once durable: wait for writes in flight.
    await this.#writesSettled();
    const first = Math.max(0, options.afterSeq ?? 0) + 1;
    const last = Math.min(this.#slots.count, options.limit === undefined ? Infinity : first + options.limit - 1);
    const seqs = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
    const read = await this.#readMany(seqs);
    return seqs.map((seq) => read.get(seq)!);
  }

  async storedLines(options: { afterSeq?: number; limit?: number } = {}): Promise<string[]> {
    await this.#writesSettled();
    const first = Math.max(0, options.afterSeq ?? 0) + 1;
    const last = Math.min(this.#slots.count, options.limit === undefined ? Infinity : first + options.limit - 1);
    if (last < first) return [];
    const from = this.#slots.start(first);
    const buffer = Buffer.alloc(this.#slots.end(last) - from);
    await this.#files.ledger.read(buffer, 0, buffer.length, from);
    return Array.from({ length: last - first + 1 }, (_, i) =>
      buffer.toString('utf8', this.#slots.start(first + i) - from, this.#slots.end(first + i) - from - 1),
    );
  }

  readState(name: string): Promise<string | undefined> {
    return this.#files.state.read(name);
  }

  writeState(name: string, value: string | undefined): Promise<void> {
    return this.#files.state.write(name, value);
  }

  stateNames(prefix: string): Promise<string[]> {
    return this.#files.state.names(prefix);
  }

  async alone(_name: string, work: () => Promise<void>): Promise<boolean> {
    await work();
    return true;
  }

  async close(): Promise<void> {
    await this.#flushing;
    // Keys made ahead for entries that did not come are cut, so a stopped ledger's key file has one per entry.
    await this.#keysWritten.catch(() => undefined);
    if (!this.#broken) await this.#files.keys.truncate((this.#count + 1) * RECORD_KEY_BYTES).catch(() => undefined);
    clearTimeout(this.#indexTimer);
    await this.#saveIndex().catch(() => undefined);
    const { ledger, keys, index, chunks, checkpoints, lockPath } = this.#files;
    for (const handle of [ledger, keys, index, chunks, checkpoints]) await handle?.close();
    await unlink(lockPath).catch(() => undefined);
  }

  /**
   * Entries as readers see them, by sequence number (`seqs` ascending): lines
   * close together are read in one go.
   */
  async #readMany(seqs: readonly number[]): Promise<Map<number, ChainEntry>> {
    const read = new Map<number, ChainEntry>();
    const durable: number[] = [];
    for (const seq of seqs) {
      const pending = this.#pending.get(seq);
      if (!pending) durable.push(seq);
      else read.set(seq, this.#erasedBy.has(seq) ? this.#opened(pending.entry) : pending.entry);
    }
    for (let i = 0; i < durable.length;) {
      let j = i;
      // One read while the next line starts within 64 KiB of where the run ends.
      while (j + 1 < durable.length && this.#slots.start(durable[j + 1]!) - this.#slots.end(durable[j]!) < 65_536)
        j += 1;
      const from = this.#slots.start(durable[i]!);
      const buffer = Buffer.alloc(this.#slots.end(durable[j]!) - from);
      await this.#files.ledger.read(buffer, 0, buffer.length, from);
      for (let k = i; k <= j; k += 1) {
        const seq = durable[k]!;
        const text = buffer.toString('utf8', this.#slots.start(seq) - from, this.#slots.end(seq) - from);
        read.set(seq, this.#opened(JSON.parse(text) as ChainEntry));
      }
      i = j + 1;
    }
    return read;
  }

  /** One entry as readers see it: with its personal data, or erased. */
  async #read(seq: number): Promise<ChainEntry> {
    return (await this.#readMany([seq])).get(seq)!;
  }

  /** A stored entry opened with its key, or in its erased form. */
  #opened(stored: ChainEntry): ChainEntry {
    const by = this.#erasedBy.get(stored.seq);
    const erasure = by === undefined ? undefined : this.#erasures.get(by);
    if (erasure && 'sealed' in stored && stored.sealed !== undefined) return erasedForm(stored, erasure);
    const at = stored.seq * RECORD_KEY_BYTES;
    return readStoredEntry(
      stored,
      at < this.#keyBytes.length ? this.#keyBytes.subarray(at, at + RECORD_KEY_BYTES) : undefined,
      erasure,
      `the key of entry ${stored.seq} is missing from ${RECORD_KEYS_FILE_NAME}: restore it from a backup (the chain itself is intact)`,
    );
  }

  /** Takes the records an erasure names away from readers, in memory. */
  #forget(erasure: ErasureEntry): void {
    this.#erasures.set(erasure.seq, erasure);
    for (const seq of erasure.event.erasedSeqs) if (!this.#erasedBy.has(seq)) this.#erasedBy.set(seq, erasure.seq);
    this.#index.remove(erasure.event.erasedSeqs);
  }

  /**
   * Overwrites the keys of these entries with zeros, durably; their digests
   * leave the index file. Keys already gone are left as they are.
   */
  async #destroyKeys(seqs: readonly number[]): Promise<void> {
    let wrote = false;
    for (const seq of seqs) {
      const at = seq * RECORD_KEY_BYTES;
      if (at < this.#keyBytes.length && isLiveKey(this.#keyBytes.subarray(at, at + RECORD_KEY_BYTES))) {
        await this.#zeroKey(seq);
        wrote = true;
      }
      if (this.#slots.kind(seq) !== SlotKind.Erased) this.#slots.erase(seq);
    }
    if (wrote) await this.#files.keys.datasync();
    await this.#saveIndex();
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        // Everything queued so far is in this batch, so the head now is the batch's last entry.
        const size = batch.at(-1)!.seq;
        const head = batch.at(-1)!.entry.hash;
        // Keys first: an entry on disk must never lack its key. They were made ahead, so this rarely waits.
        if (size > this.#keysDurableTo) await this.#keysWritten;
        const { lines, ends } = linesOf(batch);
        await this.#files.ledger.appendFile(lines);
        await this.#files.ledger.datasync();
        let checkpoint: string | undefined;
        if (this.#options.signer && this.#files.checkpoints) {
          checkpoint = this.#options.signer.sign(size, head);
          await this.#files.checkpoints.appendFile(checkpoint);
          await this.#files.checkpoints.datasync();
          this.#lastCheckpoint = checkpoint;
          this.#checkpointed = size;
          this.#options.onCheckpoint?.(checkpoint);
        }
        this.#indexBatch(batch, ends);
        this.#chunks.append(lines);
        for (const pending of batch) {
          this.#pending.delete(pending.seq);
          pending.resolve(checkpoint);
        }
        // An erasure seals nothing: the key made for its place goes (not fsynced; a key left over opens nothing).
        for (const { seq, key } of batch) if (!key) await this.#zeroKey(seq);
        // The index files are not needed for the proof: written after the acknowledgement, never fsynced.
        this.#saveIndexSoon();
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

  /** Writes the index files' changes now, after any write of them already under way. */
  #saveIndex(): Promise<void> {
    const write = this.#indexWrites.then(async () => {
      await this.#slots.save(this.#files.index);
      await this.#chunks.save(this.#files.chunks);
    });
    this.#indexWrites = write.catch(() => undefined);
    return write;
  }

  /** Writes the index files' changes within INDEX_SAVE_DELAY_MS. */
  #saveIndexSoon(): void {
    this.#indexTimer ??= setTimeout(() => {
      this.#indexTimer = undefined;
      this.#saveIndex().catch((error: unknown) =>
        console.warn(
          `ledger: could not write the index files (the next start reads the ledger's tail instead): ${String(error)}`,
        ),
      );
    }, INDEX_SAVE_DELAY_MS).unref();
  }

  /** The batch's lines are durable: their slots, and the customer index, take them in. */
  #indexBatch(batch: readonly Pending[], ends: readonly number[]): void {
    // The batch's lines follow the line before it.
    const start = this.#slots.end(batch[0]!.seq - 1);
    for (const [index, { seq, idBytes: eventId, entry, digests }] of batch.entries()) {
      const end = start + ends[index]!;
      if (isErasure(entry)) {
        this.#slots.set(seq, { end, eventId, kind: SlotKind.Erasure });
        this.#index.addErasure(seq, digestKeys(entry.event.identifierDigests ?? []));
      } else if (isHistoryAcceptance(entry)) {
        this.#slots.set(seq, { end, eventId, kind: SlotKind.Note });
      } else if (this.#erasedBy.has(seq)) {
        this.#slots.set(seq, { end, eventId, kind: SlotKind.Erased });
      } else if (digests) {
        this.#slots.set(seq, { end, eventId, kind: SlotKind.Record, digests });
        this.#index.add(seq, this.#slots.digestKeys(seq));
      } else {
        this.#slots.set(seq, { end, eventId, kind: SlotKind.Unidentified });
        this.#unidentified.push(seq);
      }
    }
  }

  /** The key made for entry `seq`. Half a block before the keys run out, the next block is made. */
  #keyFor(seq: number): Buffer {
    const block = Math.min(KEYS_AHEAD.most, Math.max(KEYS_AHEAD.least, 2 ** Math.ceil(Math.log2(seq))));
    while (seq + block / 2 > this.#keysMadeTo) this.#makeKeys(block);
    const at = seq * RECORD_KEY_BYTES;
    return Buffer.from(this.#keyBytes.subarray(at, at + RECORD_KEY_BYTES));
  }

  /** Makes the next `count` keys, in memory now, and writes and fsyncs them after the blocks before. */
  #makeKeys(count: number): void {
    const first = this.#keysMadeTo + 1;
    const last = first + count - 1;
    const keys = randomBytes(count * RECORD_KEY_BYTES);
    const at = first * RECORD_KEY_BYTES;
    if (at + keys.length > this.#keyBytes.length) {
      const grown = Buffer.alloc(Math.max(at + keys.length, this.#keyBytes.length * 2));
      this.#keyBytes.copy(grown);
      this.#keyBytes = grown;
    }
    keys.copy(this.#keyBytes, at);
    this.#keysMadeTo = last;
    const before = this.#keysWritten;
    this.#keysWritten = (async () => {
      await before;
      await this.#files.keys.write(keys, 0, keys.length, at);
      await this.#files.keys.datasync();
      this.#keysDurableTo = last;
    })();
    // A failed write is met by the batch that waits for these keys (it stops the ledger), not left unhandled.
    this.#keysWritten.catch(() => undefined);
  }

  /** Overwrites a key with zeros, in memory and on disk (not fsynced: the caller decides). */
  async #zeroKey(seq: number): Promise<void> {
    const at = seq * RECORD_KEY_BYTES;
    this.#keyBytes.fill(0, at, at + RECORD_KEY_BYTES);
    await this.#files.keys.write(Buffer.alloc(RECORD_KEY_BYTES), 0, RECORD_KEY_BYTES, at);
  }
}

/**
 * Reads the ledger as far as it must: the slots vouch for the lines they
 * cover once the chunk MACs match the file; lines past them are parsed
 * and their chain checked, and get slots. Checks the chain against the last
 * signed checkpoint (see startUpVerdict), drops a torn last line, and opens the keys.
 */
async function openLedger(
  directory: string,
  path: string,
  files: { ledger: FileHandle; keys: FileHandle; index: FileHandle; chunks: FileHandle },
  options: JsonlStoreOptions,
): Promise<OpenedLedger> {
  let bytes = (await files.ledger.stat()).size;
  let keyBytes: Buffer = await files.keys.readFile();
  if (keyBytes.length < RECORD_KEY_BYTES) {
    const last = bytes > 0 ? await lastLine(files.ledger, bytes) : undefined;
    if (last && 'sealed' in last && last.sealed !== undefined) {
      throw new Error(
        `the key file ${join(directory, RECORD_KEYS_FILE_NAME)} is missing, but the ledger holds sealed personal data: restore ${RECORD_KEYS_FILE_NAME} from a backup (the chain itself is intact)`,
      );
    }
    keyBytes = newRecordKey();
    await files.keys.write(keyBytes, 0, RECORD_KEY_BYTES, 0);
  }
  const digestSecret = keyBytes.subarray(0, RECORD_KEY_BYTES);
  // Only a MAC the ledger's key can make vouches for lines start-up does not read (see jsonl-index-files.ts).
  const indexSecret = options.signer?.secretFor('index');
  const slots = IndexSlots.read(await files.index.readFile(), digestSecret, bytes, indexSecret);
  const chunks = ChunkHashes.read(await files.chunks.readFile(), indexSecret);

  // How far the index vouches: its slots, as far as the chunk hashes hold, and their last line must be what the slot says.
  let trusted = slots.count;
  const wanted = Math.floor(slots.end(trusted) / CHUNK_BYTES);
  const verifiedChunks = await chunks.verify(files.ledger, wanted);
  let matches = verifiedChunks === wanted;
  // The lines past the last verified MiB are read again below (a small ledger has none verified: all of it).
  while (trusted > 0 && slots.end(trusted) > verifiedChunks * CHUNK_BYTES) trusted -= 1;
  let lastHash = GENESIS_HASH;
  if (trusted > 0) {
    const anchor = await lineAt(files.ledger, slots.start(trusted), slots.end(trusted));
    if (anchor?.seq === trusted && slots.hasEventId(trusted, anchor.event.id)) lastHash = anchor.hash;
    else [trusted, matches] = [0, false];
  }
  if (!matches) {
    console.warn(
      `ledger: the index of ${path} does not match the ledger; reading every line from entry ${trusted + 1}`,
    );
  }
  slots.truncate(trusted);
  chunks.truncate(slots.end(trusted));

  // Every line after that is read, its chain checked, and given a slot.
  let count = trusted;
  const erasures: ErasureEntry[] = [];
  let intactBytes = slots.end(trusted);
  let tornTail = false;
  // What is wrong with the line after `count`, when something is.
  let damage: string | undefined;
  try {
    for await (const read of storedEntries(files.ledger, intactBytes, bytes, count + 1)) {
      if ('torn' in read) {
        tornTail = true;
        break;
      }
      const { entry, end } = read;
      damage = findChainBreak([entry], { index: count, prevHash: lastHash })?.reason;
      if (damage) break;
      count += 1;
      lastHash = entry.hash;
      intactBytes = end;
      const kind = isErasure(entry)
        ? SlotKind.Erasure
        : isHistoryAcceptance(entry)
          ? SlotKind.Note
          : SlotKind.Unidentified;
      slots.set(count, { end, eventId: entry.event.id, kind });
    }
  } catch (error) {
    damage = (error as Error).message;
  }
  if (damage) {
    throw new Error(
      `the ledger ${path} is broken at entry ${count + 1}: ${damage}. Run "marketing-consent-ledger verify" and restore it from a backup.`,
    );
  }
  // The erasures the slots know of are read from the ledger (there are few).
  for (let seq = 1; seq <= count; seq += 1) {
    if (slots.kind(seq) === SlotKind.Erasure)
      erasures.push((await lineAt(files.ledger, slots.start(seq), slots.end(seq))) as ErasureEntry);
  }

  let lastCheckpoint: string | undefined;
  let checkpointTail: number | undefined;
  let refusal: OpenedLedger['refusal'];
  if (options.signer) {
    const notes = splitCheckpoints(await readFile(join(directory, CHECKPOINT_LOG_NAME), 'utf8').catch(() => ''));
    const trustedKeys = [options.signer.verifierKey, ...(options.trustedKeys ?? [])];
    // A write a crash interrupted was made when the last checkpoint, or the one before it, was durable.
    const trusted = latestTrusted(notes.reverse(), trustedKeys, 2);
    const last = trusted[0]?.note;
    const checkpoint = trusted[0]?.checkpoint;
    const inFlight = trusted.map((found) => found.checkpoint.size);
    const covered =
      !checkpoint || checkpoint.size === 0 || checkpoint.size > count
        ? undefined
        : await lineAt(files.ledger, slots.start(checkpoint.size), slots.end(checkpoint.size));
    const entrySecret = options.signer.secretFor('entries');
    const verdict = await startUpVerdict({
      count,
      last: checkpoint,
      hashAtSize: covered?.hash,
      tailVouched: async (from) => {
        for await (const read of storedEntries(files.ledger, slots.start(from), slots.end(count), from)) {
          if ('torn' in read || !hasValidMac(entrySecret, read.entry, inFlight)) return false;
        }
        return true;
      },
    });
    if (verdict.kind === 'refuse') refusal = { problem: verdict.problem, lastCheckpoint: last };
    else lastCheckpoint = last;
    if (verdict.kind === 'sign') checkpointTail = verdict.from;
  }
  if (refusal && !options.acceptHistory) {
    throw new Error(
      `the ledger ${path} cannot be vouched for: ${refusal.problem}. ${refusalFix(`--data ${directory}`)}`,
    );
  }
  if (!refusal && options.acceptHistory) {
    throw new Error(`the ledger ${path} matches its signed checkpoints: there is no history to accept`);
  }
  if (tornTail) {
    // The torn line was never acknowledged: its fsync had not returned.
    await files.ledger.truncate(intactBytes);
    await files.ledger.datasync();
    bytes = intactBytes;
  }
  slots.truncate(count);
  chunks.truncate(bytes);
  await chunks.resume(files.ledger, bytes);
  // Keys made ahead for entries that never came (a torn line's too) go.
  keyBytes = keyBytes.subarray(0, Math.min(keyBytes.length, (count + 1) * RECORD_KEY_BYTES));
  await files.keys.truncate(Math.max(RECORD_KEY_BYTES, (count + 1) * RECORD_KEY_BYTES));
  await files.keys.datasync();
  return { keyBytes, slots, chunks, count, lastHash, lastCheckpoint, checkpointTail, refusal, erasures };
}

/** The entry stored between two byte offsets, or undefined when that is not one whole line. */
async function lineAt(file: FileHandle, start: number, end: number): Promise<ChainEntry | undefined> {
  const buffer = Buffer.alloc(end - start);
  const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
  if (bytesRead !== buffer.length || buffer[buffer.length - 1] !== 10) return undefined;
  return parseLine(buffer.toString('utf8', 0, buffer.length - 1));
}

/** The last whole line of the file, parsed (to tell whether a ledger without a key file needs one). */
async function lastLine(file: FileHandle, bytes: number): Promise<ChainEntry | undefined> {
  const size = Math.min(bytes, 1 << 20);
  const buffer = Buffer.alloc(size);
  await file.read(buffer, 0, size, bytes - size);
  const text = buffer.toString('utf8').trimEnd();
  return parseLine(text.slice(text.lastIndexOf('\n') + 1));
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
