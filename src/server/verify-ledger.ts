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
import { findChainBreak } from './hash-chain.js';
import { checkpointMismatch } from './jsonl-ledger-store.js';
import type { ChainEntry } from './ledger-store.js';

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

export function verifyLedger(
  entries: readonly ChainEntry[],
  options: { trustedKeys?: readonly string[]; checkpoints?: readonly CheckpointSource[] } = {},
): LedgerReport {
  const problems: string[] = [];
  const broken = findChainBreak(entries);
  if (broken) problems.push(`hash chain BROKEN at entry ${broken.seq} (line ${broken.index + 1}): ${broken.reason}`);
  const trustedKeys = options.trustedKeys ?? [];
  let checked = 0;
  let coveredUpTo = 0;
  if (trustedKeys.length > 0) {
    for (const { source, note } of options.checkpoints ?? []) {
      const opened = openCheckpoint(note, trustedKeys);
      if (!opened.ok) {
        problems.push(`${source}: checkpoint not trusted: ${opened.reason}`);
        continue;
      }
      checked += 1;
      const { size, headHash } = opened.checkpoint;
      const mismatch = checkpointMismatch(entries, size, headHash);
      if (mismatch) problems.push(`${source}: ${mismatch}`);
      else coveredUpTo = Math.max(coveredUpTo, size);
    }
    if (entries.length > coveredUpTo) {
      problems.push(
        `entries ${coveredUpTo + 1}–${entries.length} are covered by no signed checkpoint: they were appended without the ledger's key, or the checkpoints given are not the latest`,
      );
    }
  }
  return { entries: entries.length, intact: problems.length === 0, problems, checkpointsChecked: checked, coveredUpTo };
}
