/**
 * What the ledger stores and what its staff API speaks: the records beyond
 * the widget's own consent event (staff entries with evidence, withdrawals),
 * the status of a subject, and a campaign audience. Shared by the ledger,
 * its OpenAPI description and the staff's customer-file view.
 */
import * as z from 'zod/mini';
import {
  consentEventSchema,
  consentNoticeSchema,
  consentSubjectSchema,
  purposeDecisionSchema,
} from './consent-event.js';
import { CONSENT_EVENT_SCHEMA_VERSION, PURPOSE_ID_PATTERN } from './vocabulary.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const purposeId = z
  .string()
  .check(z.regex(PURPOSE_ID_PATTERN, 'purpose must be a kebab-case id such as email-newsletter'));
const purposeList = z.array(purposeId).check(
  z.minLength(1, 'name at least one purpose'),
  z.maxLength(16),
  z.refine((list) => new Set(list).size === list.length, 'purposes must not repeat'),
);

/**
 * A consent the customer gave in the salon or on the phone, entered by
 * staff. The salon bears the burden of proof, so the staff member's name and
 * a reference to the evidence (the signed form) are required, and so is the
 * staff member's statement that this customer agreed. One subject per
 * request: there is no grant "for everyone".
 */
export const staffGrantRequestSchema = z.object({
  subject: consentSubjectSchema,
  purposes: purposeList,
  staffName: text(120),
  /** Where the proof is, e.g. "signed form, 2026-11-20, folder 12". */
  evidence: text(500),
  /** The staff member confirms the customer agreed to exactly these purposes. */
  customerAgreed: z.literal(true, { error: 'customerAgreed must be true: confirm that the customer agreed' }),
  /** Version of the form or text the customer signed, when there is one. */
  textVersion: z.optional(text(64)),
});
export type StaffGrantRequest = z.infer<typeof staffGrantRequestSchema>;

/** A withdrawal recorded by staff (the customer asked in the salon, by mail, on the phone). */
export const withdrawalRequestSchema = z.object({
  subject: consentSubjectSchema,
  purposes: purposeList,
  staffName: text(120),
  reason: z.optional(text(500)),
});
export type WithdrawalRequest = z.infer<typeof withdrawalRequestSchema>;

/** Staff ask for the confirmation mail again (the customer did not get it or lost it). */
export const confirmationResendRequestSchema = z.object({
  purpose: purposeId,
  /** The e-mail address waiting for confirmation. */
  email: z.email().check(z.maxLength(254)),
  staffName: text(120),
});
export type ConfirmationResendRequest = z.infer<typeof confirmationResendRequestSchema>;

/** Asks the ledger for a signed unsubscribe link to put into a newsletter. */
export const unsubscribeLinkRequestSchema = z.object({
  purpose: purposeId,
  /** The e-mail address (e-mail newsletter) or phone number (SMS) the message goes to. */
  address: text(254),
  locale: z.optional(
    z.string().check(z.regex(/^[a-z]{2}(?:-[A-Za-z0-9]+)*$/, 'locale must be a language tag such as de')),
  ),
});

const recordBase = {
  schemaVersion: z.literal(CONSENT_EVENT_SCHEMA_VERSION),
  id: z.uuid(),
  subject: consentSubjectSchema,
  purposes: z.array(purposeDecisionSchema),
};

/** A record the ledger makes for staff: a grant with evidence, or a withdrawal. */
export const staffRecordSchema = z.object({
  ...recordBase,
  method: z.literal('staff'),
  staff: z.object({ name: text(120), evidence: z.optional(text(500)) }),
  textVersion: z.optional(text(64)),
  reason: z.optional(text(500)),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

/** A withdrawal by the customer through the signed link in a newsletter. */
export const unsubscribeRecordSchema = z.object({
  ...recordBase,
  method: z.literal('unsubscribe-link'),
});
export type UnsubscribeRecord = z.infer<typeof unsubscribeRecordSchema>;

/** What a newsletter tool reports about an address (POST /v1/integrations/suppressions). */
export const SUPPRESSION_KINDS = ['unsubscribe', 'complaint', 'hard-bounce'] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

/**
 * A suppression from the salon's newsletter tool. An unsubscribe or a
 * complaint is the customer's withdrawal; a hard bounce is no decision of
 * theirs: the address only stops receiving until it is granted again.
 */
export const suppressionRequestSchema = z.object({
  /** The e-mail address or phone number the tool writes to. */
  address: text(254),
  /** The purpose it is about; without one, every purpose that writes to this kind of address. */
  purpose: z.optional(purposeId),
  kind: z.enum(SUPPRESSION_KINDS),
  /** The tool, e.g. "Brevo" or "the salon's newsletter tool". */
  source: text(120),
  /** When the customer unsubscribed or complained, or the mail bounced (ISO 8601 with a time zone). */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The tool's own id of the event, to find it there (a message or complaint id). */
  reference: text(500),
});
export type SuppressionRequest = z.infer<typeof suppressionRequestSchema>;

/** What a suppression changed, per purpose (the answer to POST /v1/integrations/suppressions). */
export const suppressionResultSchema = z.object({
  outcomes: z.array(
    z.object({
      purpose: z.string(),
      /** `withdrawn` and `bounced` were recorded now; `unchanged`: nothing was granted or pending, or a later grant stands. */
      outcome: z.enum(['withdrawn', 'bounced', 'unchanged']),
      /** The purpose's state for this address now. */
      state: z.enum(['granted', 'pending', 'withdrawn', 'never']),
      seq: z.optional(z.number()),
      reason: z.optional(z.string()),
    }),
  ),
});

/**
 * A suppression as recorded: a withdrawal of `purposes` (unsubscribe,
 * complaint) or, for a hard bounce, no decision (`purposes` is empty) and
 * the purposes whose address bounced in `suppression.purposes`.
 */
export const suppressionRecordSchema = z.object({
  ...recordBase,
  method: z.literal('suppression'),
  suppression: z.object({
    kind: z.enum(SUPPRESSION_KINDS),
    source: text(120),
    occurredAt: z.string(),
    reference: text(500),
    purposes: z.array(purposeId),
  }),
});
export type SuppressionRecord = z.infer<typeof suppressionRecordSchema>;

/** A drawn signature as a PNG data URL: at most this many characters (about 36 KB of image). */
export const SIGNATURE_IMAGE_MAX = 48_000;

/**
 * The customer's own signature at the front desk: drawn on the salon's
 * tablet (a PNG), or, for a customer who cannot draw one, their name typed
 * by themselves (the keyboard alternative).
 */
export const frontDeskSignatureSchema = z.union([
  z.object({
    kind: z.literal('drawn'),
    image: z
      .string()
      .check(
        z.maxLength(SIGNATURE_IMAGE_MAX, `the signature image must be at most ${SIGNATURE_IMAGE_MAX} characters`),
        z.regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'the signature image must be a PNG data URL'),
      ),
  }),
  z.object({ kind: z.literal('typed'), name: text(120) }),
]);

/**
 * A consent the customer gave on the salon's device at the front desk: they
 * read the notice (the same versioned text the booking page shows, in
 * their language), ticked its boxes themselves and signed. Staff hand over
 * the device; the record names them and the device, so it always shows as
 * given with staff present.
 */
export const frontDeskConsentRequestSchema = z.object({
  subject: consentSubjectSchema,
  /** The purposes the customer ticked. */
  purposes: purposeList,
  notice: consentNoticeSchema,
  signature: frontDeskSignatureSchema,
  staffName: text(120),
  /** The salon's device, e.g. "Empfang iPad". */
  device: text(120),
  /** The staff member confirms the customer ticked and signed themselves. */
  customerActed: z.literal(true, {
    error: 'customerActed must be true: the customer ticks and signs on the device themselves',
  }),
});
export type FrontDeskConsentRequest = z.infer<typeof frontDeskConsentRequestSchema>;

export const frontDeskRecordSchema = z.object({
  ...recordBase,
  method: z.literal('front-desk'),
  notice: consentNoticeSchema,
  signature: z.object({
    kind: z.enum(['drawn', 'typed']),
    image: z.optional(z.string()),
    name: z.optional(z.string()),
    /** SHA-256 (hex) of the image's bytes, or of the typed name: what the signature was, after an erasure too. */
    sha256: z.string(),
  }),
  staff: z.object({ name: text(120) }),
  device: text(120),
});
export type FrontDeskRecord = z.infer<typeof frontDeskRecordSchema>;

/**
 * A decision the customer made before the salon used this ledger, brought
 * from other software by `marketing-consent-ledger import` (never over HTTP):
 * `occurredAt` is when the customer decided, `source` the software it came
 * from; a grant names its evidence (the signed form, the old system's record).
 */
export const importRecordSchema = z.object({
  ...recordBase,
  method: z.literal('import'),
  import: z.object({
    occurredAt: z.string(),
    source: text(120),
    evidence: z.optional(text(500)),
    staffName: z.optional(text(120)),
  }),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;

/**
 * A confirmation mail for a grant that waits for double opt-in: sent (with
 * the SMTP server's Message-ID and the mail as sent) or failed (with the
 * server's reply). Records no decision (`purposes` is empty). The mail's
 * text is kept with the link's signature left out, so nobody who reads the
 * ledger can confirm in the customer's place; `sha256` is over that text.
 */
export const confirmationMailRecordSchema = z.object({
  ...recordBase,
  method: z.literal('confirmation-mail'),
  purpose: purposeId,
  /** The grant (an online-booking event) this mail asks to confirm. */
  grantId: z.uuid(),
  outcome: z.enum(['sent', 'failed']),
  messageId: z.optional(z.string().check(z.maxLength(998))),
  /** The SMTP server's reply or the connection error, when sending failed. */
  smtpReply: z.optional(z.string().check(z.maxLength(2000))),
  mail: z.optional(
    z.object({
      from: z.string(),
      to: z.string(),
      subject: z.string(),
      locale: z.string(),
      text: z.string(),
      sha256: z.string(),
      /** When the link in it stops working (ISO 8601). */
      linkExpiresAt: z.string(),
    }),
  ),
  /** Set when staff asked for this mail again from the customer file. */
  requestedBy: z.optional(z.object({ name: text(120) })),
  /** The client address the sign-up came from, where the salon records it. */
  signUpClientAddress: z.optional(z.string().check(z.maxLength(64))),
});
export type ConfirmationMailRecord = z.infer<typeof confirmationMailRecordSchema>;

/**
 * A text message the ledger sent over the salon's SMSC (SMPP): the request
 * to confirm a grant by replying (`opt-in`, for the grant it names), or the
 * short notice that a STOP was recorded (`stop`, for the reply it answers).
 * Sent (with the SMSC's message id of each part) or failed (with the SMSC's
 * error). The text names the salon and the reply keywords, nothing of the
 * customer, so it stays readable after an erasure; the number it went to
 * is sealed. Records no decision.
 */
export const confirmationSmsRecordSchema = z.object({
  ...recordBase,
  method: z.literal('confirmation-sms'),
  purpose: purposeId,
  kind: z.enum(['opt-in', 'stop']),
  /** The grant (an online-booking event) an `opt-in` SMS asks to confirm. */
  grantId: z.optional(z.uuid()),
  /** The customer's STOP reply a `stop` notice answers. */
  replyId: z.optional(z.uuid()),
  outcome: z.enum(['sent', 'failed']),
  /** The SMSC's message id of each part, in order. */
  messageIds: z.optional(z.array(z.string().check(z.maxLength(65))).check(z.maxLength(16))),
  /** Why the SMSC refused or did not answer, when sending failed. */
  smscError: z.optional(z.string().check(z.maxLength(500))),
  sms: z.optional(
    z.object({
      from: z.string().check(z.maxLength(32)),
      to: z.string().check(z.maxLength(32)),
      locale: z.string().check(z.maxLength(35)),
      text: z.string().check(z.maxLength(1600)),
      encoding: z.enum(['gsm7', 'ucs2']),
      parts: z.number().check(z.int(), z.minimum(1), z.maximum(16)),
    }),
  ),
  /** Set when staff asked for this SMS again from the customer file. */
  requestedBy: z.optional(z.object({ name: text(120) })),
});
export type ConfirmationSmsRecord = z.infer<typeof confirmationSmsRecordSchema>;

/**
 * The SMSC's delivery receipt for a part of an SMS the ledger sent: whether
 * the phone received it (`DELIVRD`) or not (`UNDELIV`, `EXPIRED`,
 * `REJECTD`, …, as SMPP names the final states). Records no decision.
 */
export const smsReceiptRecordSchema = z.object({
  ...recordBase,
  method: z.literal('sms-receipt'),
  purpose: purposeId,
  /** The `confirmation-sms` record of the SMS. */
  smsId: z.uuid(),
  /** The SMSC's message id of the part. */
  messageId: z.string().check(z.maxLength(65)),
  state: z.string().check(z.regex(/^[A-Z]{1,16}$/)),
  /** The network's error code, when the SMSC gives one. */
  error: z.optional(z.string().check(z.maxLength(16))),
});
export type SmsReceiptRecord = z.infer<typeof smsReceiptRecordSchema>;

/** A text message received from a customer's phone, as the SMSC delivered it. */
const receivedSms = z.object({
  /** The customer's number, E.164. */
  from: z.string().check(z.maxLength(32)),
  /** The salon's number it was sent to. */
  to: z.string().check(z.maxLength(32)),
  text: z.string().check(z.maxLength(1600)),
  /** The sequence number of the SMSC's deliver_sm, which the SMSC's own logs show. */
  smscSequence: z.optional(z.number().check(z.int(), z.minimum(0))),
});

/**
 * A reply from a customer's phone that confirmed nothing: a STOP (its
 * `purposes` withdraw what the number had granted or pending), or any other
 * text (kept, as every SMS the ledger receives from a number it knows, and
 * changes nothing). A reply that confirms a grant is a `double-opt-in`
 * record with the same `reply`.
 */
export const smsReplyRecordSchema = z.object({
  ...recordBase,
  method: z.literal('sms-reply'),
  /** How the ledger read it: a STOP keyword, a confirmation that came when none was waiting, or other text. */
  reading: z.enum(['stop', 'confirm', 'other']),
  reply: receivedSms,
});
export type SmsReplyRecord = z.infer<typeof smsReplyRecordSchema>;

/**
 * The owner of the address agreed (double opt-in): by the button behind the
 * link in the confirmation mail, or by replying JA/OUI/SI/YES to the
 * confirmation SMS (`reply`). Makes the grant it names count; records no new
 * decision itself.
 */
export const confirmationRecordSchema = z.object({
  ...recordBase,
  method: z.literal('double-opt-in'),
  purpose: purposeId,
  grantId: z.uuid(),
  /** The confirmation mail whose link was used, or the confirmation SMS replied to. */
  mailId: z.uuid(),
  userAgent: z.optional(z.string().check(z.maxLength(512))),
  /** The client address of the click, where the salon records it. */
  clientAddress: z.optional(z.string().check(z.maxLength(64))),
  /** The customer's reply, when they confirmed by SMS. */
  reply: z.optional(receivedSms),
});
export type ConfirmationRecord = z.infer<typeof confirmationRecordSchema>;

/**
 * Why personal data was erased: the customer asked (GDPR Art. 17, revFADP
 * Art. 32), a sign-up was never confirmed, or the retention period ran out.
 */
export const ERASURE_REASONS = ['customer-request', 'unconfirmed-sign-up', 'retention-period', 'other'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/**
 * An erasure: which records lost their personal data, when (the entry's
 * receive time), why and on whose request. Holds no personal data itself;
 * `identifierDigests` are keyed hashes (HMAC-SHA-256 with a secret kept
 * beside the record keys) of the erased identifiers, so a later lookup of
 * the same address can say "erased" without the ledger knowing the address.
 */
export const erasureRecordSchema = z.object({
  schemaVersion: z.literal(CONSENT_EVENT_SCHEMA_VERSION),
  id: z.uuid(),
  method: z.literal('erasure'),
  reason: z.enum(ERASURE_REASONS),
  /** A note for the file; staff are told to write no personal data here. */
  note: z.optional(text(500)),
  /** Who erased; absent when the retention schedule did. */
  staff: z.optional(z.object({ name: text(120) })),
  erasedSeqs: z.array(z.number().check(z.int(), z.minimum(1))),
  identifierDigests: z.optional(z.array(z.string())),
});
export type ErasureRecord = z.infer<typeof erasureRecordSchema>;

/**
 * The operator's explicit acceptance of the ledger as found when it could not
 * vouch for it at start-up (no checkpoint log, a log that does not match the
 * chain, entries no checkpoint or MAC of the ledger's covers): `found` says
 * what the ledger found and why it refused, `note` why the operator accepts
 * it. Holds no personal data; the ledger signs a checkpoint over it.
 */
export const historyAcceptanceRecordSchema = z.object({
  schemaVersion: z.literal(CONSENT_EVENT_SCHEMA_VERSION),
  id: z.uuid(),
  method: z.literal('history-accepted'),
  found: z.object({
    /** Entries in the chain, and its head hash, before this one. */
    entries: z.number().check(z.int(), z.minimum(0)),
    headHash: z.string(),
    /** Why the start was refused. */
    problem: text(2000),
    /** The last signed checkpoint the ledger had for this chain (its note), if any. */
    lastCheckpoint: z.optional(z.string()),
  }),
  operator: z.object({ name: text(120) }),
  note: text(500),
});
export type HistoryAcceptanceRecord = z.infer<typeof historyAcceptanceRecordSchema>;

/** Staff erase one customer's personal data (the customer asked). */
export const erasureRequestSchema = z.object({
  subject: consentSubjectSchema,
  staffName: text(120),
  reason: z.enum(ERASURE_REASONS),
  note: z.optional(text(500)),
});
export type ErasureRequest = z.infer<typeof erasureRequestSchema>;

/** Anything the ledger stores: the widget's consent event, a staff record, an unsubscribe, a double opt-in step. */
export const ledgerRecordSchema = z.union([
  consentEventSchema,
  staffRecordSchema,
  unsubscribeRecordSchema,
  confirmationMailRecordSchema,
  confirmationSmsRecordSchema,
  confirmationRecordSchema,
  smsReplyRecordSchema,
  smsReceiptRecordSchema,
  suppressionRecordSchema,
  importRecordSchema,
  frontDeskRecordSchema,
]);
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;

/**
 * Why a record needs a second look. The record is kept (the customer did
 * act; what they saw is in it), but the flag shows wherever its status does.
 */
export const RECORD_FLAGS = {
  'unregistered-text-version': 'the text version is not in the salon’s register of published texts',
  'text-differs-from-register': 'the text shown differs from the registered text of that version and language',
  'fingerprint-mismatch': 'the fingerprint does not match the text in the record',
} as const;
export type RecordFlag = keyof typeof RECORD_FLAGS;

/** One stored entry: the record with its place in the hash chain. */
export const ledgerEntrySchema = z.object({
  /** 1, 2, 3, … in the order the ledger received records. */
  seq: z.number().check(z.int(), z.minimum(1)),
  /** The ledger's clock when it accepted the record (ISO 8601, UTC). */
  receivedAt: z.iso.datetime({ offset: true }),
  event: ledgerRecordSchema,
  /** Why this record needs a second look (see RECORD_FLAGS); usually empty. */
  flags: z.array(z.enum(Object.keys(RECORD_FLAGS) as [RecordFlag, ...RecordFlag[]])),
  /** `hash` of the entry before (64 zeros for the first). */
  prevHash: z.string(),
  /** SHA-256 over prevHash and this entry's seq, receivedAt, public event, sealed part and flags. */
  hash: z.string(),
  /** The record's personal fields, encrypted under the record's own key (absent in entries from before 0.2). */
  sealed: z.optional(z.string()),
  /** With a signing key: HMAC-SHA-256 of what the hash covers (and the last checkpoint's size), with a secret only the key's holder can derive. */
  mac: z.optional(z.string()),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

const chainPosition = {
  seq: ledgerEntrySchema.shape.seq,
  receivedAt: ledgerEntrySchema.shape.receivedAt,
  flags: ledgerEntrySchema.shape.flags,
  prevHash: z.string(),
  hash: z.string(),
  mac: ledgerEntrySchema.shape.mac,
};

/** An erasure in the chain. */
export const erasureEntrySchema = z.object({ ...chainPosition, event: erasureRecordSchema });
export type ErasureEntry = z.infer<typeof erasureEntrySchema>;

/** The operator's acceptance of history as found, in the chain. */
export const historyAcceptanceEntrySchema = z.object({ ...chainPosition, event: historyAcceptanceRecordSchema });
export type HistoryAcceptanceEntry = z.infer<typeof historyAcceptanceEntrySchema>;

/**
 * A record whose personal data was erased: its public part only (purposes,
 * text, times), the sealed bytes nobody can open any more, and the erasure.
 */
export const erasedEntrySchema = z.object({
  ...chainPosition,
  event: z.looseObject({ id: z.string(), method: z.string() }),
  sealed: z.string(),
  erased: z.object({ seq: z.number(), at: z.string(), reason: z.enum(ERASURE_REASONS) }),
});
export type ErasedEntry = z.infer<typeof erasedEntrySchema>;

/** Every entry of the chain as the store reads it: a record, an erasure, an erased record, or an acceptance of history. */
export const chainEntrySchema = z.union([
  ledgerEntrySchema,
  erasureEntrySchema,
  erasedEntrySchema,
  historyAcceptanceEntrySchema,
]);
export type ChainEntry = LedgerEntry | ErasureEntry | ErasedEntry | HistoryAcceptanceEntry;

/** Anything the ledger stores: a customer's record, or one of its own (an erasure, an acceptance of history). */
export type StoredRecord = LedgerRecord | ErasureRecord | HistoryAcceptanceRecord;

/** The ledger's own records: about the ledger, not a customer, and with no personal data to seal. */
export const isLedgerOwnRecord = (record: StoredRecord): record is ErasureRecord | HistoryAcceptanceRecord =>
  record.method === 'erasure' || record.method === 'history-accepted';

export const isErasure = (entry: ChainEntry): entry is ErasureEntry => entry.event.method === 'erasure';
export const isHistoryAcceptance = (entry: ChainEntry): entry is HistoryAcceptanceEntry =>
  entry.event.method === 'history-accepted';
export const isErased = (entry: ChainEntry): entry is ErasedEntry => 'erased' in entry;
/** A customer's record the status and proof read: not one of the ledger's own, not erased. */
export const isRecord = (entry: ChainEntry): entry is LedgerEntry =>
  !isErased(entry) && !isLedgerOwnRecord(entry.event as StoredRecord);

/**
 * Where one purpose stands for one customer: `granted` while at least one of
 * their addresses is granted (see `addresses`), `withdrawn` when a
 * withdrawal reached them and no newer grant, `never` otherwise.
 */
/**
 * Where the double opt-in of one address stands: `pending` (mail sent or on
 * its way, not yet clicked), `lapsed` (not confirmed in time: never in an
 * audience), `confirmed` (the owner clicked).
 */
export const confirmationStatusSchema = z.object({
  state: z.enum(['pending', 'confirmed', 'lapsed']),
  /** The grant waiting for (or given) confirmation. */
  grantId: z.string(),
  /** When a pending confirmation lapses. */
  lapsesAt: z.optional(z.string()),
  /** When the owner clicked the link, or replied to the SMS. */
  confirmedAt: z.optional(z.string()),
  /** How the owner confirmed: the link in the mail, or a reply to the SMS. */
  confirmedBy: z.optional(z.enum(['mail-link', 'sms-reply'])),
  /**
   * Every confirmation message to this address since the grant (a mail, or
   * an SMS for a phone number): when, and how it went.
   */
  mails: z.array(
    z.object({
      at: z.string(),
      outcome: z.enum(['sent', 'failed']),
      /** The SMTP server's Message-ID, or the SMSC's message ids of an SMS's parts (space-separated). */
      messageId: z.optional(z.string()),
      smtpReply: z.optional(z.string()),
      /** Set for an SMS. */
      channel: z.optional(z.literal('sms')),
      smscError: z.optional(z.string()),
    }),
  ),
});
export type ConfirmationStatus = z.infer<typeof confirmationStatusSchema>;

export const purposeStatusSchema = z.object({
  purpose: z.string(),
  /**
   * `pending`: granted online, waiting for the double opt-in click; not in
   * the audience. `erased`: the customer's personal data was erased.
   */
  state: z.enum(['granted', 'pending', 'withdrawn', 'never', 'erased']),
  /** When the deciding record reached the ledger. */
  since: z.optional(z.string()),
  method: z.optional(
    z.enum(['online-booking', 'staff', 'unsubscribe-link', 'suppression', 'import', 'front-desk', 'sms-reply']),
  ),
  textVersion: z.optional(z.string()),
  locale: z.optional(z.string()),
  staff: z.optional(z.object({ name: z.string(), evidence: z.optional(z.string()) })),
  /** For a decision brought from other software: that software, and when it reached this ledger (`since` is when the customer decided). */
  imported: z.optional(z.object({ source: z.string(), at: z.string(), evidence: z.optional(z.string()) })),
  /** For a consent signed at the front desk: the salon's device it was given on. */
  device: z.optional(z.string()),
  /** For a withdrawal a newsletter tool reported: what it was, and the tool. */
  suppression: z.optional(z.object({ kind: z.enum(SUPPRESSION_KINDS), source: z.string() })),
  /**
   * How strong the proof is: `single` (ticked online), `confirmed` (ticked
   * online, then confirmed by the address's owner: double opt-in),
   * `signed` (ticked and signed by the customer at the front desk),
   * `staff-evidence` (entered by staff with evidence), `imported` (brought
   * from other software with its evidence), `none`.
   */
  optInLevel: z.enum(['single', 'confirmed', 'signed', 'staff-evidence', 'imported', 'none']),
  flags: z.array(z.string()),
  seq: z.optional(z.number()),
  eventId: z.optional(z.string()),
  /**
   * Each of the customer's addresses for this purpose (e-mail addresses for
   * the e-mail newsletter, phone numbers in E.164 for SMS) and where it
   * stands: exactly the `granted` ones are in the campaign audience.
   */
  addresses: z.array(
    z.object({
      address: z.string(),
      state: z.enum(['granted', 'pending', 'withdrawn', 'never']),
      since: z.optional(z.string()),
      seq: z.optional(z.number()),
      /** For purposes with double opt-in, once an online grant named this address. */
      confirmation: z.optional(confirmationStatusSchema),
    }),
  ),
});
export type PurposeStatus = z.infer<typeof purposeStatusSchema>;

export const subjectStatusSchema = z.object({
  subject: consentSubjectSchema,
  /** Every identifier linked to this customer by the records (compared forms: lower-case e-mail, E.164 phone). */
  linked: z.object({ customerIds: z.array(z.string()), emails: z.array(z.string()), phones: z.array(z.string()) }),
  purposes: z.array(purposeStatusSchema),
  /**
   * Set when nothing is on record for these identifiers because their
   * personal data was erased: when, why, and the erasure's place in the chain.
   * A customer who signs up again after an erasure starts a new history, and
   * their status is that history's.
   */
  erasure: z.optional(z.object({ at: z.string(), seq: z.number(), reason: z.enum(ERASURE_REASONS) })),
});
export type SubjectStatus = z.infer<typeof subjectStatusSchema>;

/** Who a campaign for one purpose may reach, and how many are left out. */
export const audienceSchema = z.object({
  purpose: z.string(),
  recipients: z.array(
    z.object({
      address: z.string(),
      subject: consentSubjectSchema,
      since: z.string(),
      method: z.string(),
      flags: z.array(z.string()),
    }),
  ),
  leftOut: z.object({
    /** Their latest record for the purpose is a withdrawal. */
    withdrawn: z.number(),
    /** Granted online, the double opt-in not (yet) confirmed, lapsed ones included. */
    unconfirmed: z.number(),
    /** Known to the ledger for other purposes only. */
    neverGranted: z.number(),
    /** Granted, but the newsletter tool reported a hard bounce since: the address does not reach them. */
    bounced: z.number(),
    /** Granted only by an import, left out because the audience was asked without imported consents. */
    imported: z.number(),
  }),
});
export type Audience = z.infer<typeof audienceSchema>;

/** Who joined and who left a purpose's audience in a span of the chain (GET /v1/staff/audience/changes). */
export const audienceChangesSchema = z.object({
  purpose: z.string(),
  /** The cursor asked from: changes of the entries after it. */
  after: z.number(),
  /** The cursor for the next page (the last entry read). */
  next: z.number(),
  /** True when no entry after `next` was left for another page. */
  complete: z.boolean(),
  /** In chain order. An erasure leaves without an address: the address is gone from the ledger. */
  changes: z.array(
    z.object({
      seq: z.number(),
      change: z.enum(['joined', 'left']),
      address: z.optional(z.string()),
      reason: z.optional(z.literal('erased')),
    }),
  ),
});
export type AudienceChanges = z.infer<typeof audienceChangesSchema>;

/** The salon's webhook endpoints as staff see them (GET /v1/staff/webhooks). */
export const webhookStatusSchema = z.object({
  endpoints: z.array(
    z.object({
      /** Names the endpoint in a replay. */
      id: z.string(),
      /** Its URL, the query left out (it may hold a key). */
      url: z.string(),
      /** Every event of the entries up to this seq is acknowledged. */
      deliveredThrough: z.number(),
      /** Entries after it, and lapses due, not yet acknowledged. */
      backlog: z.number(),
      delivered: z.number(),
      lastDeliveredAt: z.optional(z.string()),
      /** While an event keeps failing: since when, how often, the last error, and the next attempt. */
      failing: z.optional(
        z.object({
          since: z.string(),
          attempts: z.number(),
          lastError: z.string(),
          nextAttemptAt: z.string(),
          eventId: z.string(),
        }),
      ),
    }),
  ),
});

/** Staff ask for an endpoint's events again from an entry on (POST /v1/staff/webhooks/replay). */
export const webhookReplayRequestSchema = z.object({
  endpoint: z.string().check(z.regex(/^[0-9a-f]{16}$/, 'endpoint must be an id from GET /v1/staff/webhooks')),
  fromSeq: z.number().check(z.int(), z.minimum(1)),
});

/**
 * The `data` of a webhook event (a CloudEvent whose `type` is
 * `marketing-consent.decision.<change>`): what a newsletter tool needs to
 * keep its list in step with the ledger.
 */
export const consentWebhookDataSchema = z.object({
  /** The salon: its id on a platform, and its name. */
  salon: z.object({ id: z.optional(z.string()), name: z.string() }),
  purpose: z.string(),
  /** The e-mail address, or the phone number in E.164. */
  address: z.string(),
  /** The chain entry that made the change (a lapse names its sign-up's entry, an erasure its own). */
  seq: z.number(),
  /** How the deciding record came (online-booking, staff, unsubscribe-link, suppression, double-opt-in). */
  method: z.optional(z.string()),
  /** For `.pending`: when the sign-up lapses unless confirmed. */
  lapsesAt: z.optional(z.string()),
  /** For `.erased`: why (customer-request, unconfirmed-sign-up, retention-period, other). */
  reason: z.optional(z.enum(ERASURE_REASONS)),
});
export type ConsentWebhookData = z.infer<typeof consentWebhookDataSchema>;
