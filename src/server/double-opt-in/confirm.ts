/**
 * What a click on a confirmation link may do. The link must be signed by
 * this ledger for exactly this grant, purpose, address and mail, and not
 * expired; the grant must not have been withdrawn since, nor be confirmed
 * already. Only then does the POST record the confirmation. Checks and the
 * append run one at a time, so a double click records one confirmation.
 */
import type { Context } from 'hono';
import { isRecord } from '../../contract/ledger-records.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { normalizeEmail } from '../consent/addresses.js';
import { derivedId } from '../links/derived-id.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { readConfirmationUrl, verifyConfirmation } from './confirmation-link.js';
import type { ConfirmationPageView } from './confirmation-page.js';

export interface ConfirmationCheck {
  page: ConfirmationPageView;
  /** Set when the link may confirm: what to record. */
  confirm?: { grant: LedgerEntry; purpose: string; mailId: string; email: string };
}

export async function checkConfirmationLink(
  ledger: LedgerContext,
  linkSecret: string | undefined,
  url: URL,
  now = Date.now(),
): Promise<ConfirmationCheck> {
  const salon = ledger.controller.name;
  const invalid: ConfirmationCheck = { page: { state: 'invalid', locale: ledger.controller.locale, salon } };
  const link = readConfirmationUrl(url);
  if (!link || !linkSecret || !ledger.purposes.includes(link.purpose)) return invalid;
  const found = await ledger.store.entryById(link.grantId);
  if (!found || !isRecord(found)) return invalid;
  const record = found.event;
  if (record.method !== 'online-booking' || !record.subject.email) return invalid;
  const address = normalizeEmail(record.subject.email);
  const view = await ledger.viewOf({ email: record.subject.email });
  const grant = view.onlineGrant(link.grantId);
  if (!grant) return invalid;
  const signed = await verifyConfirmation(linkSecret, { ...link, address }, link.signature);
  if (!signed || !record.purposes.some((p) => p.purpose === link.purpose && p.granted)) return invalid;
  const page = { locale: record.notice.locale, salon, purpose: link.purpose, address: record.subject.email };
  if (now >= link.expires * 1000) return { page: { ...page, state: 'expired' } };
  const decision = view.decide(link.purpose, `email:${address}`);
  if (decision.withdrawal && decision.withdrawal.seq > grant.seq) return { page: { ...page, state: 'withdrawn' } };
  const clicked = decision.confirmation?.confirmedGrant;
  if (clicked && clicked.seq >= grant.seq) return { page: { ...page, state: 'already' } };
  if (decision.confirmation?.state === 'lapsed') return { page: { ...page, state: 'expired' } };
  return {
    page: { ...page, state: 'ask' },
    confirm: { grant, purpose: link.purpose, mailId: link.mailId, email: record.subject.email },
  };
}

/**
 * Checks the link again and records the confirmation. The record's id is the
 * grant's: clicks at once (a double click, a second tab, another process)
 * make one record, and every click is answered as confirmed.
 */
export async function confirm(
  ledger: LedgerContext,
  linkSecret: string | undefined,
  c: Context,
): Promise<ConfirmationPageView> {
  const check = await checkConfirmationLink(ledger, linkSecret, new URL(c.req.url));
  if (!check.confirm) return check.page;
  const { grant, purpose, mailId, email } = check.confirm;
  const clientAddress = ledger.confirmations?.recordsClientAddress ? ledger.clientAddress(c) : undefined;
  const userAgent = c.req.header('user-agent')?.slice(0, 512);
  await ledger.appendRecord({
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    id: derivedId('double-opt-in', purpose, grant.event.id),
    subject: { email },
    purposes: [],
    method: 'double-opt-in',
    purpose,
    grantId: grant.event.id,
    mailId,
    ...(userAgent ? { userAgent } : {}),
    ...(clientAddress ? { clientAddress } : {}),
  });
  return { ...check.page, state: 'done' };
}
