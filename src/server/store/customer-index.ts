/**
 * Which entries belong to which customer, so a read takes one customer's
 * entries instead of the whole ledger (the file store's index; the
 * PostgreSQL store keeps the same mapping in its tables). A customer is the
 * set of entries linked by a shared identifier, transitively (the identity
 * of consent-status.ts); the index knows identifiers only as the store's
 * keyed digests. A customer's id is the smallest sequence number among its
 * entries.
 *
 * Sized for millions of entries: identifiers sit in a ByteKeyTable, a
 * customer's entries are a linked list in typed arrays, and an entry's
 * digests are not kept here but read back from the store (`digestsOf`)
 * when customers merge or must be linked again after an erasure. Erasing
 * entries takes them out; the rest of their customer is linked again
 * without them (an erased entry links no one).
 */
import { ByteKeyTable } from './byte-key-table.js';

/** How long a digest key is: the first 12 bytes of a digest (no collision to fear below 2^48 identifiers). */
export const DIGEST_KEY_BYTES = 12;

export class CustomerIndex {
  /** Customer id per identifier digest key. */
  readonly #customerOf: ByteKeyTable;
  /** Per entry: its customer's id (0: not indexed). Sized as the ledger (a platform holds many small ones), grown as needed. */
  #customerOfSeq = new Int32Array(16);
  /** Per entry: the next entry of the same customer (0: the last). A customer's list starts at its id. */
  #next = new Int32Array(16);
  /** Per customer id: the last entry of its list. */
  #last = new Int32Array(16);
  /** The erasures that named each identifier digest (few: a map will do). */
  readonly #erasures = new Map<string, number[]>();
  #highest = 0;
  readonly #digestsOf: (seq: number) => Uint8Array;

  /** `digestsOf`: an indexed entry's digest keys (12 bytes each, one after the other), as `add` was given them. */
  /** `expected`: about how many entries it will hold (it grows beyond, at a cost). */
  constructor(digestsOf: (seq: number) => Uint8Array, expected = 1024) {
    this.#digestsOf = digestsOf;
    // Two identifiers per entry is usual (an e-mail address and a phone number).
    this.#customerOf = new ByteKeyTable(DIGEST_KEY_BYTES, expected * 2);
    this.#grow(expected);
  }

  /** Takes in an entry with its digest keys; an entry indexed already is left as it is. */
  add(seq: number, keys: Uint8Array): void {
    if (keys.length === 0) return;
    this.#grow(seq);
    if (this.#customerOfSeq[seq] !== 0) return;
    if (seq > this.#highest) this.#highest = seq;
    // The customers its identifiers belong to (a handful at most; usually none or one).
    const linked: number[] = [seq];
    let target = seq;
    for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) {
      const id = this.#customerOf.get(keys, at);
      if (id === -1 || linked.includes(id)) continue;
      linked.push(id);
      if (id < target) target = id;
    }
    this.#customerOfSeq[seq] = seq;
    this.#next[seq] = 0;
    this.#last[seq] = seq;
    for (const id of linked) if (id !== target) this.#merge(target, id);
    for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) this.#customerOf.set(keys, at, target);
  }

  /** Takes erased entries out; their customers are linked again from what is left. */
  remove(erased: readonly number[]): void {
    const gone = new Set(erased.filter((seq) => seq <= this.#highest && this.#customerOfSeq[seq] !== 0));
    const affected = new Set([...gone].map((seq) => this.#customerOfSeq[seq]!));
    const again: number[] = [];
    for (const id of affected) {
      for (const seq of this.#members(id)) {
        const keys = this.#digestsOf(seq);
        for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) {
          if (this.#customerOf.get(keys, at) === id) this.#customerOf.delete(keys, at);
        }
        this.#customerOfSeq[seq] = 0;
        if (!gone.has(seq)) again.push(seq);
      }
    }
    for (const seq of again.sort((a, b) => a - b)) this.add(seq, this.#digestsOf(seq));
  }

  /** Notes an erasure that names these digest keys (so a lookup can say "erased"). */
  addErasure(seq: number, keys: Uint8Array): void {
    for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) {
      const key = Buffer.from(keys.subarray(at, at + DIGEST_KEY_BYTES)).toString('latin1');
      this.#erasures.set(key, [...(this.#erasures.get(key) ?? []), seq]);
    }
  }

  /** The entries of the customers these digest keys belong to, and the erasures that named any of them, in sequence order. */
  lookup(keys: Uint8Array): number[] {
    const found = new Set<number>();
    const ids = new Set<number>();
    for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) {
      const id = this.#customerOf.get(keys, at);
      if (id !== -1) ids.add(id);
      const key = Buffer.from(keys.subarray(at, at + DIGEST_KEY_BYTES)).toString('latin1');
      for (const erasure of this.#erasures.get(key) ?? []) found.add(erasure);
    }
    for (const id of ids) for (const seq of this.#members(id)) found.add(seq);
    return [...found].sort((a, b) => a - b);
  }

  /**
   * Every customer's entries, a customer at a time, in sequence order within
   * each: the customers there are when it starts (a customer merged into
   * another meanwhile comes with that one).
   */
  *customers(): Generator<number[]> {
    const ids: number[] = [];
    for (let seq = 1; seq <= this.#highest; seq += 1) if (this.#customerOfSeq[seq] === seq) ids.push(seq);
    for (const id of ids) {
      if (this.#customerOfSeq[id] === id) yield [...this.#members(id)].sort((a, b) => a - b);
    }
  }

  *#members(id: number): Generator<number> {
    for (let seq = id; seq !== 0; seq = this.#next[seq]!) yield seq;
  }

  /** Appends customer `other`'s list to `target`'s; its entries and identifiers now belong to `target`. */
  #merge(target: number, other: number): void {
    for (const seq of this.#members(other)) {
      this.#customerOfSeq[seq] = target;
      const keys = this.#digestsOf(seq);
      for (let at = 0; at < keys.length; at += DIGEST_KEY_BYTES) this.#customerOf.set(keys, at, target);
    }
    this.#next[this.#last[target]!] = other;
    this.#last[target] = this.#last[other]!;
  }

  #grow(seq: number): void {
    if (seq < this.#customerOfSeq.length) return;
    const size = Math.max(seq + 1, this.#customerOfSeq.length * 2);
    const grown = (from: Int32Array) => {
      const to = new Int32Array(size);
      to.set(from);
      return to;
    };
    this.#customerOfSeq = grown(this.#customerOfSeq);
    this.#next = grown(this.#next);
    this.#last = grown(this.#last);
  }
}

/** The digest keys of digests (base64url, as `identifierDigest` makes them), one after the other. */
export function digestKeys(digests: readonly string[]): Uint8Array {
  const keys = new Uint8Array(digests.length * DIGEST_KEY_BYTES);
  for (const [i, digest] of digests.entries()) {
    keys.set(Buffer.from(digest, 'base64url').subarray(0, DIGEST_KEY_BYTES), i * DIGEST_KEY_BYTES);
  }
  return keys;
}
