/**
 * The embedded default store: an append-only JSON Lines file, one entry per
 * line, hash-chained (see hash-chain.ts). An append resolves only after its
 * line is written and fsynced; appends that arrive while a write is in
 * flight share the next write and fsync (group commit), so durability does
 * not cap throughput at one fsync per request.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRecord, RecordFlag } from '../contract/ledger-records.js';
import { GENESIS_HASH, entryHash, findChainBreak } from './hash-chain.js';
import type { AppendOutcome, LedgerEntry, LedgerStore } from './ledger-store.js';

export const LEDGER_FILE_NAME = 'ledger.jsonl';

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Indexed {
  entry: LedgerEntry;
  /** The event as canonical JSON, to tell a repeat from a conflict. */
  eventJson: string;
  /** Settles when the entry is on disk; a repeat waits for it too. */
  durable: Promise<void>;
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

  private constructor(file: FileHandle, entries: LedgerEntry[], now: () => Date) {
    this.#file = file;
    this.#entries = entries;
    this.#now = now;
    this.#lastHash = entries.at(-1)?.hash ?? GENESIS_HASH;
    for (const entry of entries) {
      this.#byId.set(entry.event.id, { entry, eventJson: JSON.stringify(entry.event), durable: Promise.resolve() });
    }
  }

  /**
   * Opens (or creates) the ledger in `directory`. Repairs a torn last line
   * left by a crash; refuses to open a ledger whose hash chain is broken.
   */
  static async open(directory: string, options: { now?: () => Date } = {}): Promise<JsonlLedgerStore> {
    await mkdir(directory, { recursive: true });
    const path = join(directory, LEDGER_FILE_NAME);
    const file = await open(path, 'a+');
    try {
      const { entries, intactBytes, tornTail } = parseLedger(await file.readFile({ encoding: 'utf8' }));
      if (tornTail) {
        // The torn line was never acknowledged: its fsync had not returned.
        await file.truncate(intactBytes);
        await file.datasync();
      }
      const broken = findChainBreak(entries);
      if (broken) {
        throw new Error(
          `the ledger ${path} is broken at entry ${broken.seq}: ${broken.reason}. Run "marketing-consent-ledger verify" and restore it from a backup.`,
        );
      }
      await syncDirectory(directory);
      return new JsonlLedgerStore(file, entries, options.now ?? (() => new Date()));
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async append(event: LedgerRecord, flags: RecordFlag[] = []): Promise<AppendOutcome> {
    if (this.#broken) throw new Error('the ledger stopped writing after a write error; restart it');
    const eventJson = JSON.stringify(event);
    const known = this.#byId.get(event.id);
    if (known) {
      await known.durable;
      return { kind: known.eventJson === eventJson ? 'repeat' : 'conflict', entry: known.entry };
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
    const durable = new Promise<void>((resolve, reject) => {
      this.#queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
    });
    this.#byId.set(event.id, { entry, eventJson, durable });
    this.#flushing ??= this.#flush();
    await durable;
    return { kind: 'created', entry };
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
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#file.appendFile(batch.map((pending) => pending.line).join(''));
        await this.#file.datasync();
        for (const pending of batch) pending.resolve();
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

/** fsync the directory, so a newly created ledger file survives a crash too. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
