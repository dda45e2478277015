/**
 * What recording a ticked consent needs, and nothing that showing the boxes
 * needs: the element loads this module when the page is idle after the
 * boxes are painted (or at the first tick), so it never delays them.
 */
import type { ConsentEvent } from '../contract/consent-event.js';
import { sha256Hex } from '../contract/fingerprint.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../contract/vocabulary.js';
import { WIDGET_NAME, WIDGET_VERSION } from '../version.js';
import { ConsentOutbox, OUTBOX_MAX_AGE_MS, type DeliveryOutcome } from './consent-outbox.js';
import { keepAct, type ConsentToRecord } from './kept-acts.js';
import { KEPT_ACT_PREFIX } from './waiting.js';

export type { ConsentToRecord } from './kept-acts.js';
export { confirmationHintFor } from '../legal-text/confirmation-hint.js';

/** Why no event can be made: the message names the settings to fix. */
export class ConsentNotRecordable extends Error {}

/**
 * The consent event for an act, fingerprinted. Throws ConsentNotRecordable
 * when nobody is named to record it for, naming the form fields read.
 */
export async function consentEventFor(
  act: ConsentToRecord,
  fields: { email: string; phone: string; customerId: string | undefined },
): Promise<ConsentEvent> {
  const { subject } = act;
  if (!subject.email && !subject.phone && !subject.customerId) {
    throw new ConsentNotRecordable(
      `no e-mail, phone or customer id to record the consent for: set email-field, phone-field or customer-id-field to the names of the booking form's fields (now "${fields.email}", "${fields.phone}", "${fields.customerId ?? ''}"), or pass subject to record()`,
    );
  }
  const sha256 = await sha256Hex(act.text);
  // The ledger validates the event against the shared schema and answers
  // a 4xx naming the field; the schema is left out of the browser bundle.
  return {
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    id: act.id,
    subject,
    purposes: act.purposes.map((purpose) => ({ purpose, granted: true })),
    notice: { textVersion: act.textVersion, locale: act.locale, text: act.text, sha256 },
    clientTime: act.clientTime,
    method: 'online-booking',
    source: { pageUrl: act.pageUrl, widget: { name: WIDGET_NAME, version: WIDGET_VERSION } },
    ...(act.bookingRef ? { bookingRef: act.bookingRef } : {}),
  };
}

/**
 * Makes the event for an act and hands it to the outbox for `endpoint`
 * (none: the element works as a form field only). The act kept at the
 * booking goes once the outbox holds the event, or when none can ever be
 * made (ConsentNotRecordable, thrown on).
 */
export async function recordAct(
  act: ConsentToRecord,
  fields: { email: string; phone: string; customerId: string | undefined },
  endpoint: string | undefined,
): Promise<{ event: ConsentEvent; delivered?: Promise<DeliveryOutcome> }> {
  let event: ConsentEvent;
  try {
    event = await consentEventFor(act, fields);
  } catch (error) {
    if (error instanceof ConsentNotRecordable) keepAct(act.id);
    throw error;
  }
  if (!endpoint) return { event };
  // The outbox stores the event before deliver() returns.
  const delivered = outboxFor(endpoint).deliver(event);
  keepAct(act.id);
  return { event, delivered };
}

/** Endpoints whose kept acts this page has taken in. */
const adopted = new Set<string>();

/**
 * The page's outbox for an endpoint. Its first use on a page also turns the
 * acts that pages left before their event was made (see kept-acts.ts) into
 * events in it, to be sent with the rest.
 */
export function outboxFor(endpoint: string): ConsentOutbox {
  const outbox = ConsentOutbox.for(endpoint);
  if (!adopted.has(outbox.endpoint)) {
    adopted.add(outbox.endpoint);
    void adoptKeptActs(outbox);
  }
  return outbox;
}

async function adoptKeptActs(outbox: ConsentOutbox): Promise<void> {
  for (const { endpoint, act } of keptActs()) {
    if (endpoint !== outbox.endpoint) continue;
    // As for events in the outbox: a consent delivered weeks late is doubtful proof.
    if (!(Date.now() - Date.parse(act.clientTime) < OUTBOX_MAX_AGE_MS)) {
      keepAct(act.id);
      continue;
    }
    try {
      outbox.adopt(await consentEventFor(act, { email: 'email', phone: 'phone', customerId: undefined }));
    } catch (error) {
      // Nobody to record it for: it can never become an event (its page said so when it was made).
      if (!(error instanceof ConsentNotRecordable)) continue;
    }
    keepAct(act.id);
  }
}

/** The acts kept in this browser, for every endpoint. */
function keptActs(): { endpoint: string; act: ConsentToRecord }[] {
  const kept = [];
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (!key?.startsWith(KEPT_ACT_PREFIX)) continue;
      try {
        kept.push(JSON.parse(localStorage.getItem(key)!) as { endpoint: string; act: ConsentToRecord });
      } catch {
        localStorage.removeItem(key);
      }
    }
  } catch {
    // storage blocked: nothing was kept
  }
  return kept;
}
