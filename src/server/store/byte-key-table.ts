/**
 * A hash table from short random byte strings (keyed digests, event ids) to
 * whole numbers, in typed arrays: millions of keys without a string or an
 * object each, so the file store's index loads in a second and costs no
 * garbage collection. Keys must be uniformly random in their first four
 * bytes (digests and random UUIDs are), which is their hash. Open
 * addressing with linear probing; deletion shifts the run back, so there
 * are no tombstones.
 */
export class ByteKeyTable {
  readonly #words: number;
  #keys: Uint32Array;
  #values: Int32Array;
  #used: Uint8Array;
  #size = 0;
  #mask: number;

  /** `keyBytes`: the length of every key, a multiple of 4. */
  constructor(keyBytes: number, capacity = 1024) {
    if (keyBytes % 4 !== 0) throw new Error('ByteKeyTable keys are whole 32-bit words');
    this.#words = keyBytes / 4;
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.#keys = new Uint32Array(slots * this.#words);
    this.#values = new Int32Array(slots);
    this.#used = new Uint8Array(slots);
    this.#mask = slots - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** The value of the key at `bytes[offset…]`, or -1. */
  get(bytes: Uint8Array, offset = 0): number {
    const at = this.#find(bytes, offset);
    return this.#used[at] ? this.#values[at]! : -1;
  }

  set(bytes: Uint8Array, offset: number, value: number): void {
    let at = this.#find(bytes, offset);
    if (!this.#used[at]) {
      if ((this.#size + 1) * 2 > this.#values.length) {
        this.#grow();
        at = this.#find(bytes, offset);
      }
      this.#used[at] = 1;
      this.#size += 1;
      for (let w = 0; w < this.#words; w += 1) this.#keys[at * this.#words + w] = word(bytes, offset + w * 4);
    }
    this.#values[at] = value;
  }

  delete(bytes: Uint8Array, offset = 0): void {
    let hole = this.#find(bytes, offset);
    if (!this.#used[hole]) return;
    this.#used[hole] = 0;
    this.#size -= 1;
    // Move back every key of the run after the hole whose home is not between the hole and itself.
    for (let at = (hole + 1) & this.#mask; this.#used[at]; at = (at + 1) & this.#mask) {
      const home = this.#keys[at * this.#words]! & this.#mask;
      const between = hole <= at ? hole < home && home <= at : hole < home || home <= at;
      if (between) continue;
      this.#keys.copyWithin(hole * this.#words, at * this.#words, (at + 1) * this.#words);
      this.#values[hole] = this.#values[at]!;
      this.#used[hole] = 1;
      this.#used[at] = 0;
      hole = at;
    }
  }

  /** Where the key is, or the empty slot where it would go. */
  #find(bytes: Uint8Array, offset: number): number {
    const first = word(bytes, offset);
    for (let at = first & this.#mask; ; at = (at + 1) & this.#mask) {
      if (!this.#used[at]) return at;
      const base = at * this.#words;
      if (this.#keys[base] !== first) continue;
      let same = true;
      for (let w = 1; w < this.#words && same; w += 1) same = this.#keys[base + w] === word(bytes, offset + w * 4);
      if (same) return at;
    }
  }

  #grow(): void {
    const [keys, values, used, words] = [this.#keys, this.#values, this.#used, this.#words];
    const slots = values.length * 2;
    this.#keys = new Uint32Array(slots * words);
    this.#values = new Int32Array(slots);
    this.#used = new Uint8Array(slots);
    this.#mask = slots - 1;
    for (let from = 0; from < used.length; from += 1) {
      if (!used[from]) continue;
      let at = keys[from * words]! & this.#mask;
      while (this.#used[at]) at = (at + 1) & this.#mask;
      this.#keys.set(keys.subarray(from * words, (from + 1) * words), at * words);
      this.#values[at] = values[from]!;
      this.#used[at] = 1;
    }
  }
}

/** Four bytes as a 32-bit word, in the platform's order (the same for every key, which is all that matters). */
function word(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
