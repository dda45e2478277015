/**
 * The file store's index files, beside the ledger, so a ledger of millions
 * of entries starts in seconds without parsing, re-hashing and unsealing
 * every line. Neither is needed for the proof: both are rebuilt from the
 * ledger when missing or when they do not match it, and neither is fsynced
 * (what a crash loses is read again from the ledger's tail).
 *
 * Whatever start-up takes from them instead of reading the ledger is
 * vouched for by a MAC with a secret derived from the ledger's signing key
 * (which lives outside the data folder): someone who can write the folder
 * can edit the ledger and recompute a plain hash, not a MAC. Without a
 * signing key there is no such secret, so start-up trusts neither file and
 * reads every line.
 *
 * `ledger.index`: one 128-byte slot per entry, at offset seq × 128 (slot 0
 * is a header naming the format and the digest secret it was made with):
 * where the entry's line ends in the ledger, its event id, its kind, its
 * identifiers as keyed digests (never the identifiers themselves; an
 * erasure zeroes them), and the slot's MAC.
 *
 * `ledger.chunks`: a MAC of every complete MiB of the ledger file. At start
 * they are checked against the file (one pass, about a second per GB), so
 * an edited byte anywhere is still found at start-up.
 */
import { createHash, createHmac, timingSafeEqual, type Hmac } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { DIGEST_KEY_BYTES } from '../customer-index.js';

export const INDEX_FILE_NAME = 'ledger.index';
export const CHUNKS_FILE_NAME = 'ledger.chunks';

export const SLOT_BYTES = 128;
export const MAX_IDENTIFIERS = 3;
/** The leading bytes of an identifier digest a slot keeps (the customer index keys by fewer). */
const DIGEST_BYTES = 16;
const DIGESTS_AT = 32;
/** The slot's MAC: its first 16 bytes, over the entry's number and the slot's bytes before it. */
const SLOT_MAC_AT = 112;
const MAC_BYTES = 32;
const MAGIC = Buffer.from('MCLIDX02');
/** Where in the header the identity version sits (before it: the format, and the digest secret it belongs to). */
const IDENTITY_AT = 24;
export const CHUNK_BYTES = 1 << 20;

export const enum SlotKind {
  /** A record, its identifiers' digests in the slot. */
  Record = 1,
  Erasure = 2,
  /** A record not yet identified (the store did not know how when it was written). */
  Unidentified = 3,
  /** A record whose personal data is erased: no digests. */
  Erased = 4,
  /** One of the ledger's own records that is not an erasure (an acceptance of history). */
  Note = 5,
}

/** The slots, in memory as one buffer, and written back to the file range by range. */
export class IndexSlots {
  #bytes: Buffer;
  #count = 0;
  /** The slots changed since the last write to the file (0: the header). */
  #dirty = new Set<number>();
  /** Whether the file may hold slots past `count` (to be cut off at the next write). */
  #shortened = false;
  readonly #secret: Buffer | undefined;

  private constructor(bytes: Buffer, secret: Buffer | undefined) {
    this.#bytes = bytes;
    this.#secret = secret;
  }

  /**
   * The slots read from the file, and how many of them form an unbroken run
   * from entry 1 (each line ending after the one before, within the ledger's
   * `ledgerBytes`, its MAC made with `secret`). A file made with another
   * digest secret counts as empty; without a `secret` every file does.
   */
  static read(bytes: Buffer, digestSecret: Buffer, ledgerBytes: number, secret: Buffer | undefined): IndexSlots {
    // Sized to the file (and a little room): a platform opens many small ledgers.
    const slots = new IndexSlots(Buffer.alloc(Math.max(bytes.length, SLOT_BYTES * 16)), secret);
    const header = headerFor(digestSecret);
    if (
      secret &&
      bytes.length >= SLOT_BYTES &&
      bytes.subarray(0, IDENTITY_AT).equals(header.subarray(0, IDENTITY_AT))
    ) {
      bytes.copy(slots.#bytes);
      let count = 0;
      let previous = 0;
      while ((count + 2) * SLOT_BYTES <= bytes.length) {
        const seq = count + 1;
        const end = slots.end(seq);
        const kind = slots.kind(seq);
        const at = seq * SLOT_BYTES + SLOT_MAC_AT;
        const holds = timingSafeEqual(slots.#macOf(seq), slots.#bytes.subarray(at, at + SLOT_BYTES - SLOT_MAC_AT));
        if (!(holds && end > previous && end <= ledgerBytes && kind >= SlotKind.Record && kind <= SlotKind.Note)) break;
        previous = end;
        count += 1;
      }
      slots.#count = count;
    }
    header.copy(slots.#bytes, 0, 0, IDENTITY_AT);
    slots.#dirty.add(0);
    slots.#shortened = true;
    return slots;
  }

  /** The MAC slot `seq` must carry (zeros without a secret: such a slot is never trusted). */
  #macOf(seq: number): Buffer {
    if (!this.#secret) return Buffer.alloc(SLOT_BYTES - SLOT_MAC_AT);
    const number = Buffer.alloc(8);
    number.writeDoubleLE(seq);
    const at = seq * SLOT_BYTES;
    return createHmac('sha256', this.#secret)
      .update(number)
      .update(this.#bytes.subarray(at, at + SLOT_MAC_AT))
      .digest()
      .subarray(0, SLOT_BYTES - SLOT_MAC_AT);
  }

  #seal(seq: number): void {
    this.#macOf(seq).copy(this.#bytes, seq * SLOT_BYTES + SLOT_MAC_AT);
    this.#dirty.add(seq);
  }

  /** Which rules the digests were made by (see Identify.version), as a hash; zeros: none yet. */
  get identityVersion(): string {
    return this.#bytes.toString('hex', IDENTITY_AT, IDENTITY_AT + 16);
  }

  set identityVersion(version: string) {
    createHash('sha256').update(version).digest().copy(this.#bytes, IDENTITY_AT, 0, 16);
    this.#dirty.add(0);
  }

  /** The hash `identityVersion` keeps for a version. */
  static identityVersionOf(version: string): string {
    return createHash('sha256').update(version).digest('hex').slice(0, 32);
  }

  /** Entries with a slot. */
  get count(): number {
    return this.#count;
  }

  /** Forgets the slots after `count` (entries dropped at start-up). */
  truncate(count: number): void {
    this.#count = Math.min(this.#count, count);
    this.#bytes.fill(0, (this.#count + 1) * SLOT_BYTES);
    for (const slot of this.#dirty) if (slot > this.#count) this.#dirty.delete(slot);
    this.#shortened = true;
  }

  /** Where entry `seq`'s line ends in the ledger file (the byte after its newline). */
  end(seq: number): number {
    return seq === 0 ? 0 : this.#bytes.readDoubleLE(seq * SLOT_BYTES);
  }

  start(seq: number): number {
    return this.end(seq - 1);
  }

  kind(seq: number): SlotKind {
    return this.#bytes[seq * SLOT_BYTES + 24]! as SlotKind;
  }

  /** The slots' bytes (valid until the next slot is set), and where entry `seq`'s event id is in them. */
  get bytes(): Buffer {
    return this.#bytes;
  }

  eventIdAt(seq: number): number {
    return seq * SLOT_BYTES + 8;
  }

  /** Whether entry `seq`'s slot names this event id. */
  hasEventId(seq: number, eventId: string): boolean {
    const at = this.eventIdAt(seq);
    return eventIdBytes(eventId).equals(this.#bytes.subarray(at, at + 16));
  }

  /** The identifier digests, as `CustomerIndex` keys them (see customer-index.ts). */
  digestKeys(seq: number): Uint8Array {
    const at = seq * SLOT_BYTES;
    const count = this.#bytes[at + 25]!;
    const keys = new Uint8Array(count * DIGEST_KEY_BYTES);
    for (let i = 0; i < count; i += 1) {
      const from = at + DIGESTS_AT + i * DIGEST_BYTES;
      keys.set(this.#bytes.subarray(from, from + DIGEST_KEY_BYTES), i * DIGEST_KEY_BYTES);
    }
    return keys;
  }

  /** Writes entry `seq`'s slot (entries come in order, each once; a slot may be written again to change its kind). */
  set(seq: number, slot: { end: number; eventId: string | Buffer; kind: SlotKind; digests?: readonly string[] }): void {
    const digests = slot.digests ?? [];
    if (digests.length > MAX_IDENTIFIERS) {
      throw new Error(`a record may have at most ${MAX_IDENTIFIERS} identifiers in the file store's index`);
    }
    this.#grow(seq);
    const at = seq * SLOT_BYTES;
    this.#bytes.fill(0, at, at + SLOT_BYTES);
    this.#bytes.writeDoubleLE(slot.end, at);
    (typeof slot.eventId === 'string' ? eventIdBytes(slot.eventId) : slot.eventId).copy(this.#bytes, at + 8);
    this.#bytes[at + 24] = slot.kind;
    this.#bytes[at + 25] = digests.length;
    for (const [i, digest] of digests.entries()) {
      Buffer.from(digest, 'base64url').copy(this.#bytes, at + DIGESTS_AT + i * DIGEST_BYTES, 0, DIGEST_BYTES);
    }
    this.#count = Math.max(this.#count, seq);
    this.#seal(seq);
  }

  /** Marks an entry's record erased: its digests are zeroed. */
  erase(seq: number): void {
    const at = seq * SLOT_BYTES;
    this.#bytes[at + 24] = SlotKind.Erased;
    this.#bytes[at + 25] = 0;
    this.#bytes.fill(0, at + DIGESTS_AT, at + SLOT_MAC_AT);
    this.#seal(seq);
  }

  /** Writes what changed since the last call to the file (not fsynced: the ledger can rebuild it). */
  async save(file: FileHandle): Promise<void> {
    const slots = [...this.#dirty].sort((a, b) => a - b);
    this.#dirty.clear();
    // Changed slots next to each other go in one write (a batch of appends is one run).
    for (let i = 0; i < slots.length;) {
      let j = i;
      while (j + 1 < slots.length && slots[j + 1] === slots[j]! + 1) j += 1;
      const from = slots[i]! * SLOT_BYTES;
      await file.write(this.#bytes, from, (slots[j]! + 1) * SLOT_BYTES - from, from);
      i = j + 1;
    }
    if (this.#shortened) {
      this.#shortened = false;
      await file.truncate((this.#count + 1) * SLOT_BYTES);
    }
  }

  #grow(seq: number): void {
    const needed = (seq + 1) * SLOT_BYTES;
    if (needed <= this.#bytes.length) return;
    const grown = Buffer.alloc(Math.max(needed, this.#bytes.length * 2));
    this.#bytes.copy(grown);
    this.#bytes = grown;
  }
}

/** An event id (a UUID) as the index keeps it: its 16 bytes. */
export function eventIdBytes(eventId: string): Buffer {
  return Buffer.from(eventId.replaceAll('-', ''), 'hex');
}

function headerFor(digestSecret: Buffer): Buffer {
  const header = Buffer.alloc(SLOT_BYTES);
  MAGIC.copy(header, 0);
  // Which digest secret the digests were made with: a replaced key file makes the index useless.
  createHmac('sha256', digestSecret).update('ledger.index').digest().copy(header, 8, 0, 16);
  return header;
}

/**
 * A MAC of each complete MiB of the ledger file (HMAC-SHA-256 of the chunk's
 * number and bytes), kept up to date as lines are appended. Without a
 * secret it keeps none, and vouches for nothing.
 */
export class ChunkHashes {
  readonly #hashes: Buffer[];
  readonly #secret: Buffer | undefined;
  #current: Hmac | undefined;
  #fill = 0;
  #savedCount: number;

  private constructor(hashes: Buffer[], secret: Buffer | undefined) {
    this.#hashes = hashes;
    this.#secret = secret;
    this.#savedCount = hashes.length;
  }

  static read(bytes: Buffer, secret: Buffer | undefined): ChunkHashes {
    const hashes: Buffer[] = [];
    for (let at = 0; secret && at + MAC_BYTES <= bytes.length; at += MAC_BYTES) {
      hashes.push(Buffer.from(bytes.subarray(at, at + MAC_BYTES)));
    }
    const chunks = new ChunkHashes(hashes, secret);
    // A file with entries this one cannot vouch for is cut at the next write.
    if (!secret) chunks.#savedCount = -1;
    return chunks;
  }

  /** A MAC over chunk `index`, to be fed its bytes. */
  #macFor(index: number): Hmac {
    const number = Buffer.alloc(8);
    number.writeDoubleLE(index);
    return createHmac('sha256', this.#secret!).update(number);
  }

  /** How many leading MiB of the file the hashes vouch for. */
  get count(): number {
    return this.#hashes.length;
  }

  /**
   * Checks the first `count` chunks against the file; returns how many match
   * from the start, and drops every hash from the first mismatch on.
   */
  async verify(file: FileHandle, count: number): Promise<number> {
    const limit = Math.min(count, this.#hashes.length);
    // Up to 16 MiB at a time, never more than the chunks to check.
    const buffer = Buffer.allocUnsafe(Math.min(16, limit) * CHUNK_BYTES);
    let matching = 0;
    outer: for (let chunk = 0; chunk < limit; chunk += 16) {
      const n = Math.min(16, limit - chunk);
      const { bytesRead } = await file.read(buffer, 0, n * CHUNK_BYTES, chunk * CHUNK_BYTES);
      for (let i = 0; i < n; i += 1) {
        if ((i + 1) * CHUNK_BYTES > bytesRead) break outer;
        const hash = this.#macFor(chunk + i)
          .update(buffer.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES))
          .digest();
        if (!timingSafeEqual(hash, this.#hashes[chunk + i]!)) break outer;
        matching += 1;
      }
    }
    this.#hashes.length = matching;
    this.#savedCount = Math.min(this.#savedCount, matching);
    return matching;
  }

  /**
   * Starts hashing again after the verified chunks: feeds the file's bytes
   * from there to `ledgerBytes` (checked otherwise: by parsing them).
   */
  async resume(file: FileHandle, ledgerBytes: number): Promise<void> {
    if (!this.#secret) return;
    this.#current = this.#macFor(this.#hashes.length);
    this.#fill = 0;
    const from = this.#hashes.length * CHUNK_BYTES;
    const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(CHUNK_BYTES, ledgerBytes - from)));
    for (let at = from; at < ledgerBytes; at += CHUNK_BYTES) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK_BYTES, ledgerBytes - at), at);
      this.append(buffer.subarray(0, bytesRead));
    }
  }

  /** Takes in bytes appended to the ledger. */
  append(bytes: Buffer): void {
    if (!this.#current) return;
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, CHUNK_BYTES - this.#fill);
      this.#current.update(bytes.subarray(at, at + take));
      this.#fill += take;
      at += take;
      if (this.#fill === CHUNK_BYTES) {
        this.#hashes.push(this.#current.digest());
        this.#current = this.#macFor(this.#hashes.length);
        this.#fill = 0;
      }
    }
  }

  /** Writes the hashes of chunks completed since the last call (not fsynced). */
  async save(file: FileHandle): Promise<void> {
    if (this.#savedCount === this.#hashes.length) {
      return;
    }
    const from = this.#savedCount;
    const bytes = Buffer.concat(this.#hashes.slice(Math.max(0, from)));
    this.#savedCount = this.#hashes.length;
    await file.write(bytes, 0, bytes.length, Math.max(0, from) * MAC_BYTES);
    await file.truncate(this.#hashes.length * MAC_BYTES);
  }

  /** Drops the hashes of chunks at or past byte `ledgerBytes` (entries dropped at start-up). */
  truncate(ledgerBytes: number): void {
    this.#hashes.length = Math.min(this.#hashes.length, Math.floor(ledgerBytes / CHUNK_BYTES));
    this.#savedCount = Math.min(this.#savedCount, this.#hashes.length);
  }
}

/**
 * The ledger's lines between two byte offsets, without reading the file as
 * one string: each with where it starts and ends (a last line without its
 * newline ends at `to`).
 */
export async function* ledgerLines(
  file: FileHandle,
  from: number,
  to: number,
): AsyncGenerator<{ start: number; end: number; text: string; complete: boolean }> {
  // Up to 8 MiB at a time, never more than the range (the lines after a small ledger's index are few).
  const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(8 * CHUNK_BYTES, to - from)));
  let carry = Buffer.alloc(0);
  let carryStart = from;
  for (let at = from; at < to;) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, to - at), at);
    if (bytesRead === 0) break;
    const data = carry.length ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
    let lineStart = 0;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, lineStart)) {
      yield {
        start: carryStart + lineStart,
        end: carryStart + newline + 1,
        text: data.toString('utf8', lineStart, newline),
        complete: true,
      };
      lineStart = newline + 1;
    }
    carry = Buffer.from(data.subarray(lineStart));
    carryStart += lineStart;
    at += bytesRead;
  }
  if (carry.length > 0)
    yield { start: carryStart, end: carryStart + carry.length, text: carry.toString('utf8'), complete: false };
}
