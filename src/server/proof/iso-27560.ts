/**
 * A customer's consent records in the current standard: ISO/IEC TS
 * 27560:2023, in JSON-LD with the W3C Data Privacy Vocabulary (DPV 2), as
 * its "DPV profile for ISO/IEC TS 27560" (w3id.org/dpv/guides/consent-27560)
 * lays it out. One record per purpose; its events (`dpv:hasConsentStatus`)
 * are the ledger's acts for that purpose, oldest first, each with when, by
 * whom and how it was indicated, and a lapsed double opt-in as an expiry.
 * The README ("Receipts") maps each field.
 *
 * Every term is written with its prefix and every IRI value as `{ "@id" }`,
 * so the record means the same to a JSON-LD processor with only the prefixes
 * below as to a reader: nothing depends on fetching DPV's own context.
 */
import type { ConsentSubject } from '../../contract/consent-event.js';
import type { PurposeStatus, SubjectStatus } from '../../contract/ledger-records.js';
import { purposeLabel, uiStringsFor } from '../../legal-text/ui-strings.js';
import { addressField } from '../consent/addresses.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import type { Controller } from './proof.js';

export const ISO_27560_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  pd: 'https://w3id.org/dpv/pd#',
  loc: 'https://w3id.org/dpv/loc#',
  dct: 'http://purl.org/dc/terms/',
  schema: 'https://schema.org/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** What the DPV profile names the record's conformance by. */
const PROFILE = 'https://w3id.org/dpv/schema/dpv-27560#record';

type Node = { [key: string]: unknown };
const iri = (id: string) => ({ '@id': id });
const dateTime = (iso: string) => ({ '@value': iso, '@type': 'xsd:dateTime' });

/** The personal data each purpose writes to. */
const PERSONAL_DATA: Record<string, string> = {
  'email-newsletter': 'pd:EmailAddress',
  'sms-newsletter': 'pd:TelephoneNumber',
};
// Records are for auditors and machines: purposes are titled in English, as in the Kantara receipts.
const PURPOSE_TITLES = uiStringsFor('en').purposeLabels;

type Status = 'dpv:ConsentGiven' | 'dpv:ConsentRequested' | 'dpv:ConsentWithdrawn' | 'dpv:ConsentExpired';

/** One event of a record: a state the consent entered, when, by whom, how. */
function event(status: Status, at: string, indicatedBy: Node, method: string, id?: string): Node {
  return {
    '@type': status,
    'dpv:isIndicatedAtTime': dateTime(at),
    'dpv:isIndicatedBy': indicatedBy,
    'dpv:hasIndicationMethod': method,
    ...(id ? { 'dct:identifier': id } : {}),
  };
}

const dataSubject = iri('dpv:DataSubject');

/** The withdrawal event of a record that withdrew the purpose, described so; none for a record that did not. */
function withdrawal(entry: LedgerEntry, purpose: string, description: string): Node[] {
  const withdrew = entry.event.purposes.some((p) => p.purpose === purpose && !p.granted);
  return withdrew ? [event('dpv:ConsentWithdrawn', entry.receivedAt, dataSubject, description, entry.event.id)] : [];
}

/** The events an act is for a purpose (none where it decides nothing about it). */
function eventsOf(entry: LedgerEntry, purpose: string, requested: ReadonlySet<string>): Node[] {
  const record = entry.event;
  const at = entry.receivedAt;
  switch (record.method) {
    case 'online-booking': {
      const decision = record.purposes.find((p) => p.purpose === purpose);
      if (!decision?.granted) return [];
      return requested.has(record.id)
        ? [
            event(
              'dpv:ConsentRequested',
              at,
              dataSubject,
              'Ticked an unticked box on the booking page; counts once the address owner confirms (double opt-in)',
              record.id,
            ),
          ]
        : [event('dpv:ConsentGiven', at, dataSubject, 'Ticked an unticked box on the booking page', record.id)];
    }
    case 'double-opt-in':
      return record.purpose === purpose
        ? [
            event(
              'dpv:ConsentGiven',
              at,
              dataSubject,
              record.reply
                ? `Replied "${record.reply.text}" to the confirmation SMS from ${record.reply.from}`
                : 'Clicked the link in the confirmation mail',
              record.id,
            ),
          ]
        : [];
    case 'sms-reply':
      return withdrawal(entry, purpose, `Replied "${record.reply.text}" by SMS from ${record.reply.from}`);
    case 'staff': {
      const decision = record.purposes.find((p) => p.purpose === purpose);
      if (!decision) return [];
      const staff = `recorded by staff (${record.staff.name})${record.staff.evidence ? `, evidence: ${record.staff.evidence}` : ''}`;
      return [
        decision.granted
          ? event('dpv:ConsentGiven', at, dataSubject, `Given in the salon, ${staff}`, record.id)
          : event('dpv:ConsentWithdrawn', at, dataSubject, `Withdrawn through the salon, ${staff}`, record.id),
      ];
    }
    case 'unsubscribe-link':
      return withdrawal(entry, purpose, 'Used the unsubscribe link in a message');
    case 'front-desk':
      return record.purposes.some((p) => p.purpose === purpose && p.granted)
        ? [
            event(
              'dpv:ConsentGiven',
              at,
              dataSubject,
              `Ticked and signed (${record.signature.kind === 'drawn' ? 'drawn signature' : 'name typed by the customer'}) on the salon's device "${record.device}" at the front desk, staff present: ${record.staff.name}`,
              record.id,
            ),
          ]
        : [];
    case 'import': {
      const decision = record.purposes.find((p) => p.purpose === purpose);
      if (!decision) return [];
      const how = `brought from ${record.import.source} on ${at}${record.import.evidence ? `, evidence: ${record.import.evidence}` : ''}`;
      // The customer decided when the other software says, not when the import ran.
      return [
        decision.granted
          ? event(
              'dpv:ConsentGiven',
              record.import.occurredAt,
              dataSubject,
              `Given before this ledger, ${how}`,
              record.id,
            )
          : event(
              'dpv:ConsentWithdrawn',
              record.import.occurredAt,
              dataSubject,
              `Withdrawn before this ledger, ${how}`,
              record.id,
            ),
      ];
    }
    case 'suppression':
      return withdrawal(
        entry,
        purpose,
        `${record.suppression.kind === 'complaint' ? 'Complained about a message' : 'Unsubscribed'} in the salon's newsletter tool (${record.suppression.source}) at ${record.suppression.occurredAt}`,
      );
    default:
      return []; // Confirmation mails and SMS are evidence of the request, not acts of the customer.
  }
}

/**
 * The ISO/IEC TS 27560 records of one customer: a record per purpose with
 * any act, its events from `history` (the proof's records, oldest first),
 * and the lapse the ledger's `status` reports for a sign-up never confirmed.
 */
export function iso27560Records(parts: {
  subject: ConsentSubject;
  history: readonly LedgerEntry[];
  controller: Controller;
  status: Pick<SubjectStatus, 'purposes'>;
}): Node[] {
  const { history, controller, status } = parts;
  // Online grants that waited for their address owner's confirmation: a mail or a click names them, or the status does.
  const requested = new Set<string>();
  for (const { event: record } of history) {
    if (record.method === 'confirmation-mail' || record.method === 'double-opt-in') requested.add(record.grantId);
    if (record.method === 'confirmation-sms' && record.grantId) requested.add(record.grantId);
  }
  const confirmationsOf = (p: PurposeStatus) =>
    p.addresses.flatMap((address) => (address.confirmation ? [address.confirmation] : []));
  for (const confirmation of status.purposes.flatMap(confirmationsOf)) requested.add(confirmation.grantId);

  const purposes = [...new Set(history.flatMap(({ event: record }) => record.purposes.map((p) => p.purpose)))];
  return purposes.flatMap((purpose) => {
    const acts = history.flatMap((entry) => eventsOf(entry, purpose, requested).map((e) => ({ entry, e })));
    if (acts.length === 0) return [];
    const events = acts.map(({ e, entry }) => ({ at: entry.receivedAt, e }));
    // A sign-up never confirmed lapses: an event of its own, in its place in time.
    for (const { state, lapsesAt } of status.purposes.filter((p) => p.purpose === purpose).flatMap(confirmationsOf)) {
      if (state !== 'lapsed' || !lapsesAt) continue;
      const lapse = event(
        'dpv:ConsentExpired',
        lapsesAt,
        iri('dpv:DataController'),
        'The sign-up was not confirmed in time (double opt-in)',
      );
      const later = events.findIndex(({ at }) => at > lapsesAt);
      events.splice(later < 0 ? events.length : later, 0, { at: lapsesAt, e: lapse });
    }
    const first = acts[0]!.entry.event;
    // The text the customer last saw for this purpose, online or at the front desk (staff entries show none).
    const online = acts
      .map(({ entry }) => entry.event)
      .findLast((record) => record.method === 'online-booking' || record.method === 'front-desk');
    const shown = online?.method === 'online-booking' || online?.method === 'front-desk' ? online.notice : undefined;
    // The customer by the address this purpose writes to, as the latest act names it.
    const named = { ...parts.subject, ...acts.at(-1)!.entry.event.subject };
    const address = named[addressField(purpose)];
    return [
      {
        '@context': ISO_27560_CONTEXT,
        '@id': `urn:uuid:${first.id}`,
        '@type': 'dpv:ConsentRecord',
        'dct:identifier': first.id,
        'dct:conformsTo': iri(PROFILE),
        'dpv:hasDataSubject': {
          '@type': 'dpv:Customer',
          'dct:identifier': address ?? named.email ?? named.phone ?? named.customerId ?? '',
        },
        'dpv:hasDataController': {
          '@type': ['dpv:DataController', 'dpv:Organisation'],
          'dpv:hasName': controller.name,
          ...(controller.address ? { 'schema:address': controller.address } : {}),
          ...(controller.email ? { 'schema:email': controller.email } : {}),
          ...(controller.phone ? { 'schema:telephone': controller.phone } : {}),
        },
        ...(controller.jurisdiction ? { 'dpv:hasJurisdiction': iri(`loc:${controller.jurisdiction}`) } : {}),
        ...(shown ? { 'dct:language': shown.locale } : {}),
        'dpv:hasProcess': {
          '@type': 'dpv:Process',
          'dpv:hasPurpose': { '@type': 'dpv:DirectMarketing', 'dct:title': purposeLabel(PURPOSE_TITLES, purpose) },
          ...(PERSONAL_DATA[purpose] ? { 'dpv:hasPersonalData': iri(PERSONAL_DATA[purpose]) } : {}),
          'dpv:hasLegalBasis': iri('dpv:ExplicitlyExpressedConsent'),
          ...(shown
            ? {
                'dpv:hasNotice': {
                  '@type': 'dpv:ConsentNotice',
                  'dct:identifier': shown.textVersion,
                  'dct:language': shown.locale,
                  'dct:description': shown.text,
                },
              }
            : {}),
          'dpv:hasConsentControl': {
            '@type': 'dpv:WithdrawConsent',
            'dct:description': 'The unsubscribe link in every message, or a word to the salon',
          },
        },
        'dpv:hasConsentStatus': events.map(({ e }) => e),
      },
    ];
  });
}
