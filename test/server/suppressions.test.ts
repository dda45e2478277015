/**
 * Suppressions in: what a salon's newsletter tool reports (an unsubscribe, a
 * spam complaint, a hard bounce) reaches the ledger with the tool's
 * integration token or its Standard Webhooks signature, and those
 * credentials can do nothing else.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { consentEvent, PAGE_ORIGIN, startLedger, STAFF_TOKEN, type Ledger } from './ledger-fixture.js';

const INTEGRATION_TOKEN = 'integration-token-for-tests-0123456789';
const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Status {
  purposes: { purpose: string; state: string; method?: string; suppression?: { kind: string; source: string } }[];
}

describe('suppressions from the newsletter tool', () => {
  let ledger: Ledger;
  before(async () => {
    ledger = await startLedger({
      integrations: { tokens: [INTEGRATION_TOKEN], signingSecrets: [SIGNING_SECRET] },
    });
  });
  after(() => ledger.close());

  const report = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${INTEGRATION_TOKEN}` }) =>
    ledger.post('/v1/integrations/suppressions', body, headers);
  const status = async (email: string) =>
    (await (await ledger.staff(`/v1/staff/status?email=${encodeURIComponent(email)}`)).json()) as Status;
  const subscribed = async () => {
    const anna = consentEvent({
      purposes: [
        { purpose: 'email-newsletter', granted: true },
        { purpose: 'sms-newsletter', granted: true },
      ],
    });
    assert.equal((await ledger.post('/v1/consent-events', anna, { origin: PAGE_ORIGIN })).status, 201);
    return anna.subject as { email: string; phone: string };
  };
  const unsubscribe = (address: string, extra: Record<string, unknown> = {}) => ({
    address,
    kind: 'unsubscribe',
    source: 'Brevo',
    occurredAt: new Date().toISOString(),
    reference: `msg-${randomBytes(4).toString('hex')}`,
    ...extra,
  });

  it('records an unsubscribe as the customer’s withdrawal, with the tool and its reference as evidence, once', async () => {
    const anna = await subscribed();
    const body = unsubscribe(anna.email);
    const answer = await report(body);
    assert.equal(answer.status, 200, await answer.clone().text());
    const { outcomes } = (await answer.json()) as { outcomes: { purpose: string; outcome: string }[] };
    assert.deepEqual(
      outcomes.map((o) => [o.purpose, o.outcome]),
      [['email-newsletter', 'withdrawn']],
    );
    const after = await status(anna.email);
    const email = after.purposes.find((p) => p.purpose === 'email-newsletter')!;
    assert.equal(email.state, 'withdrawn');
    assert.equal(email.method, 'suppression');
    assert.deepEqual(email.suppression, { kind: 'unsubscribe', source: 'Brevo' });
    assert.equal(after.purposes.find((p) => p.purpose === 'sms-newsletter')!.state, 'granted', 'the SMS stays');
    // The proof shows the tool and its reference.
    const proof = await (await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(anna.email)}`)).text();
    assert.ok(proof.includes(body.reference));
    assert.ok(proof.includes('Brevo'));
    // The same report again (a retry) writes nothing.
    const bytes = await ledger.bytes();
    assert.equal((await report(body)).status, 200);
    assert.deepEqual(await ledger.bytes(), bytes);
  });

  it('withdraws the SMS by phone number, and leaves a grant given after the report standing', async () => {
    const anna = await subscribed();
    const before = new Date(Date.now() - 60_000).toISOString();
    const stale = await report(unsubscribe(anna.phone.replace(/\s/g, ''), { kind: 'complaint', occurredAt: before }));
    const { outcomes } = (await stale.json()) as { outcomes: { outcome: string; reason?: string }[] };
    assert.equal(outcomes[0]!.outcome, 'unchanged');
    assert.equal(outcomes[0]!.reason, 'a later grant stands');
    const now = await report(unsubscribe(anna.phone, { kind: 'complaint' }));
    assert.equal(((await now.json()) as { outcomes: { outcome: string }[] }).outcomes[0]!.outcome, 'withdrawn');
    assert.equal((await status(anna.email)).purposes.find((p) => p.purpose === 'sms-newsletter')!.state, 'withdrawn');
  });

  it('takes a hard-bounced address out of the audience without recording a decision', async () => {
    const anna = await subscribed();
    const answer = await report(unsubscribe(anna.email, { kind: 'hard-bounce' }));
    assert.equal(((await answer.json()) as { outcomes: { outcome: string }[] }).outcomes[0]!.outcome, 'bounced');
    const email = (await status(anna.email)).purposes.find((p) => p.purpose === 'email-newsletter')!;
    assert.equal(email.state, 'granted', 'the customer made no decision');
    const audience = (await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json()) as {
      recipients: { address: string }[];
      leftOut: { bounced: number };
    };
    assert.ok(!audience.recipients.some((r) => r.address === anna.email), 'not in the audience');
    assert.ok(audience.leftOut.bounced >= 1);
    // A new tick gives the address anew: back in the audience.
    await ledger.post('/v1/consent-events', consentEvent({ subject: { email: anna.email } }), { origin: PAGE_ORIGIN });
    const again = (await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json()) as {
      recipients: { address: string }[];
    };
    assert.ok(again.recipients.some((r) => r.address === anna.email));
  });

  it('accepts the same report signed per Standard Webhooks instead of a token, and refuses a wrong signature', async () => {
    const anna = await subscribed();
    const body = JSON.stringify(unsubscribe(anna.email));
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const signature = new Webhook(SIGNING_SECRET).sign(id, new Date(), body);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    const forged = new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign(id, new Date(), body);
    assert.equal((await report(body, { ...headers, 'webhook-signature': forged })).status, 401);
    const tampered = body.replace('Brevo', 'Other');
    assert.equal((await report(tampered, { ...headers, 'webhook-signature': signature })).status, 401);
    const signed = await report(body, { ...headers, 'webhook-signature': signature });
    assert.equal(signed.status, 200, await signed.clone().text());
    assert.equal((await status(anna.email)).purposes.find((p) => p.purpose === 'email-newsletter')!.state, 'withdrawn');
  });

  it('answers a bad body with a 400 that says what is wrong, and writes nothing', async () => {
    const anna = await subscribed();
    const bytes = await ledger.bytes();
    const bad: [unknown, RegExp][] = [
      [{ ...unsubscribe(anna.email), kind: 'grant' }, /kind/],
      [{ ...unsubscribe(anna.email), occurredAt: 'yesterday' }, /occurredAt/],
      [{ ...unsubscribe(anna.email), occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, /future/],
      [{ ...unsubscribe(anna.email), reference: '' }, /reference/],
      [unsubscribe(anna.email, { purpose: 'sms-newsletter' }), /sms-newsletter writes to a phone/],
      [unsubscribe(anna.email, { purpose: 'postcards' }), /unknown purpose/],
      [unsubscribe('+41 12'), /phone/],
      ['{"address": ', /JSON/],
    ];
    for (const [body, message] of bad) {
      const answer = await report(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(((await answer.json()) as { error: string }).error, message);
    }
    assert.deepEqual(await ledger.bytes(), bytes);
  });

  it('the integration token opens nothing else, and the staff token does not open suppressions', async () => {
    const anna = await subscribed();
    assert.equal((await report(unsubscribe(anna.email), { authorization: `Bearer ${STAFF_TOKEN}` })).status, 401);
    assert.equal((await report(unsubscribe(anna.email), {})).status, 401);
    // Every staff operation the ledger describes, called with the tool's token.
    const description = (await (await fetch(`${ledger.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    let tried = 0;
    for (const [path, operations] of Object.entries(description.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security?.some((scheme) => 'staffToken' in scheme)) continue;
        const url = `${ledger.url}${path}?email=${encodeURIComponent(anna.email)}&purpose=email-newsletter&after=0`;
        const answer = await fetch(url, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${INTEGRATION_TOKEN}`, 'content-type': 'application/json' },
          ...(method === 'post'
            ? {
                body: JSON.stringify({
                  subject: { email: anna.email },
                  purposes: ['email-newsletter'],
                  staffName: 'Tool',
                  evidence: 'none',
                  customerAgreed: true,
                }),
              }
            : {}),
        });
        assert.equal(answer.status, 401, `${method.toUpperCase()} ${path} refuses the integration token`);
        tried += 1;
      }
    }
    assert.ok(tried >= 12, `every staff operation tried (${tried})`);
    assert.equal((await status(anna.email)).purposes.find((p) => p.purpose === 'email-newsletter')!.state, 'granted');
  });

  it('answers 401 to everyone where no tool is configured', async () => {
    const bare = await startLedger();
    try {
      const answer = await fetch(`${bare.url}/v1/integrations/suppressions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INTEGRATION_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(unsubscribe('a@example.ch')),
      });
      assert.equal(answer.status, 401);
    } finally {
      await bare.close();
    }
  });
});
