/**
 * Consent at the front desk (POST /v1/staff/front-desk-consents): the
 * customer ticks and signs on the salon's device under the versioned notice
 * in their language. The record binds the signature to the notice's
 * fingerprint, the staff member and the device; the proof shows the
 * signature beside the text; an erasure shreds the signature.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NOTICE_SHA256, NOTICE_TEXT, startLedger, type Ledger } from './ledger-fixture.js';

/** A real PNG (1×1), as a canvas's toDataURL gives one. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const notice = { textVersion: '2026-11-01', locale: 'de', text: NOTICE_TEXT, sha256: NOTICE_SHA256 };
const consent = (email: string, signature: unknown, extra: object = {}) => ({
  subject: { email },
  purposes: ['email-newsletter'],
  notice,
  signature,
  staffName: 'Lea Meier',
  device: 'Empfang iPad',
  customerActed: true,
  ...extra,
});

describe('consent at the front desk', () => {
  let ledger: Ledger;
  before(async () => {
    ledger = await startLedger({
      controller: { name: 'Salon Bella', jurisdiction: 'CH', locale: 'de' },
      texts: [{ version: '2026-11-01', locale: 'de', sha256: NOTICE_SHA256 }],
    });
  });
  after(() => ledger.close());
  const record = (body: unknown) =>
    ledger.staff('/v1/staff/front-desk-consents', { method: 'POST', body: JSON.stringify(body) });

  it('records a drawn signature bound to the notice, the staff member and the device; the proof shows it beside the text', async () => {
    const email = `fd-${crypto.randomUUID().slice(0, 8)}@example.ch`;
    const answer = await record(consent(email, { kind: 'drawn', image: PNG }));
    assert.equal(answer.status, 201, await answer.clone().text());
    const { status } = (await answer.json()) as {
      status: { purposes: { purpose: string; state: string; method: string; optInLevel: string; device: string }[] };
    };
    const purpose = status.purposes.find((p) => p.purpose === 'email-newsletter')!;
    assert.equal(purpose.state, 'granted');
    assert.equal(purpose.method, 'front-desk');
    assert.equal(purpose.optInLevel, 'signed');
    assert.equal(purpose.device, 'Empfang iPad');

    const proof = await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}`);
    const page = await proof.text();
    assert.match(proof.headers.get('content-security-policy') ?? '', /img-src data:/);
    assert.ok(page.includes(`<img class="signature" src="${PNG}" alt="Unterschrift der Kundin / des Kunden"`));
    assert.ok(page.includes('Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.'), 'the text shown');
    assert.ok(page.includes(NOTICE_SHA256));
    assert.ok(page.includes('Empfang iPad') && page.includes('Lea Meier'));
    assert.match(page, /selbst angekreuzt und unterschrieben, im Beisein des Personals/);
    const json = (await (
      await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}&format=json`)
    ).json()) as {
      records: { event: { signature: { sha256: string } }; kantara?: { language?: string } }[];
    };
    const bytes = Buffer.from(PNG.split(',')[1]!, 'base64');
    assert.equal(json.records[0]!.event.signature.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(json.records[0]!.kantara?.language, 'de');
  });

  it('takes the customer’s typed name as the keyboard alternative', async () => {
    const email = `fd-${crypto.randomUUID().slice(0, 8)}@example.ch`;
    assert.equal((await record(consent(email, { kind: 'typed', name: 'Anna Muster' }))).status, 201);
    const page = await (await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}`)).text();
    assert.ok(page.includes('Anna Muster (Name selbst getippt)'));
  });

  it('shreds the signature with the customer’s erasure; its fingerprint stays', async () => {
    const email = `fd-${crypto.randomUUID().slice(0, 8)}@example.ch`;
    await record(consent(email, { kind: 'drawn', image: PNG }));
    const erased = await ledger.staff('/v1/staff/erasures', {
      method: 'POST',
      body: JSON.stringify({ subject: { email }, staffName: 'Lea', reason: 'customer-request' }),
    });
    assert.equal(erased.status, 201);
    const { entries } = (await (await ledger.staff('/v1/staff/entries?after=0')).json()) as {
      entries: {
        erased?: { reason: string };
        event: { method: string; signature?: { image?: string; sha256: string } };
      }[];
    };
    const last = entries.filter((entry) => entry.event.method === 'front-desk').at(-1)!;
    assert.equal(last.erased?.reason, 'customer-request');
    assert.equal(last.event.signature?.image, undefined, 'the image is gone');
    assert.match(last.event.signature!.sha256, /^[0-9a-f]{64}$/);
  });

  it('refuses what is not the customer’s own act under the text shown, and writes nothing', async () => {
    const email = `fd-${crypto.randomUUID().slice(0, 8)}@example.ch`;
    const bytes = await ledger.bytes();
    const bad: [unknown, RegExp][] = [
      [consent(email, { kind: 'drawn', image: PNG }, { notice: { ...notice, text: `${NOTICE_TEXT}!` } }), /notice/],
      [consent(email, { kind: 'drawn', image: 'data:image/png;base64,AAAAAAAA' }), /not a PNG/],
      [consent(email, { kind: 'drawn', image: 'data:image/svg+xml;base64,PHN2Zz4=' }), /PNG data URL/],
      [consent(email, { kind: 'typed', name: '' }), /signature/],
      [consent(email, undefined), /signature/],
      [consent(email, { kind: 'drawn', image: PNG }, { customerActed: false }), /customerActed/],
      [consent(email, { kind: 'drawn', image: PNG }, { device: '' }), /device/],
      [consent(email, { kind: 'drawn', image: PNG }, { subject: { phone: '+41 79 123 45 67' } }), /subject\.email/],
    ];
    for (const [body, message] of bad) {
      const answer = await record(body);
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 200));
      assert.match(((await answer.json()) as { error: string }).error, message);
    }
    assert.deepEqual(await ledger.bytes(), bytes);
  });
});
