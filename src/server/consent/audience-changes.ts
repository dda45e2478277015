/**
 * Who joined and who left a purpose's audience since a cursor (a position
 * in the chain), so a newsletter tool can stay in step without reading the
 * whole audience. Membership is decided by the one rule the audience uses
 * (ConsentView.audienceStream), for each customer an entry of the page
 * touched, as the ledger held them before the page and after it.
 */
import {
  isErased,
  isErasure,
  isHistoryAcceptance,
  type AudienceChanges,
  type ErasureEntry,
  type LedgerRecord,
} from '../../contract/ledger-records.js';
import type { LedgerContext } from '../app/ledger-context.js';
import type { ConsentView } from './consent-status.js';

/** Entries read for one page of changes, unless the caller asks for fewer. */
export const AUDIENCE_CHANGES_PAGE = 500;

/**
 * What a record decides about this purpose: granted (true) or withdrawn
 * (false), for each decision it holds; a confirmation click grants, and a
 * confirmation mail decides nothing. Takes an erased record's public part too.
 */
function decisionsFor(record: Partial<LedgerRecord> | undefined, purpose: string): boolean[] {
  if (record?.method === 'double-opt-in') return record.purpose === purpose ? [true] : [];
  return (record?.purposes ?? []).filter((decision) => decision.purpose === purpose).map((d) => d.granted);
}

/**
 * Whether an erasure may have taken someone out of this purpose's audience:
 * one of the records it erased granted the purpose (their public part keeps
 * the decisions). A customer who never granted it was never in it.
 */
async function erasedAGrant(ledger: LedgerContext, erasure: ErasureEntry, purpose: string): Promise<boolean> {
  for (const seq of erasure.event.erasedSeqs) {
    const [erased] = await ledger.store.entries({ afterSeq: seq - 1, limit: 1 });
    if (decisionsFor(erased?.event as Partial<LedgerRecord> | undefined, purpose).includes(true)) return true;
  }
  return false;
}

const members = (view: ConsentView, purpose: string) =>
  new Set([...view.audienceStream(purpose)].map((recipient) => recipient.address));

/**
 * The changes of the entries after `afterSeq`, at most `limit` of them; the
 * answer's `next` is the cursor for the following page. An erasure of a
 * customer who had granted the purpose is a `left` without an address: the
 * address is gone from the ledger, so a tool drops whoever it no longer finds
 * in the audience.
 */
export async function audienceChanges(
  ledger: LedgerContext,
  purpose: string,
  afterSeq: number,
  limit = AUDIENCE_CHANGES_PAGE,
): Promise<AudienceChanges> {
  const entries = await ledger.store.entries({ afterSeq, limit });
  const upToSeq = entries.at(-1)?.seq ?? afterSeq;
  const changes: AudienceChanges['changes'] = [];
  const compared = new Set<string>();
  // Latest first: a change is credited to the last entry of the page that decided its customer's purpose.
  for (const entry of [...entries].reverse()) {
    if (isErasure(entry)) {
      if (await erasedAGrant(ledger, entry, purpose))
        changes.push({ seq: entry.seq, change: 'left', reason: 'erased' });
      continue;
    }
    if (isErased(entry) || isHistoryAcceptance(entry) || decisionsFor(entry.event, purpose).length === 0) continue;
    const subject = entry.event.subject;
    const [before, after] = await Promise.all([
      ledger.viewOf(subject, { upToSeq: afterSeq }),
      ledger.viewOf(subject, { upToSeq }),
    ]);
    const was = members(before, purpose);
    const is = members(after, purpose);
    for (const address of is) {
      if (!was.has(address) && !compared.has(address)) changes.push({ seq: entry.seq, change: 'joined', address });
      compared.add(address);
    }
    for (const address of was) {
      if (!is.has(address) && !compared.has(address)) changes.push({ seq: entry.seq, change: 'left', address });
      compared.add(address);
    }
  }
  changes.sort((a, b) => a.seq - b.seq);
  return { purpose, after: afterSeq, next: upToSeq, complete: entries.length < limit, changes };
}
