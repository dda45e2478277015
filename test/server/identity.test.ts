import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consentEvent, startLedger, type Ledger } from './ledger-fixture.js';

const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

describe('one customer: every withdrawal reaches the campaign', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  const audience = async (purpose: string) =>
    (
      (await (await ledger.staff(`/v1/staff/audience?purpose=${purpose}`)).json()).recipients as { address: string }[]
    ).map((r) => r.address);
  const status = async (query: string) => (await ledger.staff(`/v1/staff/status?${query}`)).json();

  it('a staff withdrawal naming only the customer id takes the e-mail out of the audience, and status by e-mail agrees', async () => {
    const email = `cid-${Math.random().toString(36).slice(2)}@example.ch`;
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email, customerId: 'K-1001' } }));
    assert.ok((await audience('email-newsletter')).includes(email));
    const response = await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { customerId: 'K-1001' }, purposes: ['email-newsletter'], staffName: 'Lea' }),
    );
    assert.equal(response.status, 201);
    assert.ok(!(await audience('email-newsletter')).includes(email));
    assert.equal((await status(`email=${encodeURIComponent(email.toUpperCase())}`)).purposes[0].state, 'withdrawn');
  });

  it('a phone-only withdrawal of the e-mail purpose reaches the e-mail linked to that phone', async () => {
    const email = `phone-${Math.random().toString(36).slice(2)}@example.ch`;
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email, phone: '+41 78 600 11 22' } }));
    await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { phone: '078 600 11 22' }, purposes: ['email-newsletter'], staffName: 'Lea' }),
    );
    assert.ok(!(await audience('email-newsletter')).includes(email));
  });

  it('SMS granted for "+41 79 781 78 78" and withdrawn as "079 781 78 78" leaves the SMS audience', async () => {
    await ledger.post(
      '/v1/consent-events',
      consentEvent({
        subject: { phone: '+41 79 781 78 78' },
        purposes: [{ purpose: 'sms-newsletter', granted: true }],
      }),
    );
    assert.ok((await audience('sms-newsletter')).includes('+41797817878'), 'the audience lists E.164');
    const response = await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { phone: '079 781 78 78' }, purposes: ['sms-newsletter'], staffName: 'Lea' }),
    );
    assert.equal(response.status, 201);
    assert.ok(!(await audience('sms-newsletter')).includes('+41797817878'));
    assert.equal((await status('phone=0041797817878')).purposes[1].state, 'withdrawn');
  });

  it('a newer grant for the address brings it back; the withdrawal still keeps the other addresses out', async () => {
    const [a, b] = ['a', 'b'].map((x) => `${x}-${Math.random().toString(36).slice(2)}@example.ch`) as [string, string];
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email: a, customerId: 'K-2002' } }));
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email: b, customerId: 'K-2002' } }));
    await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { customerId: 'K-2002' }, purposes: ['email-newsletter'], staffName: 'Lea' }),
    );
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email: a } }));
    const list = await audience('email-newsletter');
    assert.ok(list.includes(a));
    assert.ok(!list.includes(b));
    const file = await status('customerId=K-2002');
    assert.deepEqual(
      file.purposes[0].addresses.map((x: { address: string; state: string }) => [x.address, x.state]).sort(),
      [
        [a, 'granted'],
        [b, 'withdrawn'],
      ],
    );
  });
});

describe('phone numbers as phone systems read them', () => {
  for (const [country, national, e164] of [
    ['DE', '030 1234567', '+49301234567'],
    ['AT', '0664 1234567', '+436641234567'],
    ['FR', '06 12 34 56 78', '+33612345678'],
    ['IT', '347 123 4567', '+393471234567'],
    ['CH', '079 123 45 67', '+41791234567'],
  ] as const) {
    it(`${country}: "${national}" is ${e164}`, async () => {
      const ledger = await startLedger({ phoneCountry: country });
      try {
        const response = await ledger.post(
          '/v1/consent-events',
          consentEvent({ subject: { phone: national }, purposes: [{ purpose: 'sms-newsletter', granted: true }] }),
        );
        assert.equal(response.status, 201, await response.text());
        const answer = await (await ledger.staff('/v1/staff/audience?purpose=sms-newsletter')).json();
        assert.deepEqual(
          answer.recipients.map((r: { address: string }) => r.address),
          [e164],
        );
      } finally {
        await ledger.close();
      }
    });
  }

  it('an unparseable number is a 400 naming the field at intake and for staff, and nothing is stored', async () => {
    const ledger = await startLedger();
    try {
      const before = await ledger.bytes();
      const intake = await ledger.post(
        '/v1/consent-events',
        consentEvent({ subject: { email: 'x@example.ch', phone: '12 34' } }),
      );
      assert.equal(intake.status, 400);
      assert.match((await intake.json()).error, /phone: "12 34" is not a phone number/);
      const staff = await ledger.staff(
        '/v1/staff/grants',
        json({
          subject: { phone: '000 00' },
          purposes: ['sms-newsletter'],
          staffName: 'Lea',
          evidence: 'form 1',
          customerAgreed: true,
        }),
      );
      assert.equal(staff.status, 400);
      assert.equal((await staff.json()).issues[0].path, 'subject.phone');
      assert.deepEqual(await ledger.bytes(), before);
    } finally {
      await ledger.close();
    }
  });
});
