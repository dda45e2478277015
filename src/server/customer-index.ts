/**
 * Which entries belong to which customer, so a read takes one customer's
 * entries instead of the whole ledger (the file store's index; the
 * PostgreSQL store keeps the same mapping in its tables). A customer is the
 * set of entries linked by a shared identifier, transitively (the identity
 * of consent-status.ts); the index knows identifiers only as the store's
 * keyed digests. A customer's id is the smallest sequence number among its
 * entries.
 *
 * Sized for millions of entries: a customer's entries are a linked list in
 * typed arrays, and an entry's digests are not kept here but read back from
 * the store (`digestsOf`) when customers must be linked again after an
 * erasure. Erasing entries takes them out; the rest of their customer is
 * linked again without them (an erased entry links no one).
 */
export class CustomerIndex {
  /** Customer id per identifier digest. Digests are given in the short form of `digestKey`, throughout. */
  readonly #customerOf = new Map<string, number>();
  /** Per entry: its customer's id (0: not indexed). */
  #customerOfSeq = new Int32Array(1024);
  /** Per entry: the next entry of the same customer (0: the last). A customer's list starts at its id. */
  #next = new Int32Array(1024);
  /** Per customer id: the last entry of its list. */
  #last = new Int32Array(1024);
  /** The erasures that named each identifier digest. */
  readonly #erasures = new Map<string, number[]>();
  #highest = 0;
  readonly #digestsOf: (seq: number) => readonly string[];

  /** `digestsOf`: an indexed entry's identifier digests, as `add` was given them. */
  constructor(digestsOf: (seq: number) => readonly string[]) {
    this.#digestsOf = digestsOf;
  }

  /** Takes in an entry with its identifier digests; an entry indexed already is left as it is. */
  add(seq: number, digests: readonly string[]): void {
    if (digests.length === 0) return;
    this.#grow(seq);
    if (this.#customerOfSeq[seq] !== 0) return;
    this.#highest = Math.max(this.#highest, seq);
    const linked = new Set<number>([seq]);
    for (const digest of digests) {
      const id = this.#customerOf.get(digest);
      if (id !== undefined) linked.add(id);
    }
    this.#customerOfSeq[seq] = seq;
    this.#next[seq] = 0;
    this.#last[seq] = seq;
    const target = Math.min(...linked);
    for (const id of linked) if (id !== target) this.#merge(target, id);
    for (const digest of digests) this.#customerOf.set(digest, target);
  }

  /** Takes erased entries out; their customers are linked again from what is left. */
  remove(erased: readonly number[]): void {
    const gone = new Set(erased.filter((seq) => seq <= this.#highest && this.#customerOfSeq[seq] !== 0));
    const affected = new Set([...gone].map((seq) => this.#customerOfSeq[seq]!));
    const again: number[] = [];
    for (const id of affected) {
      for (const seq of this.#members(id)) {
        for (const digest of this.#digestsOf(seq)) {
          if (this.#customerOf.get(digest) === id) this.#customerOf.delete(digest);
        }
        this.#customerOfSeq[seq] = 0;
        if (!gone.has(seq)) again.push(seq);
      }
    }
    for (const seq of again.sort((a, b) => a - b)) this.add(seq, this.#digestsOf(seq));
  }

  /** Notes an erasure that names these identifier digests (so a lookup can say "erased"). */
  addErasure(seq: number, digests: readonly string[]): void {
    for (const digest of digests) {
      this.#erasures.set(digest, [...(this.#erasures.get(digest) ?? []), seq]);
    }
  }

  /** The entries of the customers these digests belong to, and the erasures that named any of them, in sequence order. */
  lookup(digests: readonly string[]): number[] {
    const found = new Set<number>();
    const ids = new Set<number>();
    for (const digest of digests) {
      const id = this.#customerOf.get(digest);
      if (id !== undefined) ids.add(id);
      for (const erasure of this.#erasures.get(digest) ?? []) found.add(erasure);
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
      for (const digest of this.#digestsOf(seq)) this.#customerOf.set(digest, target);
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

/**
 * A digest (base64url of 32 bytes) in the form the maps keep: its first 12
 * bytes as a 12-character string, small and quick to hash, with no
 * collision to fear below 2^48 identifiers.
 */
export function digestKey(digest: string): string {
  return Buffer.from(digest, 'base64url').toString('latin1', 0, 12);
}
