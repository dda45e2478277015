/**
 * Erasure and retention: which records lose their personal data, and why.
 * Both read the one ConsentView and hand the store erasure records; the
 * store destroys the keys (see personal-data.ts).
 *
 * On request, a customer's whole history goes: every record naming any of
 * their linked identifiers, with keyed digests of those identifiers so a
 * later lookup says "erased". By the retention schedule:
 * - a sign-up that waited for its double opt-in and lapsed, with its
 *   confirmation mails, once the lapse period is over, unless the address is
 *   subscribed anyway (then it is part of a live history);
 * - a customer with nothing granted and nothing pending for any purpose,
 *   once their latest record is older than the retention period (by default
 *   3 years, the usual German limitation period for claims).
 * Retention keeps no digests: it forgets; it does not remember who it forgot.
 */
import { derivedId } from '../links/derived-id.js';
import type { ErasureReason, ErasureRecord } from '../../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import type { ConsentView, CustomerRecords, SubjectQuery } from './consent-status.js';
import type { LedgerStore } from '../store/ledger-store.js';

export interface RetentionPolicy {
  /**
   * Days after its lapse that an unconfirmed sign-up is kept (default 0:
   * erased as soon as it lapsed, which is `confirmationLapseDays` after the tick).
   */
  unconfirmedGraceDays?: number;
  /** Years a customer with nothing granted or pending is kept after their latest record (default 3). */
  inactiveYears?: number;
}

/** What an erasure would take: the records, the customer's identifiers (for the operator's list), why and since when. */
export interface ErasurePlan {
  reason: ErasureReason;
  seqs: number[];
  identifiers: string[];
  /** When the record became due for erasure (retention). */
  dueSince?: string;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/** The erasure of one customer on request, or undefined when nothing is on record for them. */
export function planCustomerErasure(view: ConsentView, query: SubjectQuery): ErasurePlan | undefined {
  const customer = view.customerOf(query);
  if (!customer) return undefined;
  return {
    reason: 'customer-request',
    seqs: customer.entries.map((entry) => entry.seq),
    identifiers: [...customer.keys],
  };
}

/** Everything the retention policy erases now, customer by customer (each view holds customers; see LedgerContext.customerViews). */
export async function planRetention(
  views: AsyncIterable<ConsentView> | Iterable<ConsentView>,
  purposes: readonly string[],
  policy: RetentionPolicy = {},
): Promise<ErasurePlan[]> {
  const inactiveMs = (policy.inactiveYears ?? 3) * YEAR_MS;
  const graceMs = (policy.unconfirmedGraceDays ?? 0) * DAY_MS;
  const plans: ErasurePlan[] = [];
  for await (const view of views) {
    const now = view.now();
    for (const customer of view.customers())
      plans.push(...planForCustomer(view, customer, purposes, now, inactiveMs, graceMs));
  }
  return plans;
}

/** What retention erases of one customer now: everything, their lapsed sign-ups, or nothing. */
function planForCustomer(
  view: ConsentView,
  customer: CustomerRecords,
  purposes: readonly string[],
  now: number,
  inactiveMs: number,
  graceMs: number,
): ErasurePlan[] {
  if (customer.entries.length === 0) return [];
  const identifiers = [...customer.keys];
  const unconfirmed = unconfirmedSignUps(view, customer, now - graceMs);
  const onlyUnconfirmed = unconfirmed.seqs.length === customer.entries.length;
  const due = Date.parse(customer.entries.at(-1)!.receivedAt) + inactiveMs;
  if (!onlyUnconfirmed && due <= now && !view.isActive(customer, purposes)) {
    return [
      {
        reason: 'retention-period',
        seqs: customer.entries.map((entry) => entry.seq),
        identifiers,
        dueSince: new Date(due).toISOString(),
      },
    ];
  }
  if (unconfirmed.seqs.length === 0) return [];
  return [{ reason: 'unconfirmed-sign-up', seqs: unconfirmed.seqs, identifiers, dueSince: unconfirmed.dueSince }];
}

/**
 * A customer's sign-ups that lapsed unconfirmed before `lapsedBefore`, with
 * their confirmation mails: online ticks for purposes with double opt-in
 * only, never clicked, for an address that is not subscribed now.
 */
function unconfirmedSignUps(
  view: ConsentView,
  customer: CustomerRecords,
  lapsedBefore: number,
): { seqs: number[]; dueSince?: string } {
  const clicked = new Set<string>();
  const mailsByGrant = new Map<string, number[]>();
  /** Which grant each confirmation SMS asked about, for its receipts. */
  const grantOfSms = new Map<string, string>();
  for (const { seq, event } of customer.entries) {
    if (event.method === 'double-opt-in') clicked.add(event.grantId);
    // The mails and SMS that asked for confirmation go with their sign-up, and so do the SMS's receipts.
    const grantId =
      event.method === 'confirmation-mail' || event.method === 'confirmation-sms'
        ? event.grantId
        : event.method === 'sms-receipt'
          ? grantOfSms.get(event.smsId)
          : undefined;
    if (event.method === 'confirmation-sms' && event.grantId) grantOfSms.set(event.id, event.grantId);
    if (grantId) mailsByGrant.set(grantId, [...(mailsByGrant.get(grantId) ?? []), seq]);
  }
  const seqs: number[] = [];
  let dueSince = 0;
  for (const entry of customer.entries) {
    const record = entry.event;
    if (record.method !== 'online-booking' || clicked.has(record.id)) continue;
    const lapsedAt = Date.parse(entry.receivedAt) + view.lapseMs;
    if (lapsedAt > lapsedBefore) continue;
    const waitedForConfirmation = record.purposes.every(
      ({ purpose, granted }) => granted && view.needsConfirmation(purpose),
    );
    if (!waitedForConfirmation) continue;
    const subscribed = record.purposes.some(({ purpose }) => {
      const address = view.addressKeyOf(purpose, record.subject);
      return address !== undefined && view.decide(purpose, address).state === 'granted';
    });
    if (subscribed) continue;
    seqs.push(entry.seq, ...(mailsByGrant.get(record.id) ?? []));
    dueSince = Math.max(dueSince, lapsedAt);
  }
  return { seqs: seqs.sort((a, b) => a - b), ...(seqs.length ? { dueSince: new Date(dueSince).toISOString() } : {}) };
}

/** The erasure records for plans; digests only for erasures on request, which must be recognised later. */
export function erasureRecords(
  plans: readonly ErasurePlan[],
  store: Pick<LedgerStore, 'identifierDigest'>,
  by: { staffName?: string; note?: string } = {},
): ErasureRecord[] {
  return plans.map((plan) => ({
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    // Erasures of the same entries at once (two staff members, two processes) make one id: one erasure.
    id: derivedId('erasure', ...plan.seqs),
    method: 'erasure',
    reason: plan.reason,
    ...(by.note ? { note: by.note } : {}),
    ...(by.staffName ? { staff: { name: by.staffName } } : {}),
    erasedSeqs: plan.seqs,
    ...(plan.reason === 'customer-request' || by.staffName
      ? { identifierDigests: plan.identifiers.map((key) => store.identifierDigest(key)) }
      : {}),
  }));
}

/** Applies the retention policy to the store as the views read it; with dryRun, only the list. */
export async function applyRetention(
  store: Pick<LedgerStore, 'erase' | 'identifierDigest'>,
  views: AsyncIterable<ConsentView> | Iterable<ConsentView>,
  purposes: readonly string[],
  policy: RetentionPolicy,
  dryRun: boolean,
): Promise<ErasurePlan[]> {
  const plans = await planRetention(views, purposes, policy);
  if (!dryRun && plans.length > 0) await store.erase(erasureRecords(plans, store));
  return plans;
}
