/**
 * Webhooks out: a real receiver verifies every delivery with the
 * `standardwebhooks` library and reads it with the `cloudevents` SDK. Each
 * change of a decision arrives once acknowledged, one customer's in order;
 * a receiver that fails gets the same event (same webhook-id) until it
 * recovers; a kill -9 between the acknowledgement and the delivery loses
 * nothing; an erasure tells the tool what to delete, and then nothing of the
 * customer is left in the queue.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { consentEvent, PAGE_ORIGIN, startLedger, STAFF_TOKEN, type Ledger } from './ledger-fixture.js';
import { startMailbox as startMailServer } from '../../scripts/mailbox.mjs';
import { cli, killHard, serve, servePlatform } from './cli-fixture.js';
import { startReceiver, WEBHOOK_SECRET } from './webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const withdraw = (ledger: Ledger, email: string) =>
  ledger.staff('/v1/staff/withdrawals', {
    method: 'POST',
    body: JSON.stringify({
      subject: { email },
      purposes: ['email-newsletter'],
      staffName: 'Lea',
      reason: 'am Telefon',
    }),
  });

const webhooks = async (ledger: { url: string }) =>
  (
    (await (
      await fetch(`${ledger.url}/v1/staff/webhooks`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
    ).json()) as {
      endpoints: {
        id: string;
        url: string;
        deliveredThrough: number;
        backlog: number;
        failing?: { attempts: number; lastError: string; eventId: string };
      }[];
    }
  ).endpoints;

/** Waits until staff see the endpoint with nothing left to send and not failing. */
async function caughtUp(ledger: Ledger): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [endpoint] = await webhooks(ledger);
    if (endpoint!.backlog === 0 && !endpoint!.failing) return;
    if (Date.now() > deadline) assert.fail(`the endpoint did not catch up: ${JSON.stringify(endpoint)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhooks', () => {
  let receiver: Receiver;
  let ledger: Ledger;
  before(async () => {
    receiver = await startReceiver();
    ledger = await startLedger({
      webhooks: {
        endpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
        salon: { name: 'Salon Bella' },
        retryDelaysMs: [300, 600],
      },
    });
  });
  after(async () => {
    await ledger.close();
    await receiver.close();
  });

  it('posts each change of a decision as a signed CloudEvent, one customer’s in order', async () => {
    const anna = consentEvent({
      purposes: [
        { purpose: 'email-newsletter', granted: true },
        { purpose: 'sms-newsletter', granted: true },
      ],
    });
    const ben = consentEvent();
    assert.equal(
      (await ledger.post('/v1/consent-events', anna, { origin: 'https://salon-bella.example' })).status,
      201,
    );
    assert.equal((await ledger.post('/v1/consent-events', ben, { origin: 'https://salon-bella.example' })).status, 201);
    assert.equal((await withdraw(ledger, anna.subject.email!)).status, 201);
    // Granted again: a tick after the withdrawal.
    const again = consentEvent({ subject: { email: anna.subject.email! } });
    assert.equal(
      (await ledger.post('/v1/consent-events', again, { origin: 'https://salon-bella.example' })).status,
      201,
    );

    await receiver.until(() => receiver.typesFor(anna.subject.email!).length === 3);
    assert.deepEqual(receiver.typesFor(anna.subject.email!), ['granted', 'withdrawn', 'granted']);
    assert.deepEqual(receiver.typesFor(ben.subject.email!), ['granted']);
    assert.deepEqual(receiver.rejected, [], 'every delivery verified and parsed');
    const phone = receiver.delivered.find((d) => d.event.data?.['purpose'] === 'sms-newsletter')!;
    assert.match(String(phone.event.data?.['address']), /^\+41\d{9}$/, 'the phone number in E.164');
    const first = receiver.delivered[0]!;
    assert.match(first.contentType, /^application\/cloudevents\+json/);
    assert.equal(first.event.specversion, '1.0');
    assert.equal(first.event.type, 'marketing-consent.decision.granted');
    assert.equal(first.webhookId, first.event.id);
    assert.deepEqual(first.event.data?.['salon'], { name: 'Salon Bella' });
    assert.equal(typeof first.event.data?.['seq'], 'number');
    // Seqs only grow: the chain's order, which keeps each customer's order.
    const seqs = receiver.delivered.map((d) => Number(d.event.data?.['seq']));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    await caughtUp(ledger);
  });

  it('sends a failing receiver the same event (same webhook-id) until it recovers, and shows staff the failure', async () => {
    receiver.answer('fail');
    const cleo = consentEvent();
    const attemptsBefore = receiver.attempts.length;
    await ledger.post('/v1/consent-events', cleo, { origin: 'https://salon-bella.example' });
    await receiver.until(() => receiver.attempts.length >= attemptsBefore + 2);
    const [failing] = await webhooks(ledger);
    assert.ok(failing!.failing, 'staff see the endpoint failing');
    assert.equal(failing!.failing.lastError, 'HTTP 500');
    assert.ok(failing!.backlog >= 1);
    const tried = receiver.attempts.slice(attemptsBefore);
    assert.equal(new Set(tried).size, 1, `every attempt of one event has its id: ${tried.join(', ')}`);

    receiver.answer('ok');
    await receiver.until(() => receiver.typesFor(cleo.subject.email!).length === 1);
    assert.equal(receiver.delivered.at(-1)!.webhookId, tried[0]);
    await caughtUp(ledger);
  });

  it('replays an endpoint from a seq with the same ids, for staff', async () => {
    const dora = consentEvent();
    await ledger.post('/v1/consent-events', dora, { origin: 'https://salon-bella.example' });
    await receiver.until(() => receiver.typesFor(dora.subject.email!).length === 1);
    const original = receiver.delivered.at(-1)!;
    const [endpoint] = await webhooks(ledger);
    const replay = await ledger.staff('/v1/staff/webhooks/replay', {
      method: 'POST',
      body: JSON.stringify({ endpoint: endpoint!.id, fromSeq: Number(original.event.data?.['seq']) }),
    });
    assert.equal(replay.status, 202);
    await receiver.until(() => receiver.typesFor(dora.subject.email!).length === 2);
    assert.equal(receiver.delivered.at(-1)!.webhookId, original.webhookId);
    const unknown = await ledger.staff('/v1/staff/webhooks/replay', {
      method: 'POST',
      body: JSON.stringify({ endpoint: '0123456789abcdef', fromSeq: 1 }),
    });
    assert.equal(unknown.status, 404);
  });

  it('tells the tool what to delete at an erasure, and keeps nothing of the customer afterwards', async () => {
    const eva = consentEvent({
      purposes: [
        { purpose: 'email-newsletter', granted: true },
        { purpose: 'sms-newsletter', granted: true },
      ],
    });
    await ledger.post('/v1/consent-events', eva, { origin: 'https://salon-bella.example' });
    await receiver.until(() => receiver.typesFor(eva.subject.email!).length === 1);
    const erased = await ledger.staff('/v1/staff/erasures', {
      method: 'POST',
      body: JSON.stringify({ subject: { email: eva.subject.email }, staffName: 'Lea', reason: 'customer-request' }),
    });
    assert.equal(erased.status, 201, await erased.clone().text());
    await receiver.until(() => receiver.delivered.filter((d) => d.event.type.endsWith('.erased')).length === 2);
    const e164 = receiver.delivered.find(
      (d) =>
        d.event.data?.['purpose'] === 'sms-newsletter' &&
        receiver.typesFor(String(d.event.data['address'])).includes('granted'),
    );
    assert.ok(e164);
    const erasures = receiver.delivered.filter((d) => d.event.type.endsWith('.erased'));
    assert.deepEqual(
      erasures.map((d) => d.event.data?.['purpose']).sort(),
      ['email-newsletter', 'sms-newsletter'],
      'one event per address the customer had',
    );
    assert.equal(erasures[0]!.event.data?.['reason'], 'customer-request');
    // Nothing of her is left beside the chain: the queue's documents hold no address.
    await caughtUp(ledger);
    const stateDir = join(ledger.dataDir, 'state');
    const holdingHer = async () => {
      const holding: string[] = [];
      for (const file of await readdir(stateDir)) {
        const text = await readFile(join(stateDir, file), 'utf8').catch(() => '');
        if (text.includes(eva.subject.email!) || text.includes('webhook-erasure')) holding.push(file);
      }
      return holding;
    };
    // The notice goes once every endpoint has its events, in the same pass.
    const deadline = Date.now() + 5_000;
    while ((await holdingHer()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await holdingHer(), [], 'no document beside the chain holds her address');
    assert.ok((await readdir(stateDir)).length > 0, 'the endpoint’s cursor is there');
  });

  it('refuses endpoints that are not https (loopback aside) and secrets that are not whsec_', async () => {
    await assert.rejects(
      startLedger({
        webhooks: { endpoints: [{ url: 'http://tool.example/hook', secret: WEBHOOK_SECRET }], salon: { name: 'x' } },
      }),
      /must use https/,
    );
    await assert.rejects(
      startLedger({
        webhooks: { endpoints: [{ url: 'https://tool.example/hook', secret: 'hunter2' }], salon: { name: 'x' } },
      }),
      /whsec_/,
    );
  });
});

describe('webhooks with double opt-in', () => {
  it('sends pending at the tick, granted at the click, and lapsed when a sign-up was never confirmed', async () => {
    const receiver = await startReceiver();
    const mail = await startMailServer();
    const ledger = await startLedger({
      confirmation: {},
      mail: { smtp: mail.url, from: 'Salon Bella <hallo@salon-bella.example>' },
      confirmationLapseDays: 2 / 86_400,
      webhooks: { endpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }], salon: { name: 'Salon Bella' } },
    });
    try {
      const greta = consentEvent({ subject: { email: `greta-${Date.now()}@example.ch` } });
      const hugo = consentEvent({ subject: { email: `hugo-${Date.now()}@example.ch` } });
      await ledger.post('/v1/consent-events', greta, { origin: PAGE_ORIGIN });
      await ledger.post('/v1/consent-events', hugo, { origin: PAGE_ORIGIN });
      const mails = await mail.waitFor(2);
      const toGreta = mails.find((m) => m.to === greta.subject.email)!;
      assert.equal((await fetch(toGreta.link, { method: 'POST' })).status, 200);
      await receiver.until(
        () =>
          receiver.typesFor(greta.subject.email!).length === 2 && receiver.typesFor(hugo.subject.email!).length === 2,
      );
      assert.deepEqual(receiver.typesFor(greta.subject.email!), ['pending', 'granted']);
      assert.deepEqual(receiver.typesFor(hugo.subject.email!), ['pending', 'lapsed']);
      const pending = receiver.delivered.find((d) => d.event.data?.['address'] === hugo.subject.email)!;
      const lapsed = receiver.delivered.findLast((d) => d.event.data?.['address'] === hugo.subject.email)!;
      assert.equal(lapsed.event.time, pending.event.data?.['lapsesAt'], 'the lapse is sent for its time');
      assert.equal(lapsed.event.data?.['seq'], pending.event.data?.['seq'], 'and names the sign-up');
      assert.deepEqual(receiver.rejected, []);
    } finally {
      await ledger.close();
      await mail.close();
      await receiver.close();
    }
  });
});

describe('webhooks on the command line', () => {
  it('makes a secret, and refuses a plain-http endpoint or a missing secret before touching the data', async () => {
    const made = cli('webhook-secret');
    assert.equal(made.code, 0);
    assert.match(made.stdout.trim(), /^whsec_[A-Za-z0-9+/]{43}=$/);
    const data = await mkdtemp(join(tmpdir(), 'webhooks-cli-'));
    const plain = cli('serve', '--data', data, '--port', '0', '--webhook', 'http://tool.example/hook');
    assert.equal(plain.code, 2);
    assert.match(plain.output, /must use https/);
    const noSecret = cli('serve', '--data', data, '--port', '0', '--webhook', 'https://tool.example/hook');
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.output, /MARKETING_CONSENT_WEBHOOK_SECRET/);
    assert.deepEqual(await readdir(data), [], 'nothing written');
  });
});

describe('webhooks and suppressions on a platform', () => {
  it("a salon's own endpoint gets its events, signed with its own secret, and its tool's token posts suppressions there only", async () => {
    const data = await mkdtemp(join(tmpdir(), 'webhooks-platform-'));
    const where = ['--data', data];
    // The salon's tool knows only its salon's secret, made when the endpoint is set.
    const receiver = await startReceiver();
    const added = (id: string, name: string) =>
      cli(
        'salons',
        'add',
        id,
        ...where,
        '--salon',
        name,
        '--origin',
        PAGE_ORIGIN,
        '--single-opt-in',
        'email-newsletter',
      );
    assert.equal(added('bella', 'Salon Bella').code, 0);
    assert.equal(added('chic', 'Coiffure Chic').code, 0);
    const set = cli('salons', 'set', 'bella', ...where, '--webhook', receiver.url);
    assert.equal(set.code, 0, set.output);
    const secret = /shown once\):\n(whsec_\S+)/.exec(set.stdout)?.[1];
    assert.ok(secret, set.stdout);
    const again = cli('salons', 'set', 'bella', ...where, '--webhook', receiver.url);
    assert.ok(!again.stdout.includes('whsec_'), 'an endpoint it had keeps its secret');
    const tokenOut = cli('salons', 'new-integration-token', 'bella', ...where);
    const token = /can do nothing else:\n(\S+)/.exec(tokenOut.stdout)?.[1];
    assert.ok(token, tokenOut.stdout);
    receiver.verifyWith(secret);
    const platform = await servePlatform(...where);
    try {
      const anna = consentEvent();
      const ben = consentEvent();
      const post = (salon: string, event: unknown) =>
        fetch(`${platform.url}/salons/${salon}/v1/consent-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify(event),
        });
      assert.equal((await post('bella', anna)).status, 201);
      assert.equal((await post('chic', ben)).status, 201);
      const suppress = (salon: string) =>
        fetch(`${platform.url}/salons/${salon}/v1/integrations/suppressions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            address: salon === 'bella' ? anna.subject.email : ben.subject.email,
            kind: 'unsubscribe',
            source: 'Brevo',
            occurredAt: new Date().toISOString(),
            reference: 'r-1',
          }),
        });
      assert.equal((await suppress('chic')).status, 401, "bella's token opens nothing at chic");
      assert.equal((await suppress('bella')).status, 200);
      await receiver.until(() => receiver.typesFor(anna.subject.email!).length === 2);
      assert.deepEqual(receiver.typesFor(anna.subject.email!), ['granted', 'withdrawn']);
      assert.deepEqual(receiver.typesFor(ben.subject.email!), [], "chic's events go nowhere near bella's tool");
      const first = receiver.delivered[0]!;
      assert.equal(first.event.source, '/salons/bella');
      assert.deepEqual(first.event.data?.['salon'], { id: 'bella', name: 'Salon Bella' });
      assert.deepEqual(receiver.rejected, []);
    } finally {
      platform.child.kill('SIGTERM');
      await receiver.close();
    }
  });
});

describe('webhooks across a kill -9', () => {
  it('delivers an acknowledged record’s event after a restart, when the ledger died before the receiver answered', async () => {
    const receiver = await startReceiver();
    const data = await mkdtemp(join(tmpdir(), 'webhooks-kill-'));
    process.env['MARKETING_CONSENT_WEBHOOK_SECRET'] = WEBHOOK_SECRET;
    try {
      // The receiver takes the delivery and never answers: the ledger dies while it waits.
      receiver.answer('hang');
      const first = await serve('--data', data, '--webhook', receiver.url, '--origin', 'https://salon-bella.example');
      const fiona = consentEvent();
      const posted = await fetch(`${first.url}/v1/consent-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://salon-bella.example' },
        body: JSON.stringify(fiona),
      });
      assert.equal(posted.status, 201, 'acknowledged');
      await receiver.until(() => receiver.attempts.length >= 1);
      await killHard(first.child);

      receiver.answer('ok');
      const second = await serve('--data', data, '--webhook', receiver.url, '--origin', 'https://salon-bella.example');
      try {
        await receiver.until(() => receiver.typesFor(fiona.subject.email!).length === 1);
        assert.equal(receiver.delivered[0]!.webhookId, receiver.attempts[0], 'the same webhook-id as before the kill');
        assert.ok(!second.output().includes(fiona.subject.email!), 'no address in the log');
      } finally {
        second.child.kill('SIGTERM');
      }
    } finally {
      delete process.env['MARKETING_CONSENT_WEBHOOK_SECRET'];
      await receiver.close();
    }
  });
});
