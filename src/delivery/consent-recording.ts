/**
 * What recording a ticked consent needs, and nothing that showing the boxes
 * needs: the element loads this module when the page is idle after the
 * boxes are painted (or at the first tick), so it never delays them.
 */
import type { ConsentEvent, ConsentSubject } from '../contract/consent-event.js';
import { sha256Hex } from '../contract/fingerprint.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../contract/vocabulary.js';
import { WIDGET_NAME, WIDGET_VERSION } from '../version.js';

export { ConsentOutbox } from './consent-outbox.js';
export { confirmationHintFor } from '../legal-text/confirmation-hint.js';

/** A ticked consent as the element knows it when the booking is made. */
export interface ConsentToRecord {
  id: string;
  /** The purposes ticked, in the order offered. */
  purposes: readonly string[];
  textVersion: string;
  /** The language and the canonical full text shown (see composeWidgetText). */
  locale: string;
  text: string;
  subject: ConsentSubject;
  bookingRef?: string | undefined;
}

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
    clientTime: new Date().toISOString(),
    method: 'online-booking',
    // Origin and path only: query strings on booking pages often carry personal data.
    source: { pageUrl: location.origin + location.pathname, widget: { name: WIDGET_NAME, version: WIDGET_VERSION } },
    ...(act.bookingRef ? { bookingRef: act.bookingRef } : {}),
  };
}
