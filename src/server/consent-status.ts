/**
 * Reading the ledger: a subject's status per purpose, their history, and a
 * campaign's audience. The latest record for a purpose decides (a withdrawal
 * after a grant withdraws; a new grant after a withdrawal grants again).
 * Everyone whose latest record is not a grant is left out of campaigns.
 */
import type { ConsentSubject } from '../contract/consent-event.js';
import type { Audience, LedgerRecord, PurposeStatus, SubjectStatus } from '../contract/ledger-records.js';
import type { LedgerEntry } from './ledger-store.js';

/** Identifiers to look a subject up by; any one matching is a match. */
export type SubjectQuery = Partial<ConsentSubject>;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
/** "+41 79 123 45 67" and "+41791234567" are the same number. */
export const normalizePhone = (phone: string) => phone.replace(/[^\d+]/g, '');

/**
 * The address a purpose reaches a subject at: the e-mail for the e-mail
 * newsletter, the phone for SMS, else the platform's customer id.
 */
export function addressFor(purpose: string, subject: ConsentSubject): string | undefined {
  if (purpose === 'email-newsletter') return subject.email && normalizeEmail(subject.email);
  if (purpose === 'sms-newsletter') return subject.phone && normalizePhone(subject.phone);
  return subject.customerId;
}

/** The identifier a purpose needs, for error messages: a grant without it could never be used. */
export function missingAddresses(purposes: readonly string[], subject: ConsentSubject): string[] {
  return purposes
    .filter((purpose) => !addressFor(purpose, subject))
    .map((purpose) =>
      purpose === 'email-newsletter'
        ? `${purpose} needs subject.email`
        : purpose === 'sms-newsletter'
          ? `${purpose} needs subject.phone`
          : `${purpose} needs subject.customerId`,
    );
}

/**
 * Whether a record is about the customer asked for. The strongest identifier
 * both sides have decides (customer id, then e-mail, then phone), so two
 * people who share a family phone number keep their own files, while a
 * record that only knows the phone (an SMS unsubscribe) still finds them.
 */
export function matchesSubject(subject: ConsentSubject, query: SubjectQuery): boolean {
  if (query.customerId && subject.customerId) return subject.customerId === query.customerId;
  if (query.email && subject.email) return normalizeEmail(subject.email) === normalizeEmail(query.email);
  if (query.phone && subject.phone) return normalizePhone(subject.phone) === normalizePhone(query.phone);
  return false;
}

/** The subject's records, oldest first. */
export function historyOf(entries: readonly LedgerEntry[], query: SubjectQuery): LedgerEntry[] {
  return entries.filter((entry) => matchesSubject(entry.event.subject, query));
}

function decisionOf(record: LedgerRecord, purpose: string): boolean | undefined {
  return record.purposes.find((p) => p.purpose === purpose)?.granted;
}

function statusFrom(purpose: string, entry: LedgerEntry | undefined): PurposeStatus {
  if (!entry) return { purpose, state: 'never', optInLevel: 'none', flags: [] };
  const record = entry.event;
  const granted = decisionOf(record, purpose) === true;
  return {
    purpose,
    state: granted ? 'granted' : 'withdrawn',
    since: entry.receivedAt,
    method: record.method,
    ...(record.method === 'online-booking'
      ? { textVersion: record.notice.textVersion, locale: record.notice.locale }
      : {}),
    ...(record.method === 'staff'
      ? { staff: record.staff, ...(record.textVersion ? { textVersion: record.textVersion } : {}) }
      : {}),
    optInLevel: !granted ? 'none' : record.method === 'staff' ? 'staff-evidence' : 'single',
    flags: entry.flags,
    seq: entry.seq,
    eventId: record.id,
  };
}

/** Status per purpose; the latest record naming the purpose decides. */
export function statusOf(
  entries: readonly LedgerEntry[],
  query: SubjectQuery,
  purposes: readonly string[],
): SubjectStatus {
  const history = historyOf(entries, query);
  const subject: ConsentSubject = {};
  for (const entry of history) Object.assign(subject, entry.event.subject);
  return {
    subject: { ...subject, ...query },
    purposes: purposes.map((purpose) =>
      statusFrom(
        purpose,
        history.findLast((entry) => decisionOf(entry.event, purpose) !== undefined),
      ),
    ),
  };
}

/**
 * A campaign's audience for one purpose: exactly the addresses whose latest
 * record for it is a grant. Everyone else is left out, and counted, so the
 * salon sees why a recipient list is smaller than expected.
 */
export function audienceFor(entries: readonly LedgerEntry[], purpose: string): Audience {
  const latest = new Map<string, LedgerEntry>();
  const known = new Set<string>();
  for (const entry of entries) {
    const address = addressFor(purpose, entry.event.subject);
    if (!address) continue;
    known.add(address);
    if (decisionOf(entry.event, purpose) !== undefined) latest.set(address, entry);
  }
  const recipients: Audience['recipients'] = [];
  let withdrawn = 0;
  for (const [address, entry] of latest) {
    if (decisionOf(entry.event, purpose)) {
      recipients.push({
        address,
        subject: entry.event.subject,
        since: entry.receivedAt,
        method: entry.event.method,
        flags: entry.flags,
      });
    } else withdrawn += 1;
  }
  recipients.sort((a, b) => a.address.localeCompare(b.address));
  return { purpose, recipients, leftOut: { withdrawn, neverGranted: known.size - latest.size } };
}
