import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consentEvent, LINK_SECRET, NOTICE_TEXT, startLedger, type Ledger } from './ledger-fixture.js';
import { createUnsubscribeUrl } from '../../src/server/links/unsubscribe-link.js';
import { createProofUrl } from '../../src/server/links/proof-link.js';

const INTAKE = '/v1/consent-events';
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

describe('staff API', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  const status = async (email: string) =>
    (await ledger.staff(`/v1/staff/status?email=${encodeURIComponent(email)}`)).json();

  describe('without the token', () => {
    const endpoints: [string, string][] = [
      ['GET', '/v1/staff/status?email=anna@example.ch'],
      ['GET', '/v1/staff/history?email=anna@example.ch'],
      ['GET', '/v1/staff/proof?email=anna@example.ch'],
      ['GET', '/v1/staff/audience?purpose=email-newsletter'],
      ['GET', '/v1/staff/entries'],
      ['GET', '/v1/staff/verify'],
      ['POST', '/v1/staff/grants'],
      ['POST', '/v1/staff/withdrawals'],
      ['POST', '/v1/staff/unsubscribe-links'],
      ['POST', '/v1/staff/proof-links'],
    ];
    for (const [method, path] of endpoints) {
      it(`${method} ${path.split('?')[0]} answers 401 (400 for a non-bearer header) and reveals nothing`, async () => {
        const event = consentEvent({ subject: { email: 'anna@example.ch' } });
        await ledger.post(INTAKE, event);
        const before = await ledger.bytes();
        for (const headers of [
          {},
          { authorization: 'Bearer not-the-token' },
          { authorization: 'Basic YW5uYTp4' },
        ] as Record<string, string>[]) {
          const response = await fetch(`${ledger.url}${path}`, {
            method,
            headers: { 'content-type': 'application/json', ...headers },
            ...(method === 'POST'
              ? {
                  body: JSON.stringify({
                    subject: { email: 'anna@example.ch' },
                    purposes: ['email-newsletter'],
                    staffName: 'X',
                    evidence: 'Y',
                    customerAgreed: true,
                  }),
                }
              : {}),
          });
          // RFC 6750: no or a wrong token is 401; a header of another scheme is a malformed request.
          assert.equal(response.status, headers.authorization?.startsWith('Basic') ? 400 : 401);
          assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/);
          const body = await response.text();
          assert.match(JSON.parse(body).error, /staff|Authorization/);
          assert.ok(!body.includes('anna@example.ch'), 'leaks the subject');
          assert.ok(!body.includes(event.id), 'leaks a record');
        }
        assert.deepEqual(await ledger.bytes(), before);
      });
    }
  });

  it('status: granted after an online booking, with text version, method and opt-in level', async () => {
    const event = consentEvent({ subject: { email: `anna-${Math.random()}@example.ch`, phone: '+41 79 123 45 67' } });
    await ledger.post(INTAKE, event);
    const answer = await status(event.subject.email!);
    const email = answer.purposes.find((p: { purpose: string }) => p.purpose === 'email-newsletter');
    const sms = answer.purposes.find((p: { purpose: string }) => p.purpose === 'sms-newsletter');
    assert.equal(email.state, 'granted');
    assert.equal(email.method, 'online-booking');
    assert.equal(email.textVersion, '2026-11-01');
    assert.equal(email.locale, 'de');
    assert.equal(email.optInLevel, 'single');
    assert.equal(email.eventId, event.id);
    assert.equal(sms.state, 'never');
    assert.equal(answer.subject.phone, '+41 79 123 45 67');
    assert.deepEqual(answer.linked.phones, ['+41791234567']);
    assert.deepEqual(
      email.addresses.map((a: { address: string; state: string }) => [a.address, a.state]),
      [[event.subject.email!.toLowerCase(), 'granted']],
    );
  });

  it('status: found by phone or e-mail in any spelling', async () => {
    const event = consentEvent({ subject: { email: 'Mia.Rossi@Example.ch', phone: '+41 79 555 12 34' } });
    await ledger.post(INTAKE, event);
    assert.equal((await status('mia.rossi@example.ch')).purposes[0].state, 'granted');
    const byPhone = await (await ledger.staff('/v1/staff/status?phone=%2B41795551234')).json();
    assert.equal(byPhone.purposes[0].state, 'granted');
  });

  it('a status request without a customer is a 400 that says how to name one', async () => {
    const response = await ledger.staff('/v1/staff/status');
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /email=…, phone=… or customerId=…/);
  });

  describe('manual grant by staff', () => {
    const grant = (overrides: Record<string, unknown> = {}) => ({
      subject: { email: `walkin-${Math.random().toString(36).slice(2)}@example.ch` },
      purposes: ['email-newsletter'],
      staffName: 'Lea Meier',
      evidence: 'signed form, 2026-11-20, folder 12',
      customerAgreed: true,
      ...overrides,
    });

    for (const [missing, overrides, message] of [
      ['evidence', { evidence: undefined }, /evidence/],
      ['empty evidence', { evidence: '   ' }, /evidence/],
      ['the staff name', { staffName: undefined }, /staffName/],
      ['the confirmation', { customerAgreed: false }, /customerAgreed must be true/],
      ['a subject', { subject: {} }, /at least one of email/],
      ['the address the purpose needs', { subject: { customerId: 'C-7' } }, /email-newsletter needs subject\.email/],
      [
        'a list of subjects (no grant for everyone)',
        { subject: [{ email: 'a@example.ch' }, { email: 'b@example.ch' }] },
        /subject/,
      ],
    ] as const) {
      it(`is refused without ${missing}, and nothing is written`, async () => {
        const before = await ledger.bytes();
        const response = await ledger.staff('/v1/staff/grants', json(grant(overrides)));
        assert.equal(response.status, 400);
        assert.match((await response.json()).error, message);
        assert.deepEqual(await ledger.bytes(), before);
      });
    }

    it('with evidence is recorded as method staff, and shows who and what', async () => {
      const body = grant({ purposes: ['email-newsletter'], textVersion: 'form-2026-11' });
      const response = await ledger.staff('/v1/staff/grants', json(body));
      assert.equal(response.status, 201);
      const { status: after } = await response.json();
      const email = after.purposes[0];
      assert.equal(email.state, 'granted');
      assert.equal(email.method, 'staff');
      assert.equal(email.optInLevel, 'staff-evidence');
      assert.deepEqual(email.staff, { name: 'Lea Meier', evidence: 'signed form, 2026-11-20, folder 12' });
      assert.equal(email.textVersion, 'form-2026-11');
    });

    it('there is no bulk grant endpoint', async () => {
      for (const path of ['/v1/staff/grants/bulk', '/v1/staff/import', '/v1/staff/grants?all=true']) {
        const response = await ledger.staff(
          path,
          json({ purposes: ['email-newsletter'], staffName: 'X', evidence: 'Y', customerAgreed: true }),
        );
        assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
      }
    });
  });

  it('withdrawal by staff: the latest record decides; a later grant grants again', async () => {
    const event = consentEvent();
    const email = event.subject.email!;
    await ledger.post(INTAKE, event);
    const withdrawal = await ledger.staff(
      '/v1/staff/withdrawals',
      json({
        subject: { email },
        purposes: ['email-newsletter'],
        staffName: 'Lea Meier',
        reason: 'asked at the counter',
      }),
    );
    assert.equal(withdrawal.status, 201);
    const withdrawn = (await status(email)).purposes[0];
    assert.equal(withdrawn.state, 'withdrawn');
    assert.equal(withdrawn.method, 'staff');
    const again = consentEvent({ subject: { email } });
    await ledger.post(INTAKE, again);
    assert.equal((await status(email)).purposes[0].state, 'granted');
    const { entries } = await (await ledger.staff(`/v1/staff/history?email=${email}`)).json();
    assert.deepEqual(
      entries.map((entry: { event: { method: string; purposes: { granted: boolean }[] } }) => [
        entry.event.method,
        entry.event.purposes[0]!.granted,
      ]),
      [
        ['online-booking', true],
        ['staff', false],
        ['online-booking', true],
      ],
    );
    assert.equal(entries[1].event.reason, 'asked at the counter');
  });

  describe('unsubscribe link', () => {
    it('asks on GET, withdraws on POST, and a second use changes nothing', async () => {
      const event = consentEvent();
      const email = event.subject.email!;
      await ledger.post(INTAKE, event);
      const { url } = await (
        await ledger.staff(
          '/v1/staff/unsubscribe-links',
          json({ purpose: 'email-newsletter', address: email, locale: 'de' }),
        )
      ).json();
      assert.ok(url.startsWith(ledger.url));
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Möchten Sie «Newsletter per E-Mail» an .* nicht mehr erhalten\?/);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(
        (await status(email)).purposes[0].state,
        'granted',
        'GET must not withdraw (mail scanners open links)',
      );
      const done = await fetch(url, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(done.status, 200);
      const after = (await status(email)).purposes[0];
      assert.equal(after.state, 'withdrawn');
      assert.equal(after.method, 'unsubscribe-link');
      const bytes = await ledger.bytes();
      await fetch(url, { method: 'POST' });
      assert.deepEqual(await ledger.bytes(), bytes);
    });

    it('a forged or altered link does nothing', async () => {
      const event = consentEvent();
      const email = event.subject.email!;
      await ledger.post(INTAKE, event);
      const genuine = new URL(
        await createUnsubscribeUrl(ledger.url, LINK_SECRET, { purpose: 'email-newsletter', address: email }),
      );
      const forgedWithOtherSecret = new URL(
        await createUnsubscribeUrl(ledger.url, 'not-the-secret-at-all-0123456789abcdef', {
          purpose: 'email-newsletter',
          address: email,
        }),
      );
      const otherAddress = new URL(genuine);
      otherAddress.searchParams.set('a', 'someone.else@example.ch');
      const otherPurpose = new URL(genuine);
      otherPurpose.searchParams.set('p', 'sms-newsletter');
      const noSignature = new URL(genuine);
      noSignature.searchParams.delete('sig');
      const garbled = new URL(genuine);
      garbled.searchParams.set('sig', `${genuine.searchParams.get('sig')!.slice(0, -2)}AA`);
      const before = await ledger.bytes();
      for (const url of [forgedWithOtherSecret, otherAddress, otherPurpose, noSignature, garbled]) {
        const response = await fetch(url, { method: 'POST' });
        assert.equal(response.status, 400, url.href);
        assert.match(await response.text(), /ungültig/);
      }
      assert.deepEqual(await ledger.bytes(), before);
      assert.equal((await status(email)).purposes[0].state, 'granted');
    });
  });

  it('campaign audience: exactly those whose latest record is a grant; the rest are counted as left out', async () => {
    const fresh = await startLedger();
    try {
      const granted = consentEvent({ subject: { email: 'granted@example.ch' } });
      const withdrawn = consentEvent({ subject: { email: 'withdrawn@example.ch' } });
      const smsOnly = consentEvent({
        subject: { email: 'sms-only@example.ch', phone: '+41 79 000 00 01' },
        purposes: [{ purpose: 'sms-newsletter', granted: true }],
      });
      for (const event of [granted, withdrawn, smsOnly]) await fresh.post(INTAKE, event);
      await fresh.staff(
        '/v1/staff/withdrawals',
        json({ subject: { email: 'withdrawn@example.ch' }, purposes: ['email-newsletter'], staffName: 'Lea' }),
      );
      await fresh.staff(
        '/v1/staff/grants',
        json({
          subject: { email: 'walk-in@example.ch' },
          purposes: ['email-newsletter'],
          staffName: 'Lea',
          evidence: 'form 7',
          customerAgreed: true,
        }),
      );
      const audience = await (await fresh.staff('/v1/staff/audience?purpose=email-newsletter')).json();
      assert.deepEqual(
        audience.recipients.map((r: { address: string }) => r.address),
        ['granted@example.ch', 'walk-in@example.ch'],
      );
      assert.deepEqual(audience.leftOut, { withdrawn: 1, unconfirmed: 0, neverGranted: 1, bounced: 0, imported: 0 });
      const csv = await (await fresh.staff('/v1/staff/audience?purpose=email-newsletter&format=csv')).text();
      assert.equal(csv.split('\r\n')[0], 'address,customerId,consentSince,method');
      assert.equal(csv.trim().split('\r\n').length, 3);
      const sms = await (await fresh.staff('/v1/staff/audience?purpose=sms-newsletter')).json();
      assert.deepEqual(
        sms.recipients.map((r: { address: string }) => r.address),
        ['+41790000001'],
      );
    } finally {
      await fresh.close();
    }
  });

  it('proof: a printable page with the exact text shown, and JSON with the Kantara mapping', async () => {
    const event = consentEvent({ bookingRef: 'B-1042' });
    const email = event.subject.email!;
    await ledger.post(INTAKE, event);
    await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { email }, purposes: ['email-newsletter'], staffName: 'Lea Meier' }),
    );
    const page = await ledger.staff(`/v1/staff/proof?email=${email}`);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /style-src 'sha256-/);
    const html = await page.text();
    assert.match(html, /Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten\./);
    assert.match(html, /Datenschutzerklärung<\/u> \(https:\/\/salon-bella\.example\/datenschutz\)/);
    assert.match(html, /verified intact/);
    assert.match(html, /B-1042/);
    assert.match(html, /WITHDRAWN/);
    const proof = await (await ledger.staff(`/v1/staff/proof?email=${email}&format=json`)).json();
    assert.equal(proof.records.length, 2);
    assert.equal(proof.records[0].event.notice.text, NOTICE_TEXT);
    const kantara = proof.records[0].kantara;
    assert.equal(kantara.version, 'KI-CR-v1.1.0');
    assert.equal(kantara.consentReceiptID, event.id);
    assert.equal(kantara.piiPrincipalId, email);
    assert.equal(kantara.jurisdiction, 'CH');
    assert.equal(kantara.policyUrl, 'https://salon-bella.example/datenschutz');
    assert.equal(kantara.piiControllers[0].piiController, 'Salon Bella');
    assert.equal(kantara.services[0].purposes[0].consentType, 'EXPLICIT');
    assert.equal(proof.records[1].kantara.services[0].purposes[0].granted, false);
  });

  it('proof link: opens the proof for ten minutes, for that customer only', async () => {
    const event = consentEvent();
    const email = event.subject.email!;
    await ledger.post(INTAKE, event);
    const { url } = await (await ledger.staff('/v1/staff/proof-links', json({ subject: { email } }))).json();
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(email.replace(/[.]/g, '\\.')));
    const other = new URL(url);
    other.searchParams.set('email', 'someone.else@example.ch');
    assert.equal((await fetch(other)).status, 403);
    const later = new URL(url);
    later.searchParams.set('exp', String(Number(later.searchParams.get('exp')) + 3600));
    assert.equal((await fetch(later)).status, 403);
    const expired = await createProofUrl(ledger.url, 'unknown-secret', { email }, Date.now() - 3_600_000);
    assert.equal((await fetch(expired)).status, 403);
  });

  it('verify reports the chain intact', async () => {
    const answer = await (await ledger.staff('/v1/staff/verify')).json();
    assert.equal(answer.intact, true);
    assert.ok(answer.entries > 0);
  });
});

describe('a large campaign audience', () => {
  it('streams as CSV and as JSON lines, with the same recipients and counts as the JSON answer', async () => {
    const ledger = await startLedger();
    try {
      // 1,234 recipients and 5 withdrawn: more than one slice of the stream and one chunk of rows.
      const tag = crypto.randomUUID().slice(0, 8);
      await Promise.all(
        Array.from({ length: 1239 }, (_, i) =>
          ledger.store.append(consentEvent({ subject: { email: `r${i}-${tag}@example.ch` } })),
        ),
      );
      for (let i = 0; i < 5; i += 1) {
        await ledger.staff('/v1/staff/withdrawals', {
          method: 'POST',
          body: JSON.stringify({
            subject: { email: `r${i}-${tag}@example.ch` },
            purposes: ['email-newsletter'],
            staffName: 'Lea',
          }),
        });
      }
      const json = await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json();
      assert.equal(json.recipients.length, 1234);
      const lines = await ledger.staff('/v1/staff/audience?purpose=email-newsletter&format=jsonl');
      assert.match(lines.headers.get('content-type')!, /^application\/jsonl/);
      const parsed = (await lines.text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(parsed.at(-1), { leftOut: json.leftOut });
      assert.deepEqual(
        parsed
          .slice(0, -1)
          .map((r: { address: string }) => r.address)
          .sort(),
        json.recipients.map((r: { address: string }) => r.address).sort(),
      );
      const csv = (await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter&format=csv')).text())
        .trimEnd()
        .split('\r\n');
      assert.equal(csv[0], 'address,customerId,consentSince,method');
      assert.deepEqual(
        csv
          .slice(1)
          .map((row) => row.split(',')[0])
          .sort(),
        json.recipients.map((r: { address: string }) => r.address).sort(),
      );
      const wrong = await ledger.staff('/v1/staff/audience?purpose=email-newsletter&format=xml');
      assert.equal(wrong.status, 400);
      assert.match((await wrong.json()).error, /format must be json, csv or jsonl/);
    } finally {
      await ledger.close();
    }
  });
});

describe('whose file a record belongs to', () => {
  it('two people sharing a family phone are one customer: a withdrawal by either reaches both addresses', async () => {
    const ledger = await startLedger();
    try {
      const phone = '+41 79 999 00 11';
      await ledger.post('/v1/consent-events', consentEvent({ subject: { email: 'parent@example.ch', phone } }));
      await ledger.post('/v1/consent-events', consentEvent({ subject: { email: 'child@example.ch', phone } }));
      const child = await (await ledger.staff(`/v1/staff/status?email=child@example.ch`)).json();
      assert.deepEqual(child.linked.emails.sort(), ['child@example.ch', 'parent@example.ch']);
      // A record that knows only the phone (an SMS unsubscribe) is found by phone, in national spelling too.
      const byPhone = await (
        await ledger.staff(`/v1/staff/history?phone=${encodeURIComponent('079 999 00 11')}`)
      ).json();
      assert.equal(byPhone.entries.length, 2);
      await ledger.staff('/v1/staff/withdrawals', {
        method: 'POST',
        body: JSON.stringify({
          subject: { email: 'child@example.ch' },
          purposes: ['email-newsletter'],
          staffName: 'Lea',
        }),
      });
      const audience = await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json();
      assert.deepEqual(audience.recipients, [], 'when in doubt, nobody linked to a withdrawal is mailed');
      // The parent's own next grant brings only the parent's address back.
      await ledger.post('/v1/consent-events', consentEvent({ subject: { email: 'parent@example.ch' } }));
      const after = await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json();
      assert.deepEqual(
        after.recipients.map((r: { address: string }) => r.address),
        ['parent@example.ch'],
      );
    } finally {
      await ledger.close();
    }
  });
});
