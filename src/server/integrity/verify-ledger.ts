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
import { isHistoryAcceptance } from '../../contract/ledger-records.js';
import type { ChainEntry } from '../store/ledger-store.js';
import { parseStoredLine } from '../store/stored-entry.js';

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
  /** Where an operator accepted the chain as found (accept-history): when, who, why, and what was found. */
  acceptances: { seq: number; at: string; operator: string; note: string; found: string }[];
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
  readonly #acceptances: LedgerReport['acceptances'] = [];
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
      if (isHistoryAcceptance(entry)) {
        const { operator, note, found } = entry.event;
        this.#acceptances.push({
          seq: entry.seq,
          at: entry.receivedAt,
          operator: operator.name,
          note,
          found: found.problem,
        });
      }
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
    return {
      entries: this.#count,
      intact: problems.length === 0,
      problems,
      checkpointsChecked: checked,
      coveredUpTo,
      acceptances: [...this.#acceptances],
    };
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

/**
 * What a ledger with a signing key does at start with the chain it found
 * (whose hash chain holds): start, sign entries that only its checkpoint
 * lacks, or refuse. One rule for both stores:
 *
 * - a ledger with entries must have a signed checkpoint (a ledger made with
 *   the key signs one for its empty chain at once): without, its history
 *   before the key, or a deleted checkpoint log, is vouched for only by the
 *   operator (accept-history);
 * - the last signed checkpoint must match the chain (a deleted tail or a
 *   rewritten chain refuses);
 * - entries after it are signed only when every one carries the ledger's own
 *   MAC made while that checkpoint or the one before it was the last durable
 *   one: the write a crash interrupted between the entries and their
 *   checkpoint (nothing is lost, and the checkpoint made again is the same).
 *   An entry without it was written without the key; entries from writes
 *   before that mean the checkpoint log was cut short by more than a crash
 *   leaves.
 *
 * The ledger never drops an entry here, and never signs one it cannot vouch for.
 */
export async function startUpVerdict(found: {
  count: number;
  last: { size: number; headHash: string } | undefined;
  /** The hash of entry `last.size`, when the chain has it. */
  hashAtSize: string | undefined;
  /** Whether every entry from `fromSeq` on carries the ledger's MAC of a write in flight (read only when needed). */
  tailVouched: (fromSeq: number) => Promise<boolean>;
}): Promise<{ kind: 'start' } | { kind: 'sign'; from: number } | { kind: 'refuse'; problem: string }> {
  const { count, last, hashAtSize } = found;
  if (!last) {
    if (count === 0) return { kind: 'start' };
    return {
      kind: 'refuse',
      problem: `it has ${count} entries but no signed checkpoint: its checkpoint log was deleted, or it ran without a signing key until now`,
    };
  }
  const mismatch = checkpointMismatch(count, last, hashAtSize);
  if (mismatch) return { kind: 'refuse', problem: `it does not match its last signed checkpoint: ${mismatch}` };
  if (count === last.size) return { kind: 'start' };
  if (await found.tailVouched(last.size + 1)) return { kind: 'sign', from: last.size + 1 };
  return {
    kind: 'refuse',
    problem: `entries ${last.size + 1}–${count} are covered by no signed checkpoint, and not all of them are the write a crash interrupted (this ledger's MAC, made after its last checkpoint): they were written without its key (by someone else, or by this ledger run without --key), or its checkpoint log was cut short`,
  };
}

/** What a refused start says to do, for a ledger at `place` (`--data DIR`, or `--database-url …`). */
export function refusalFix(place: string): string {
  return `Check it with "marketing-consent-ledger verify ${place} --public-key KEY.pub --checkpoints WITNESS_DIR". If it is as it should be (a backup restored, a ledger kept without a key until now), accept it as found with "marketing-consent-ledger accept-history ${place} --key KEY --operator NAME --note TEXT", which records the acceptance in the chain; otherwise restore the ledger from a backup.`;
}
