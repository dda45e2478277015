/**
 * Which entries belong to which customer, so a read takes one customer's
 * entries instead of the whole ledger. A customer is the set of entries
 * linked by a shared identifier, transitively (the identity of
 * consent-status.ts); the index knows identifiers only as the store's keyed
 * digests. A customer's id is the smallest sequence number among its
 * entries, so ids are stable and the same in every store: the PostgreSQL
 * store keeps the same mapping in its tables (see postgres-ledger-store.ts).
 *
 * Erasing entries takes them out; the rest of their customer is linked
 * again without them (an erased entry links no one).
 */
export class CustomerIndex {
  /** Customer id per identifier digest. */
  readonly #customerOf = new Map<string, number>();
  /** Each customer's entries, in sequence order. */
  readonly #seqs = new Map<number, number[]>();
  /** Each indexed entry's identifier digests. */
  readonly #digestsOf = new Map<number, readonly string[]>();
  /** The erasures that named each identifier digest. */
  readonly #erasures = new Map<string, number[]>();

  /** Takes in an entry with its identifier digests (entries arrive in sequence order). */
  add(seq: number, digests: readonly string[]): void {
    if (digests.length === 0 || this.#digestsOf.has(seq)) return;
    this.#digestsOf.set(seq, digests);
    const linked = new Set<number>();
    for (const digest of digests) {
      const id = this.#customerOf.get(digest);
      if (id !== undefined) linked.add(id);
    }
    const target = Math.min(seq, ...linked);
    let seqs = this.#seqs.get(target) ?? [];
    for (const id of linked) {
      if (id === target) continue;
      const other = this.#seqs.get(id)!;
      for (const member of other)
        for (const digest of this.#digestsOf.get(member)!) this.#customerOf.set(digest, target);
      seqs = mergeSorted(seqs, other);
      this.#seqs.delete(id);
    }
    seqs = seq > (seqs.at(-1) ?? 0) ? [...seqs, seq] : mergeSorted(seqs, [seq]);
    this.#seqs.set(target, seqs);
    for (const digest of digests) this.#customerOf.set(digest, target);
  }

  /** Takes erased entries out; their customers are linked again from what is left. */
  remove(erased: readonly number[]): void {
    const gone = new Set(erased.filter((seq) => this.#digestsOf.has(seq)));
    const affected = new Set<number>();
    for (const seq of gone) affected.add(this.#customerOf.get(this.#digestsOf.get(seq)![0]!)!);
    const again: number[] = [];
    for (const id of affected) {
      for (const seq of this.#seqs.get(id)!) {
        for (const digest of this.#digestsOf.get(seq)!) this.#customerOf.delete(digest);
        if (!gone.has(seq)) again.push(seq);
      }
      this.#seqs.delete(id);
    }
    for (const seq of gone) this.#digestsOf.delete(seq);
    for (const seq of again.sort((a, b) => a - b)) {
      const digests = this.#digestsOf.get(seq)!;
      this.#digestsOf.delete(seq);
      this.add(seq, digests);
    }
  }

  /** Notes an erasure that names these identifier digests (so a lookup can say "erased"). */
  addErasure(seq: number, digests: readonly string[]): void {
    for (const digest of digests) this.#erasures.set(digest, [...(this.#erasures.get(digest) ?? []), seq]);
  }

  /**
   * The entries of the customers these digests belong to, and the erasures
   * that named any of the digests, in sequence order.
   */
  lookup(digests: readonly string[]): number[] {
    const ids = new Set<number>();
    const found = new Set<number>();
    for (const digest of digests) {
      const id = this.#customerOf.get(digest);
      if (id !== undefined) ids.add(id);
      for (const erasure of this.#erasures.get(digest) ?? []) found.add(erasure);
    }
    for (const id of ids) for (const seq of this.#seqs.get(id)!) found.add(seq);
    return [...found].sort((a, b) => a - b);
  }

  /** Every customer's entries, a customer at a time. */
  *customers(): Generator<readonly number[]> {
    yield* this.#seqs.values();
  }
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}
