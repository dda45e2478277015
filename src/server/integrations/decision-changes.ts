/**
 * What one entry of the chain changed in its customer's decisions: for each
 * purpose and address, the state before the entry and after it, both decided
 * by the one ConsentView at the entry's time. The webhooks send these; a
 * lapse, which no entry records, is found by `lapsedSince`.
 */
import { isErased, isErasure, isHistoryAcceptance, type ChainEntry } from '../../contract/ledger-records.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { addressPrefix } from '../consent/addresses.js';

/** The states a webhook reports; `erased` comes from an erasure's notice (see webhooks.ts). */
export type DecisionChange = 'granted' | 'pending' | 'withdrawn' | 'lapsed' | 'erased';

export interface ChangedDecision {
  purpose: string;
  /** The address key (`email:…`, `phone:+…`). */
  key: string;
  change: DecisionChange;
  /** For `pending`: when the sign-up lapses unless its owner confirms it. */
  lapsesAt?: number;
}

/** The part of a key after its kind: the e-mail address, or the phone number in E.164. */
export const addressOfKey = (key: string): string => key.slice(key.indexOf(':') + 1);

/**
 * The decisions this entry changed, in a fixed order (purposes as the ledger
 * lists them, then address keys sorted), so that every pass over the same
 * entry names the same events. Erasures, erased entries and the operator's
 * acceptance of a history change nothing here.
 */
export async function decisionChangesAt(ledger: LedgerContext, entry: ChainEntry): Promise<ChangedDecision[]> {
  if (isErasure(entry) || isErased(entry) || isHistoryAcceptance(entry)) return [];
  const at = Date.parse(entry.receivedAt);
  const subject = entry.event.subject;
  const [before, after] = await Promise.all([
    ledger.viewOf(subject, { upToSeq: entry.seq - 1, at }),
    ledger.viewOf(subject, { upToSeq: entry.seq, at }),
  ]);
  const keys = [...(after.customerOf(subject)?.keys ?? [])].sort();
  const changes: ChangedDecision[] = [];
  for (const purpose of ledger.purposes) {
    for (const key of keys.filter((candidate) => candidate.startsWith(addressPrefix(purpose)))) {
      const was = before.decide(purpose, key).state;
      const { state, confirmation } = after.decide(purpose, key);
      if (state === was || state === 'never') continue;
      changes.push({
        purpose,
        key,
        change: state,
        ...(state === 'pending' && confirmation ? { lapsesAt: confirmation.lapsesAt } : {}),
      });
    }
  }
  return changes;
}

/**
 * Whether the sign-up of this grant is still unconfirmed once it lapsed, as
 * the ledger held it up to `upToSeq`: true when its address then has no
 * grant and the double opt-in of this very grant has lapsed.
 */
export async function lapsedSince(
  ledger: LedgerContext,
  grant: ChainEntry | undefined,
  purpose: string,
  key: string,
  lapsesAt: number,
  upToSeq: number,
): Promise<boolean> {
  if (!grant || isErased(grant) || isErasure(grant) || isHistoryAcceptance(grant)) return false;
  const view = await ledger.viewOf(grant.event.subject, { upToSeq, at: lapsesAt });
  const { state, confirmation } = view.decide(purpose, key);
  return (
    state !== 'granted' &&
    state !== 'pending' &&
    confirmation?.state === 'lapsed' &&
    confirmation.grant.seq === grant.seq
  );
}
