/**
 * The proof for one subject: every record with the exact text shown, as JSON
 * for machines and as an HTML page that prints well, for the salon's lawyer.
 * Each record is also mapped onto the Kantara Initiative Consent Receipt
 * v1.1 fields, which auditors know.
 */
import { html, raw } from 'hono/html';
import type { ConsentSubject } from '../contract/consent-event.js';
import { RECORD_FLAGS, type LedgerRecord, type RecordFlag } from '../contract/ledger-records.js';
import { parseLegalMarkup } from '../legal-text/legal-markup.js';
import type { LedgerEntry } from './ledger-store.js';
import { renderPage, styledPage } from './html-page.js';

/** Who is responsible for the data: the salon. Shown on proofs and in receipts. */
export interface Controller {
  name: string;
  address?: string;
  email?: string;
  phone?: string;
  /** Where the law applies, e.g. "CH" or "DE". */
  jurisdiction?: string;
}

export interface Proof {
  subject: ConsentSubject;
  controller: Controller;
  generatedAt: string;
  /** Whether the whole ledger's hash chain held when the proof was made. */
  chainIntact: boolean;
  records: (LedgerEntry & { kantara: KantaraReceipt })[];
}

/** The Kantara Consent Receipt v1.1 fields a record maps onto. */
export interface KantaraReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: string | undefined;
  piiPrincipalId: string;
  piiControllers: { piiController: string; contact: string; address: string; email: string; phone: string }[];
  policyUrl: string | undefined;
  services: {
    service: string;
    purposes: {
      purpose: string;
      purposeCategory: string[];
      consentType: 'EXPLICIT';
      piiCategory: string[];
      primaryPurpose: boolean;
      termination: string;
      thirdPartyDisclosure: boolean;
      granted: boolean;
    }[];
  }[];
  sensitive: boolean;
  spiCat: string[];
}

const METHOD_NAMES: Record<LedgerRecord['method'], string> = {
  'online-booking': 'ticked by the customer in the online booking',
  staff: 'entered by staff',
  'unsubscribe-link': 'unsubscribe link in a message, used by the customer',
};

function lastLink(text: string): string | undefined {
  return parseLegalMarkup(text)
    .filter((segment) => segment.kind === 'link')
    .at(-1)?.href;
}

export function kantaraReceipt(entry: LedgerEntry, controller: Controller): KantaraReceipt {
  const record = entry.event;
  const notice = record.method === 'online-booking' ? record.notice : undefined;
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: controller.jurisdiction ?? '',
    consentTimestamp: Math.floor(Date.parse(entry.receivedAt) / 1000),
    collectionMethod: METHOD_NAMES[record.method],
    consentReceiptID: record.id,
    language: notice?.locale,
    piiPrincipalId: record.subject.email ?? record.subject.phone ?? record.subject.customerId ?? '',
    piiControllers: [
      {
        piiController: controller.name,
        contact: controller.name,
        address: controller.address ?? '',
        email: controller.email ?? '',
        phone: controller.phone ?? '',
      },
    ],
    policyUrl: notice ? lastLink(notice.text) : undefined,
    services: [
      {
        service: 'Newsletter',
        purposes: record.purposes.map((decision) => ({
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

export function buildProof(
  subject: ConsentSubject,
  history: readonly LedgerEntry[],
  controller: Controller,
  chainIntact: boolean,
): Proof {
  return {
    subject,
    controller,
    generatedAt: new Date().toISOString(),
    chainIntact,
    records: history.map((entry) => ({ ...entry, kantara: kantaraReceipt(entry, controller) })),
  };
}

/** The text as shown, with each link's target written out, for paper. */
function printedText(markup: string) {
  return parseLegalMarkup(markup).map((segment) =>
    segment.kind === 'text' ? segment.text : html`<u>${segment.text}</u> (${segment.href})`,
  );
}

export const PROOF_PAGE = styledPage(`
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.meta, .note { color: #444; }
article { border: 1px solid #999; border-radius: 4px; padding: 0.75rem 1rem; margin: 1rem 0; break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
blockquote { white-space: pre-wrap; margin: 0.5rem 0; padding: 0.5rem 0.75rem; border-left: 3px solid #555; background: #f4f4f4; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
.flag { color: #8a0000; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
`);

export function renderProofPage(proof: Proof) {
  const who = [proof.subject.email, proof.subject.phone, proof.subject.customerId].filter(Boolean).join(' · ');
  return renderPage(PROOF_PAGE, {
    lang: 'en',
    title: `Consent proof – ${who} – ${proof.controller.name}`,
    body: html`<h1>Proof of marketing consent</h1>
      <p class="meta">
        ${proof.controller.name}${proof.controller.address ? `, ${proof.controller.address}` : ''} · for
        <strong>${who}</strong> · made ${proof.generatedAt} · ledger hash chain
        ${proof.chainIntact ? 'verified intact' : raw('<span class="flag">BROKEN: see the ledger’s verify command</span>')}
      </p>
      <p class="note">
        Every record the consent ledger holds for this customer, oldest first. The latest record per purpose decides.
        Times are the ledger’s receive times (UTC). Each record’s hash covers the previous record’s hash, so an edit,
        deletion or reordering would break the chain.
      </p>
      ${proof.records.length === 0 ? html`<p>No records.</p>` : ''} ${proof.records.map((entry) => renderRecord(entry))}`,
  });
}

function renderRecord(entry: LedgerEntry) {
  const record = entry.event;
  const decisions = record.purposes.map((p) => `${p.purpose}: ${p.granted ? 'GRANTED' : 'WITHDRAWN'}`).join(', ');
  return html`<article>
    <h2>#${entry.seq} · ${decisions}</h2>
    <dl>
      <dt>Received</dt>
      <dd>
        ${entry.receivedAt}${record.method === 'online-booking' ? ` (customer’s clock: ${record.clientTime})` : ''}
      </dd>
      <dt>How</dt>
      <dd>${METHOD_NAMES[record.method]}</dd>
      <dt>Subject</dt>
      <dd>
        ${Object.entries(record.subject)
          .map(([key, value]) => `${key}: ${value}`)
          .join(', ')}
      </dd>
      ${
        record.method === 'staff'
          ? html`<dt>Staff</dt>
              <dd>${record.staff.name}</dd>
              ${
                record.staff.evidence
                  ? html`<dt>Evidence</dt>
                      <dd>${record.staff.evidence}</dd>`
                  : ''
              }
              ${
                record.reason
                  ? html`<dt>Reason</dt>
                      <dd>${record.reason}</dd>`
                  : ''
              }`
          : ''
      }
      ${
        record.method === 'online-booking'
          ? html`<dt>Page</dt>
              <dd>${record.source.pageUrl} (${record.source.widget.name} ${record.source.widget.version})</dd>
              ${
                record.bookingRef
                  ? html`<dt>Booking</dt>
                      <dd>${record.bookingRef}</dd>`
                  : ''
              }
              <dt>Text</dt>
              <dd>
                version ${record.notice.textVersion}, language ${record.notice.locale}, SHA-256
                <code>${record.notice.sha256}</code>
              </dd>`
          : ''
      }
      ${
        entry.flags.length
          ? html`<dt>Flags</dt>
              <dd class="flag">${entry.flags.map((flag: RecordFlag) => RECORD_FLAGS[flag]).join('; ')}</dd>`
          : ''
      }
      <dt>Record id</dt>
      <dd><code>${record.id}</code></dd>
      <dt>Entry hash</dt>
      <dd><code>${entry.hash}</code></dd>
    </dl>
    ${
      record.method === 'online-booking'
        ? html`<p><strong>Exactly this text was shown next to the box:</strong></p>
            <blockquote>${printedText(record.notice.text)}</blockquote>`
        : ''
    }
  </article>`;
}
