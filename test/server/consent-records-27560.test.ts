/**
 * The proof's ISO/IEC TS 27560 consent records, read as a JSON-LD processor
 * reads them (jsonld.js in safe mode: a term it cannot map is an error, not
 * a silent loss), offline: nothing is fetched to understand them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsonld from 'jsonld';
import { startMailbox } from '../../scripts/mailbox.mjs';
import { consentEvent, startLedger, type Ledger } from './ledger-fixture.js';

const DPV = 'https://w3id.org/dpv#';
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

type Expanded = Record<string, unknown>[];

/** Expands a record as any JSON-LD processor would, refusing to fetch a context and refusing lossy terms. */
async function expand(record: object): Promise<Expanded> {
  return (await jsonld.expand(
    record as jsonld.JsonLdDocument,
    {
      safe: true,
      documentLoader: (url: string) => Promise.reject(new Error(`the record needs ${url} to be understood`)),
    } as jsonld.Options.Expand,
  )) as Expanded;
}

/** Every predicate and class IRI in an expanded document (a literal's datatype is neither). */
function vocabulary(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) vocabulary(item, into);
  else if (node && typeof node === 'object' && !('@value' in node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '@type') for (const type of [value].flat()) into.add(String(type));
      else if (!key.startsWith('@')) into.add(key);
      vocabulary(value, into);
    }
  }
  return into;
}

/** The states a record's events entered, in order, as IRIs. */
const states = (record: Expanded) =>
  (record[0]![`${DPV}hasConsentStatus`] as { '@type': string[] }[]).map((event) => event['@type'][0]);

async function proofOf(ledger: Ledger, email: string) {
  const response = await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}&format=json`);
  assert.equal(response.status, 200);
  return (await response.json()) as { consentRecords: ({ 'dct:identifier': string } & Record<string, unknown>)[] };
}

describe('ISO/IEC TS 27560 consent records in the proof', () => {
  it('one record per purpose, its events in order, every term a DPV, Dublin Core or schema.org IRI', async () => {
    const ledger = await startLedger();
    try {
      const event = consentEvent({
        purposes: [
          { purpose: 'email-newsletter', granted: true },
          { purpose: 'sms-newsletter', granted: true },
        ],
      });
      const { email, phone } = event.subject;
      assert.equal((await ledger.post('/v1/consent-events', event)).status, 201);
      await ledger.staff(
        '/v1/staff/withdrawals',
        json({ subject: { email }, purposes: ['email-newsletter'], staffName: 'Lea' }),
      );
      const { consentRecords } = await proofOf(ledger, email!);
      assert.equal(consentRecords.length, 2);
      const [emailRecord, smsRecord] = await Promise.all(consentRecords.map(expand));
      assert.deepEqual(states(emailRecord!), [`${DPV}ConsentGiven`, `${DPV}ConsentWithdrawn`]);
      assert.deepEqual(states(smsRecord!), [`${DPV}ConsentGiven`]);

      const record = emailRecord![0]!;
      assert.deepEqual(record['@type'], [`${DPV}ConsentRecord`]);
      assert.equal(record['@id'], `urn:uuid:${event.id}`);
      const terms = vocabulary(emailRecord);
      for (const term of terms) {
        assert.match(
          term,
          /^(https:\/\/w3id\.org\/dpv(\/pd|\/loc)?#|http:\/\/purl\.org\/dc\/terms\/|https:\/\/schema\.org\/)\w/,
          term,
        );
      }
      for (const expected of [
        'hasDataSubject',
        'Customer',
        'hasDataController',
        'DataController',
        'hasJurisdiction',
        'hasPurpose',
        'DirectMarketing',
        'hasLegalBasis',
        'hasNotice',
        'ConsentNotice',
        'hasConsentControl',
        'WithdrawConsent',
        'isIndicatedAtTime',
        'isIndicatedBy',
        'hasIndicationMethod',
      ])
        assert.ok(terms.has(`${DPV}${expected}`), `dpv:${expected}`);
      const given = (
        record[`${DPV}hasConsentStatus`] as Record<string, { '@value'?: string; '@type'?: string }[]>[]
      )[0]!;
      assert.deepEqual(given[`${DPV}isIndicatedAtTime`]![0], {
        '@value': (given[`${DPV}isIndicatedAtTime`]![0] as { '@value': string })['@value'],
        '@type': 'http://www.w3.org/2001/XMLSchema#dateTime',
      });
      const process = (record[`${DPV}hasProcess`] as Record<string, { '@id'?: string }[]>[])[0]!;
      assert.equal(process[`${DPV}hasPersonalData`]![0]!['@id'], 'https://w3id.org/dpv/pd#EmailAddress');
      assert.equal((record[`${DPV}hasJurisdiction`] as { '@id': string }[])[0]!['@id'], 'https://w3id.org/dpv/loc#CH');
      const smsProcess = (smsRecord![0]![`${DPV}hasProcess`] as Record<string, { '@id'?: string }[]>[])[0]!;
      assert.equal(smsProcess[`${DPV}hasPersonalData`]![0]!['@id'], 'https://w3id.org/dpv/pd#TelephoneNumber');
      // The sms record names the customer by the address it writes to.
      assert.equal(
        (smsRecord![0]![`${DPV}hasDataSubject`] as Record<string, { '@value': string }[]>[])[0]![
          'http://purl.org/dc/terms/identifier'
        ]![0]!['@value'],
        phone,
      );
    } finally {
      await ledger.close();
    }
  });

  it('double opt-in: a sign-up is requested, then given by the click, or expired when never confirmed', async () => {
    const mail = await startMailbox();
    const ledger = await startLedger({
      confirmation: {},
      mail: { smtp: mail.url, from: 'Salon Bella <hallo@salon-bella.example>' },
      confirmationLapseDays: 2 / 86_400,
    });
    try {
      const confirmed = consentEvent({ subject: { email: `yes-${crypto.randomUUID().slice(0, 8)}@example.ch` } });
      const lapsed = consentEvent({ subject: { email: `late-${crypto.randomUUID().slice(0, 8)}@example.ch` } });
      await ledger.post('/v1/consent-events', confirmed);
      await ledger.post('/v1/consent-events', lapsed);
      const mails = await mail.waitFor(2);
      const link = mails.find((m) => m.to.includes(confirmed.subject.email!))!.link;
      assert.equal((await fetch(link, { method: 'POST' })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 2100));

      const [yes] = (await proofOf(ledger, confirmed.subject.email!)).consentRecords;
      assert.deepEqual(states(await expand(yes!)), [`${DPV}ConsentRequested`, `${DPV}ConsentGiven`]);
      const [late] = (await proofOf(ledger, lapsed.subject.email!)).consentRecords;
      const expired = await expand(late!);
      assert.deepEqual(states(expired), [`${DPV}ConsentRequested`, `${DPV}ConsentExpired`]);
      // The lapse is the ledger's, not the customer's.
      const events = expired[0]![`${DPV}hasConsentStatus`] as Record<string, { '@id': string }[]>[];
      assert.equal(events[1]![`${DPV}isIndicatedBy`]![0]!['@id'], `${DPV}DataController`);
      assert.equal(events[0]![`${DPV}isIndicatedBy`]![0]!['@id'], `${DPV}DataSubject`);
    } finally {
      await ledger.close();
      await mail.close();
    }
  });
});
