/**
 * The wire contract: the consent event the `<marketing-consent>` element
 * posts and the ledger stores. Defined once, here, with `zod/mini` so that the
 * browser bundle stays small and the server validates with the very same
 * rules. Every field exists because a salon may have to show it to prove a
 * consent (GDPR Art. 7(1), see the README's legal background).
 */
import * as z from 'zod/mini';
import {
  CONSENT_EVENT_SCHEMA_VERSION,
  CONSENT_METHODS,
  LANGUAGE_TAG_PATTERN,
  PURPOSE_ID_PATTERN,
} from './vocabulary.js';

/**
 * The longest value of each text field, in UTF-16 code units (as JavaScript
 * counts a string's length). The intake's quick check reads them too.
 */
export const EVENT_LIMITS = {
  email: 254,
  customerId: 128,
  purposes: 16,
  purpose: 64,
  textVersion: 64,
  text: 20_000,
  pageUrl: 2048,
  widgetName: 64,
  widgetVersion: 32,
  bookingRef: 128,
} as const;

/** Digits with the usual separators and an optional leading +; the ledger compares numbers, it does not dial them. */
export const PHONE_PATTERN = /^\+?[0-9 ()./-]{5,32}$/;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

const nonEmpty = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * Who consented. At least one identifier, so the ledger can tie the consent
 * to a customer file and a campaign can find the address it covers.
 */
export const consentSubjectSchema = z
  .object({
    email: z.optional(z.email().check(z.maxLength(EVENT_LIMITS.email))),
    phone: z.optional(
      z.string().check(z.trim(), z.regex(PHONE_PATTERN, 'phone must be a telephone number such as +41 79 123 45 67')),
    ),
    customerId: z.optional(nonEmpty(EVENT_LIMITS.customerId)),
  })
  .check(
    z.refine((subject) => Boolean(subject.email || subject.phone || subject.customerId), {
      message: 'subject needs at least one of email, phone or customerId',
    }),
  );

/** One purpose of the act, and whether the customer granted it. */
export const purposeDecisionSchema = z.object({
  purpose: z
    .string()
    .check(
      z.regex(PURPOSE_ID_PATTERN, 'purpose must be a kebab-case id such as email-newsletter'),
      z.maxLength(EVENT_LIMITS.purpose),
    ),
  granted: z.boolean(),
});

/**
 * What the customer was shown: the salon's text version, the language, the
 * exact legal text (in the widget's link markup, so link targets are kept)
 * and its SHA-256 fingerprint.
 */
export const consentNoticeSchema = z.object({
  textVersion: nonEmpty(EVENT_LIMITS.textVersion),
  locale: z.string().check(z.regex(LANGUAGE_TAG_PATTERN, 'locale must be a language tag such as de or de-CH')),
  text: z.string().check(z.minLength(1), z.maxLength(EVENT_LIMITS.text)),
  sha256: z.string().check(z.regex(SHA256_PATTERN, 'sha256 must be 64 lowercase hex digits')),
});

export const consentEventSchema = z
  .object({
    schemaVersion: z.literal(CONSENT_EVENT_SCHEMA_VERSION),
    /** Made when the customer ticks; kept for every resend of the same act. */
    id: z.uuid(),
    subject: consentSubjectSchema,
    purposes: z.array(purposeDecisionSchema).check(z.minLength(1), z.maxLength(EVENT_LIMITS.purposes)),
    notice: consentNoticeSchema,
    /** The customer's clock; the ledger adds its own receive time. */
    clientTime: z.iso.datetime({ offset: true }),
    method: z.enum(CONSENT_METHODS),
    source: z.object({
      pageUrl: z.url({ protocol: /^https?$/ }).check(z.maxLength(EVENT_LIMITS.pageUrl)),
      widget: z.object({ name: nonEmpty(EVENT_LIMITS.widgetName), version: nonEmpty(EVENT_LIMITS.widgetVersion) }),
    }),
    bookingRef: z.optional(nonEmpty(EVENT_LIMITS.bookingRef)),
  })
  .check(
    z.refine((event) => new Set(event.purposes.map((p) => p.purpose)).size === event.purposes.length, {
      message: 'purposes must not name the same purpose twice',
      path: ['purposes'],
    }),
  );

export type ConsentSubject = z.infer<typeof consentSubjectSchema>;
export type PurposeDecision = z.infer<typeof purposeDecisionSchema>;
export type ConsentNotice = z.infer<typeof consentNoticeSchema>;
export type ConsentEvent = z.infer<typeof consentEventSchema>;

/**
 * What a ledger answers once it has durably stored an event. The element
 * hands it to the page in its `marketing-consent-recorded` event, so the
 * booking app can keep it with the booking.
 */
export const consentReceiptSchema = z.object({
  id: z.uuid(),
  seq: z.number().check(z.int(), z.minimum(1)),
  receivedAt: z.iso.datetime({ offset: true }),
  /**
   * The ledger's signed checkpoint covering this record (C2SP signed note),
   * when the ledger signs checkpoints. Keep it with the booking: it lets
   * anyone holding it detect a later deletion or rewrite of the record.
   */
  checkpoint: z.optional(z.string()),
  /**
   * Purposes that count only once the customer confirmed them by the link
   * the ledger just mailed (double opt-in). The element tells the customer
   * to look for that mail.
   */
  pendingConfirmation: z.optional(z.array(z.string())),
});
export type ConsentReceipt = z.infer<typeof consentReceiptSchema>;

/** The JSON error body every 4xx/5xx of the ledger carries. */
export interface LedgerErrorBody {
  error: string;
  /** Which field was wrong, as a dotted path, when one was. */
  issues?: { path: string; message: string }[];
}
