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
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRecord, RecordFlag } from '../contract/ledger-records.js';
import { splitCheckpoints, openCheckpoint, type CheckpointSigner } from './checkpoint.js';
import { GENESIS_HASH, entryHash, findChainBreak } from './hash-chain.js';
import type { AppendOutcome, LedgerEntry, LedgerStore } from './ledger-store.js';

export const LEDGER_FILE_NAME = 'ledger.jsonl';
export const CHECKPOINT_LOG_NAME = 'checkpoints.log';

interface Pending {
  line: string;
  resolve: (checkpoint: string | undefined) => void;
  reject: (error: unknown) => void;
}

interface Indexed {
  entry: LedgerEntry;
  /** The event as canonical JSON, to tell a repeat from a conflict. */
  eventJson: string;
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

/** Reads a ledger file: the entries, and the byte length of its intact part. */
export function parseLedger(text: string): { entries: LedgerEntry[]; intactBytes: number; tornTail: boolean } {
  const entries: LedgerEntry[] = [];
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const line = end === -1 ? text.slice(offset) : text.slice(offset, end);
    let entry: LedgerEntry | undefined;
    try {
      entry = JSON.parse(line) as LedgerEntry;
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
  readonly #entries: LedgerEntry[];
  readonly #byId = new Map<string, Indexed>();
  #lastHash: string;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #broken: unknown;
  readonly #now: () => Date;
  readonly #checkpoints: FileHandle | undefined;
  readonly #options: JsonlStoreOptions;
  #lastCheckpoint: string | undefined;

  private constructor(
    file: FileHandle,
    entries: LedgerEntry[],
    options: JsonlStoreOptions,
    checkpoints: FileHandle | undefined,
    lastCheckpoint: string | undefined,
  ) {
    this.#file = file;
    this.#entries = entries;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#checkpoints = checkpoints;
    this.#lastCheckpoint = lastCheckpoint;
    this.#lastHash = entries.at(-1)?.hash ?? GENESIS_HASH;
    const durable = Promise.resolve(lastCheckpoint);
    for (const entry of entries) {
      this.#byId.set(entry.event.id, { entry, eventJson: JSON.stringify(entry.event), durable });
    }
  }

  /** The latest signed checkpoint, covering every acknowledged entry (undefined without a signer). */
  get lastCheckpoint(): string | undefined {
    return this.#lastCheckpoint;
  }

  /**
   * Opens (or creates) the ledger in `directory`. Repairs a torn last line
   * left by a crash; refuses to open a ledger whose hash chain is broken.
   */
  static async open(directory: string, options: JsonlStoreOptions = {}): Promise<JsonlLedgerStore> {
    await mkdir(directory, { recursive: true });
    const path = join(directory, LEDGER_FILE_NAME);
    const file = await open(path, 'a+');
    let checkpoints: FileHandle | undefined;
    try {
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
      await syncDirectory(directory);
      return new JsonlLedgerStore(file, entries, options, checkpoints, lastCheckpoint);
    } catch (error) {
      await file.close();
      await checkpoints?.close();
      throw error;
    }
  }

  async append(event: LedgerRecord, flags: RecordFlag[] = []): Promise<AppendOutcome> {
    if (this.#broken) throw new Error('the ledger stopped writing after a write error; restart it');
    const eventJson = JSON.stringify(event);
    const known = this.#byId.get(event.id);
    if (known) {
      const checkpoint = await known.durable;
      return {
        kind: known.eventJson === eventJson ? 'repeat' : 'conflict',
        entry: known.entry,
        ...(checkpoint ? { checkpoint } : {}),
      };
    }
    const seq = this.#entries.length + 1;
    const receivedAt = this.#now().toISOString();
    const prevHash = this.#lastHash;
    const entry: LedgerEntry = {
      seq,
      receivedAt,
      event,
      flags,
      prevHash,
      hash: entryHash(prevHash, { seq, receivedAt, event, flags }),
    };
    this.#lastHash = entry.hash;
    this.#entries.push(entry);
    const durable = new Promise<string | undefined>((resolve, reject) => {
      this.#queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
    });
    this.#byId.set(event.id, { entry, eventJson, durable });
    this.#flushing ??= this.#flush();
    const checkpoint = await durable;
    return { kind: 'created', entry, ...(checkpoint ? { checkpoint } : {}) };
  }

  async entries(options: { afterSeq?: number; limit?: number } = {}): Promise<LedgerEntry[]> {
    const start = Math.max(0, options.afterSeq ?? 0);
    const end = options.limit === undefined ? undefined : start + options.limit;
    // Entries are listed once durable: wait for writes in flight.
    await this.#flushing;
    return this.#entries.slice(start, end);
  }

  async close(): Promise<void> {
    await this.#flushing;
    await this.#file.close();
    await this.#checkpoints?.close();
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        // Everything queued so far is in this batch, so the head now is the batch's last entry.
        const size = this.#entries.length;
        const head = this.#lastHash;
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

/** Why the entries do not match a checkpoint of `size` entries with head `headHash`, if they do not. */
export function checkpointMismatch(
  entries: readonly LedgerEntry[],
  size: number,
  headHash: string,
): string | undefined {
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
