/**
 * The proof for one customer: every record with the exact text shown, as
 * JSON for machines and as an HTML page that prints well, for the salon's
 * lawyer, in the salon's language. Each record is also mapped onto the
 * Kantara Initiative Consent Receipt v1.1 (its JSON Schema is checked in the
 * tests), which auditors know.
 */
import { html } from 'hono/html';
import type { ConsentSubject } from '../../contract/consent-event.js';
import type { LedgerRecord, SubjectStatus } from '../../contract/ledger-records.js';
import { decidedAt } from '../../contract/decision-time.js';
import { parseLegalMarkup } from '../../legal-text/legal-markup.js';
import { RECORD_FLAG_NAMES } from '../../legal-text/record-flag-names.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import { renderPage, styledPage } from '../pages/html-page.js';
import { iso27560Records } from './iso-27560.js';
import { proofStringsFor, type ProofStrings } from './proof-strings.js';
import { suppressionWords } from '../../legal-text/suppression-kind-names.js';

/** Who is responsible for the data: the salon. Shown on proofs and in receipts. */
export interface Controller {
  name: string;
  address?: string;
  email?: string;
  phone?: string;
  /** Where the law applies, e.g. "CH" or "DE". */
  jurisdiction?: string;
  /** The salon's language (de, fr, it, en): the ledger's pages and proofs use it. */
  locale?: string;
  /** The salon's privacy notice, for receipts of records that carry none (staff entries). */
  privacyUrl?: string;
}

export interface Proof {
  subject: ConsentSubject;
  controller: Controller;
  generatedAt: string;
  /** Whether the ledger's hash chain (and its signed checkpoints) held when the proof was made. */
  chainIntact: boolean;
  /** The ledger's latest signed checkpoint (C2SP signed note), covering every record below. */
  checkpoint?: string;
  /**
   * Every record, oldest first; consent acts (grants, withdrawals, double
   * opt-in confirmations) with their Kantara receipt. Confirmation mails are
   * evidence, not acts, and have none.
   */
  records: (LedgerEntry & { kantara?: KantaraReceipt })[];
  /** Set when the customer's personal data was erased: nothing is left to show but that. */
  erasure?: SubjectStatus['erasure'];
  /** The same acts as ISO/IEC TS 27560 consent records, one per purpose, in JSON-LD with DPV terms (see iso-27560.ts). */
  consentRecords: ReturnType<typeof iso27560Records>;
}

/** A Kantara Consent Receipt v1.1 (KI-CR-v1.1.0). */
export interface KantaraReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language?: string;
  piiPrincipalId: string;
  piiControllers: {
    piiController: string;
    contact: string;
    /** The schema wants an object: a postal address in schema.org's PostalAddress terms. */
    address: { streetAddress?: string; addressCountry?: string };
    email: string;
    phone: string;
  }[];
  policyUrl: string;
  services: {
    service: string;
    purposes: {
      purpose: string;
      purposeCategory: string[];
      consentType: 'EXPLICIT';
      piiCategory: string[];
      primaryPurpose: boolean;
      termination: string;
      thirdPartyDisclosure: false;
      granted: boolean;
    }[];
  }[];
  sensitive: false;
  spiCat: string[];
}

// Receipts are for auditors and machines: their wording stays English.
const RECEIPT_METHODS: Record<LedgerRecord['method'], string> = proofStringsFor('en').methods;

function lastLink(text: string): string | undefined {
  return parseLegalMarkup(text)
    .filter((segment) => segment.kind === 'link')
    .at(-1)?.href;
}

/**
 * The Kantara receipt of a consent act. A double opt-in confirmation is
 * described by the notice of the grant it confirms (`confirmedGrant`).
 */
export function kantaraReceipt(
  entry: LedgerEntry,
  controller: Controller,
  confirmedGrant?: LedgerEntry,
): KantaraReceipt | undefined {
  const record = entry.event;
  if (record.method === 'confirmation-mail' || record.method === 'confirmation-sms') return undefined;
  const grant = confirmedGrant?.event;
  const notice =
    record.method === 'online-booking' || record.method === 'front-desk'
      ? record.notice
      : grant?.method === 'online-booking'
        ? grant.notice
        : undefined;
  // A confirmation is the consent act of double opt-in: the owner of the address granted it.
  const decisions = record.method === 'double-opt-in' ? [{ purpose: record.purpose, granted: true }] : record.purposes;
  // A hard bounce the newsletter tool reported is no consent act.
  if (decisions.length === 0) return undefined;
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: controller.jurisdiction ?? '',
    // An imported decision dates from when the customer made it.
    consentTimestamp: Math.floor(Date.parse(decidedAt(entry)) / 1000),
    collectionMethod: RECEIPT_METHODS[record.method],
    consentReceiptID: record.id,
    ...(notice ? { language: notice.locale } : {}),
    piiPrincipalId: record.subject.email ?? record.subject.phone ?? record.subject.customerId ?? '',
    piiControllers: [
      {
        piiController: controller.name,
        contact: controller.name,
        address: {
          ...(controller.address ? { streetAddress: controller.address } : {}),
          ...(controller.jurisdiction ? { addressCountry: controller.jurisdiction } : {}),
        },
        email: controller.email ?? '',
        phone: controller.phone ?? '',
      },
    ],
    // The notice the customer saw links the privacy notice last; else the salon's configured one.
    policyUrl: (notice ? lastLink(notice.text) : undefined) ?? controller.privacyUrl ?? '',
    services: [
      {
        service: 'Newsletter',
        purposes: decisions.map((decision) => ({
          purpose: decision.purpose,
          purposeCategory: ['Marketing'],
          consentType: 'EXPLICIT',
          piiCategory: [decision.purpose === 'sms-newsletter' ? 'Phone number' : 'E-mail address'],
          primaryPurpose: false,
          termination: 'Until withdrawn by the customer',
          thirdPartyDisclosure: false,
          granted: decision.granted,
        })),
      },
    ],
    sensitive: false,
    spiCat: [],
  };
}

export function buildProof(parts: {
  subject: ConsentSubject;
  history: readonly LedgerEntry[];
  controller: Controller;
  chainIntact: boolean;
  checkpoint?: string | undefined;
  /** The ledger's status of the customer now: its erasure, and the lapses of sign-ups never confirmed. */
  status: Pick<SubjectStatus, 'purposes' | 'erasure'>;
}): Proof {
  const erasure = parts.status.erasure;
  return {
    subject: parts.subject,
    ...(erasure ? { erasure } : {}),
    controller: parts.controller,
    generatedAt: new Date().toISOString(),
    chainIntact: parts.chainIntact,
    ...(parts.checkpoint ? { checkpoint: parts.checkpoint } : {}),
    records: parts.history.map((entry) => {
      const record = entry.event;
      const grant =
        record.method === 'double-opt-in' ? parts.history.find((e) => e.event.id === record.grantId) : undefined;
      const kantara = kantaraReceipt(entry, parts.controller, grant);
      return kantara ? { ...entry, kantara } : entry;
    }),
    consentRecords: iso27560Records(parts),
  };
}

/** The text as shown, with each link's target written out, for paper. */
function printedText(markup: string) {
  return parseLegalMarkup(markup).map((segment) =>
    segment.kind === 'text' ? segment.text : html`<u>${segment.text}</u> (${segment.href})`,
  );
}

export const PROOF_PAGE = styledPage(
  `
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.meta, .note { color: #444; }
article { border: 1px solid #999; border-radius: 4px; padding: 0.75rem 1rem; margin: 1rem 0; break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.8em; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.4rem; } }
blockquote { white-space: pre-wrap; margin: 0.5rem 0; padding: 0.5rem 0.75rem; border-left: 3px solid #555; background: #f4f4f4; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
.flag { color: #8a0000; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
.signature { display: block; max-width: min(100%, 24rem); height: auto; border: 1px solid #999; background: #fff; }
`,
  { dataImages: true },
);

export function renderProofPage(proof: Proof) {
  const t = proofStringsFor(proof.controller.locale);
  const who = [proof.subject.email, proof.subject.phone, proof.subject.customerId].filter(Boolean).join(' · ');
  const seqById = new Map(proof.records.map((entry) => [entry.event.id, entry.seq]));
  return renderPage(PROOF_PAGE, {
    lang: t.lang,
    title: `${t.title} – ${who} – ${proof.controller.name}`,
    body: html`<h1>${t.title}</h1>
      <p class="meta">
        ${proof.controller.name}${proof.controller.address ? `, ${proof.controller.address}` : ''} · ${t.forCustomer}
        <strong>${who}</strong> · ${t.made} ${proof.generatedAt} ·
        ${proof.chainIntact ? t.chainIntact : html`<span class="flag">${t.chainBroken}</span>`}
      </p>
      <p class="note">${t.intro}</p>
      ${
        proof.erasure
          ? html`<p class="flag">
              ${t.erased(proof.erasure.at, proof.erasure.seq, t.erasureReasons[proof.erasure.reason])}
            </p>`
          : proof.records.length === 0
            ? html`<p>${t.noRecords}</p>`
            : ''
      }
      ${
        proof.records.length > 0
          ? html`<h2>${t.records}</h2>
              ${proof.records.map((entry) => renderRecord(entry, t, seqById))}`
          : ''
      }
      ${
        proof.checkpoint
          ? html`<h2>${t.checkpoint}</h2>
              <pre>${proof.checkpoint}</pre>`
          : ''
      }`,
  });
}

/** One term and its value in a record's list; nothing when there is no value. */
const fact = (term: string, value: unknown) =>
  value === undefined || value === ''
    ? ''
    : html`<dt>${term}</dt>
        <dd>${value}</dd>`;

function renderRecord(entry: LedgerEntry, t: ProofStrings, seqById: ReadonlyMap<string, number>) {
  const record = entry.event;
  const d = t.doubleOptIn;
  /** Another record of this proof, by its place in the chain and its id. */
  const recordRef = (id: string) => `${seqById.has(id) ? `#${seqById.get(id)} ` : ''}(${id})`;
  const decisions =
    record.method === 'confirmation-mail'
      ? `${t.purposeName(record.purpose)}: ${record.outcome === 'sent' ? d.mailSent : d.mailFailed}`
      : record.method === 'confirmation-sms'
        ? `${t.purposeName(record.purpose)}: ${
            record.kind === 'stop'
              ? record.outcome === 'sent'
                ? d.stopNoticeSent
                : d.stopNoticeFailed
              : record.outcome === 'sent'
                ? d.smsSent
                : d.smsFailed
          }`
        : record.method === 'sms-reply' && record.purposes.length === 0
          ? d.smsReply
          : record.method === 'sms-receipt'
            ? `${t.purposeName(record.purpose)}: ${record.state === 'DELIVRD' ? d.delivered : d.notDelivered(record.state)}`
            : record.method === 'double-opt-in'
              ? `${t.purposeName(record.purpose)}: ${d.confirmed}`
              : record.method === 'suppression' && record.suppression.kind === 'hard-bounce'
                ? record.suppression.purposes.map((purpose) => t.purposeName(purpose)).join(', ')
                : record.purposes
                    .map((p) => `${t.purposeName(p.purpose)}: ${p.granted ? t.granted : t.withdrawn}`)
                    .join(', ');
  const flagNames = RECORD_FLAG_NAMES[t.lang];
  const subject = Object.entries(record.subject)
    .map(([key, value]) => `${t.identifiers[key as keyof ConsentSubject] ?? key}: ${value}`)
    .join(', ');
  const received = `${entry.receivedAt}${record.method === 'online-booking' ? ` (${t.customerClock}: ${record.clientTime})` : ''}`;
  return html`<article>
    <h3>#${entry.seq} · ${decisions}</h3>
    <dl>
      ${fact(t.received, received)}
      ${fact(t.how, record.method === 'double-opt-in' && record.reply ? `${d.viaSms} (double opt-in)` : t.methods[record.method])}
      ${fact(t.subject, subject)}
      ${
        record.method === 'staff'
          ? html`${fact(t.staff, record.staff.name)} ${fact(t.evidence, record.staff.evidence)}
            ${fact(t.reason, record.reason)}`
          : ''
      }
      ${
        record.method === 'import'
          ? html`${fact(t.decidedAt, record.import.occurredAt)} ${fact(t.importedFrom, record.import.source)}
            ${fact(t.evidence, record.import.evidence)} ${fact(t.staff, record.import.staffName)}`
          : ''
      }
      ${
        record.method === 'suppression'
          ? html`${fact(t.reported, `${suppressionWords(t.lang, record.suppression.kind, record.suppression.source)}, ${record.suppression.occurredAt}`)}
            ${fact(t.reference, record.suppression.reference)}`
          : ''
      }
      ${
        record.method === 'front-desk'
          ? html`${fact(t.staff, record.staff.name)} ${fact(t.device, record.device)}
            ${fact(
              t.text,
              html`${t.textLine(record.notice.textVersion, record.notice.locale)} <code>${record.notice.sha256}</code>`,
            )}
            ${fact(
              t.signature,
              record.signature.kind === 'typed'
                ? record.signature.name && t.typedName(record.signature.name)
                : record.signature.image &&
                    html`<img class="signature" src="${record.signature.image}" alt="${t.signatureImage}" />`,
            )}`
          : ''
      }
      ${
        record.method === 'online-booking'
          ? html`${fact(t.page, `${record.source.pageUrl} (${record.source.widget.name} ${record.source.widget.version})`)}
            ${fact(t.booking, record.bookingRef)}
            ${fact(
              t.text,
              html`${t.textLine(record.notice.textVersion, record.notice.locale)} <code>${record.notice.sha256}</code>`,
            )}`
          : ''
      }
      ${
        record.method === 'confirmation-mail'
          ? html`${fact(d.forGrant, recordRef(record.grantId))} ${fact(d.to, record.mail?.to)}
            ${fact(d.subject, record.mail?.subject)} ${fact(d.linkExpires, record.mail?.linkExpiresAt)}
            ${fact(d.messageId, record.messageId && html`<code>${record.messageId}</code>`)}
            ${fact(d.smtpReply, record.smtpReply)} ${fact(d.requestedBy, record.requestedBy?.name)}
            ${fact(d.signUpClientAddress, record.signUpClientAddress)}`
          : ''
      }
      ${
        record.method === 'confirmation-sms'
          ? html`${record.grantId ? fact(d.forGrant, recordRef(record.grantId)) : ''}
            ${record.replyId ? fact(d.answersStop, recordRef(record.replyId)) : ''} ${fact(d.from, record.sms?.from)}
            ${fact(d.to, record.sms?.to)}
            ${fact(d.messageIds, record.messageIds?.length ? html`<code>${record.messageIds.join(' ')}</code>` : '')}
            ${fact(d.smscError, record.smscError)} ${fact(d.requestedBy, record.requestedBy?.name)}`
          : ''
      }
      ${
        record.method === 'sms-receipt'
          ? html`${fact(d.receiptFor, recordRef(record.smsId))}
            ${fact(d.messageIds, html`<code>${record.messageId}</code>`)}
            ${fact(d.smscError, `${record.state}${record.error ? `, err ${record.error}` : ''}`)}`
          : ''
      }
      ${
        record.method === 'double-opt-in'
          ? html`${fact(d.forGrant, recordRef(record.grantId))}
            ${fact(record.reply ? d.viaSms : d.viaMail, recordRef(record.mailId))}
            ${fact(d.userAgent, record.userAgent)} ${fact(d.clientAddress, record.clientAddress)}`
          : ''
      }
      ${
        (record.method === 'double-opt-in' && record.reply) || record.method === 'sms-reply'
          ? html`${fact(d.from, record.reply?.from)} ${fact(d.to, record.reply?.to)}
            ${fact(d.replyText, record.reply?.text && html`<q>${record.reply.text}</q>`)}
            ${record.method === 'sms-reply' ? fact(d.readAs, d.reading[record.reading]) : ''}`
          : ''
      }
      ${
        entry.flags.length
          ? html`<dt>${t.flags}</dt>
              <dd class="flag">${entry.flags.map((flag) => flagNames[flag]).join('; ')}</dd>`
          : ''
      }
      ${fact(t.recordId, html`<code>${record.id}</code>`)} ${fact(t.entryHash, html`<code>${entry.hash}</code>`)}
    </dl>
    ${
      record.method === 'online-booking' || record.method === 'front-desk'
        ? html`<p><strong>${t.shownText}</strong></p>
            <blockquote lang="${record.notice.locale}">${printedText(record.notice.text)}</blockquote>`
        : ''
    }
    ${
      record.method === 'confirmation-mail' && record.mail
        ? html`<p><strong>${d.mailText}</strong> <code>${record.mail.sha256}</code></p>
            <blockquote lang="${record.mail.locale}">${record.mail.text}</blockquote>`
        : ''
    }
    ${
      record.method === 'confirmation-sms' && record.sms
        ? html`<p><strong>${d.smsText(record.sms.parts)}</strong></p>
            <blockquote lang="${record.sms.locale}">${record.sms.text}</blockquote>`
        : ''
    }
  </article>`;
}
