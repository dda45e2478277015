/**
 * The contract's vocabulary: plain constants with no validation code, so the
 * browser bundle can use them without pulling in the schemas.
 *
 * The marketing purposes a consent can be given for. One purpose is one
 * channel: an e-mail newsletter is not an SMS newsletter (GDPR Recital 32,
 * EDPB Guidelines 05/2020 §3.1.3), so each gets its own box and record.
 */
export const KNOWN_PURPOSES = ['email-newsletter', 'sms-newsletter'] as const;

/** A purpose this package knows; ledgers may accept others they configure. */
export type KnownPurpose = (typeof KNOWN_PURPOSES)[number];

/** The field of the subject a purpose writes to: the e-mail, the phone, or (other purposes) the customer id. */
export function addressField(purpose: string): 'email' | 'phone' | 'customerId' {
  return purpose === 'email-newsletter' ? 'email' : purpose === 'sms-newsletter' ? 'phone' : 'customerId';
}

/** The one purpose shown when a page configures none. */
export const DEFAULT_PURPOSES: readonly KnownPurpose[] = ['email-newsletter'];

/**
 * Purpose ids are short kebab-case slugs, so they read well in form data,
 * CSV exports and URLs without escaping.
 */
export const PURPOSE_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A language tag as texts are keyed and events name the language shown: de, de-CH, it. */
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** The version of the consent event's wire format; bumped on any incompatible change. */
export const CONSENT_EVENT_SCHEMA_VERSION = 1;

/** How a consent was given. Online booking is the widget's method. */
export const CONSENT_METHODS = ['online-booking'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
