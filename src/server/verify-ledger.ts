/**
 * What `marketing-consent-ledger verify` checks, as a function: the hash
 * chain, and the ledger against every signed checkpoint it is given (its own
 * checkpoints.log, a witness's files, checkpoints kept from receipts).
 *
 * Detected: an edited entry (chain); a deleted, reordered or inserted entry
 * (chain); entries deleted from the end, or the whole chain rewritten and
 * recomputed, when any trusted checkpoint covers them (checkpoints); entries
 * appended by someone without the signing key (not covered by any
 * checkpoint). Not detected: a rewrite by someone holding the signing key,
 * unless a checkpoint held outside their reach (witness, receipt) covers it.
 */
import { openCheckpoint } from './checkpoint.js';
import { findChainBreak, GENESIS_HASH } from './hash-chain.js';
import type { ChainEntry } from './ledger-store.js';
import { parseStoredLine } from './stored-entry.js';

export interface CheckpointSource {
  /** Where the checkpoint came from (a file name), for the report. */
  source: string;
  note: string;
}

export interface LedgerReport {
  entries: number;
  intact: boolean;
  /** Everything that is wrong, each naming the entry or checkpoint. */
  problems: string[];
  /** Checkpoints whose signature held. */
  checkpointsChecked: number;
  /** The largest entry count a valid checkpoint vouches for (0: none). */
  coveredUpTo: number;
}

/**
 * Why a chain of `count` entries, whose entry `size` has the hash
 * `hashAtSize`, does not match a checkpoint of `size` entries with head
 * `headHash`; undefined when it does.
 */
export function checkpointMismatch(
  count: number,
  checkpoint: { size: number; headHash: string },
  hashAtSize: string | undefined,
): string | undefined {
  const { size, headHash } = checkpoint;
  if (count < size) {
    return `the ledger has ${count} entries, but a signed checkpoint says it had ${size}: entries were deleted from the end`;
  }
  if (size > 0 && hashAtSize !== headHash)
    return `entry ${size} differs from the signed checkpoint: the chain was rewritten`;
  return undefined;
}

/**
 * The checks of `verifyLedger`, taking the chain a page at a time, so a
 * ledger of millions of entries is verified without holding it in memory.
 */
export class LedgerVerifier {
  readonly #problems: string[] = [];
  #count = 0;
  #prevHash = GENESIS_HASH;
  #broken = false;
  /** The hash of each entry a checkpoint names, seen on the way. */
  readonly #hashAt = new Map<number, string>();
  readonly #checkpoints: { source: string; opened: ReturnType<typeof openCheckpoint> }[];
  readonly #trusted: boolean;

  constructor(options: { trustedKeys?: readonly string[]; checkpoints?: readonly CheckpointSource[] } = {}) {
    const trustedKeys = options.trustedKeys ?? [];
    this.#trusted = trustedKeys.length > 0;
    this.#checkpoints = this.#trusted
      ? (options.checkpoints ?? []).map(({ source, note }) => ({ source, opened: openCheckpoint(note, trustedKeys) }))
      : [];
    for (const { opened } of this.#checkpoints) if (opened.ok) this.#hashAt.set(opened.checkpoint.size, '');
  }

  /** How many entries it has taken, and the last one's hash. */
  get head(): { count: number; hash: string } {
    return { count: this.#count, hash: this.#prevHash };
  }

  /** Whether the hash chain holds as far as it has taken it. */
  get chainHolds(): boolean {
    return !this.#broken;
  }

  /** Takes the next entries of the chain, as stored (see parseStoredLine): every byte of them is checked. */
  take(lines: readonly string[]): void {
    const entries: ChainEntry[] = [];
    for (const line of lines) {
      let entry: ChainEntry | undefined;
      let problem = 'not JSON';
      try {
        entry = parseStoredLine(line);
      } catch (error) {
        problem = (error as Error).message;
      }
      if (!entry) {
        this.#breaks(this.#count + entries.length + 1, this.#count + entries.length + 1, problem);
        break;
      }
      entries.push(entry);
    }
    if (!this.#broken) {
      const broken = findChainBreak(entries, { index: this.#count, prevHash: this.#prevHash });
      if (broken) this.#breaks(broken.seq, broken.index + 1, broken.reason);
    }
    for (const entry of entries) {
      this.#count += 1;
      this.#prevHash = entry.hash;
      if (this.#hashAt.has(this.#count)) this.#hashAt.set(this.#count, entry.hash);
    }
  }

  #breaks(seq: number, line: number, reason: string): void {
    if (this.#broken) return;
    this.#problems.push(`hash chain BROKEN at entry ${seq} (line ${line}): ${reason}`);
    this.#broken = true;
  }

  report(): LedgerReport {
    const problems = [...this.#problems];
    let checked = 0;
    let coveredUpTo = 0;
    for (const { source, opened } of this.#checkpoints) {
      if (!opened.ok) {
        problems.push(`${source}: checkpoint not trusted: ${opened.reason}`);
        continue;
      }
      checked += 1;
      const { size } = opened.checkpoint;
      const mismatch = checkpointMismatch(this.#count, opened.checkpoint, this.#hashAt.get(size));
      if (mismatch) problems.push(`${source}: ${mismatch}`);
      else coveredUpTo = Math.max(coveredUpTo, size);
    }
    if (this.#trusted && this.#count > coveredUpTo) {
      problems.push(
        `entries ${coveredUpTo + 1}–${this.#count} are covered by no signed checkpoint: they were appended without the ledger's key, or the checkpoints given are not the latest`,
      );
    }
    return { entries: this.#count, intact: problems.length === 0, problems, checkpointsChecked: checked, coveredUpTo };
  }
}

/** Checks a whole chain given as its stored lines (the file's lines, or the rows' `stored` column). */
export function verifyLedger(
  lines: readonly string[],
  options: { trustedKeys?: readonly string[]; checkpoints?: readonly CheckpointSource[] } = {},
): LedgerReport {
  const verifier = new LedgerVerifier(options);
  verifier.take(lines);
  return verifier.report();
}
