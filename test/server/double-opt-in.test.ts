/**
 * Double opt-in against a real SMTP server: the ledger mails the link, the
 * customer's click (a POST) makes the grant count, and nothing else does.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import AjvModule from 'ajv-draft-04';
import { after, before, describe, it } from 'node:test';
import { createLedgerApp } from '../../src/server/app/ledger-app.js';
import { JsonlLedgerStore } from '../../src/server/store/file/jsonl-ledger-store.js';
import { consentEvent, NOTICE_SHA256, NOTICE_TEXT, PAGE_ORIGIN, startLedger, type Ledger } from './ledger-fixture.js';
import { freePort } from '../../scripts/free-port.mjs';
import { startMailbox as startMailServer, type Mailbox as MailServer } from '../../scripts/mailbox.mjs';
import { readSpecJson } from './specs.js';

const FROM = 'Salon Bella <hallo@salon-bella.example>';
const doubleOptIn = (mail: MailServer | string, extra: object = {}) => ({
  confirmation: {},
  mail: { smtp: typeof mail === 'string' ? mail : mail.url, from: FROM, ...extra },
});
const emailGrant = (email: string, locale = 'de') => {
  const event = consentEvent({ subject: { email } });
  return { ...event, notice: { ...event.notice, locale } };
};
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.ch`;

async function statusOf(ledger: Ledger, email: string) {
  const status = await (await ledger.staff(`/v1/staff/status?email=${encodeURIComponent(email)}`)).json();
  return status.purposes.find((p: { purpose: string }) => p.purpose === 'email-newsletter');
}
/** The mail server has the mail a moment before the ledger has recorded it: wait for the record. */
async function mailRecorded(ledger: Ledger, email: string, count = 1) {
  for (let i = 0; i < 100; i += 1) {
    const status = await statusOf(ledger, email);
    if ((status.addresses[0]?.confirmation?.mails.length ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the ledger never recorded mail ${count} to ${email}`);
}
async function audience(ledger: Ledger): Promise<string[]> {
  const body = await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json();
  return body.recipients.map((r: { address: string }) => r.address);
}
const post = (url: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers });

describe('double opt-in', () => {
  let mail: MailServer;
  let ledger: Ledger;
  before(async () => {
    mail = await startMailServer();
    ledger = await startLedger({
      ...doubleOptIn(mail),
      controller: { name: 'Salon Bella', address: 'Bahnhofstrasse 1, 8001 Zürich', jurisdiction: 'CH', locale: 'de' },
      // The salon's register: only texts it vouches for are quoted in the mail.
      texts: ['de', 'fr', 'it'].map((locale) => ({ version: '2026-11-01', locale, sha256: NOTICE_SHA256 })),
    });
  });
  after(async () => {
    await ledger.close();
    await mail.close();
  });

  it('a tick alone waits; the mail in the customer’s language carries the link; the click puts the address in', async () => {
    const email = unique('Claire');
    const grant = emailGrant(email, 'fr');
    const response = await ledger.post('/v1/consent-events', grant, { origin: PAGE_ORIGIN });
    assert.equal(response.status, 201);
    assert.deepEqual((await response.json()).pendingConfirmation, ['email-newsletter']);
    assert.equal((await statusOf(ledger, email)).state, 'pending');
    assert.ok(!(await audience(ledger)).includes(email), 'not in the audience before the click');

    const [received] = (await mail.waitFor(mail.mails.length + 1)).slice(-1);
    assert.equal(received!.to, email);
    assert.match(received!.subject, /Merci de confirmer : Newsletter par e-mail de Salon Bella/);
    assert.match(received!.text, /version 2026-11-01/);
    assert.match(received!.text, /> Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten\./);
    assert.doesNotMatch(received!.text, /https:\/\/salon-bella\.example\/datenschutz/, 'no link but the confirmation');
    assert.ok(received!.link.startsWith(`${ledger.url}/v1/confirm?`), received!.link);

    // A mail scanner opens the link: a page with a button, nothing recorded.
    await mailRecorded(ledger, email);
    const before = await ledger.bytes();
    const page = await fetch(received!.link);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<form method="post">[\s\S]*<button type="submit">Oui, confirmer<\/button>/);
    assert.deepEqual(await ledger.bytes(), before);
    assert.equal((await statusOf(ledger, email)).state, 'pending');

    const confirmed = await post(received!.link, { 'user-agent': 'Mozilla/5.0 (test customer)' });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /Merci ! Vous recevrez/);
    const status = await statusOf(ledger, email);
    assert.equal(status.state, 'granted');
    assert.equal(status.optInLevel, 'confirmed');
    assert.equal(status.addresses[0].confirmation.state, 'confirmed');
    assert.equal(status.addresses[0].confirmation.mails[0].messageId, received!.messageId);
    assert.ok((await audience(ledger)).includes(email));

    // The proof's chain: the tick, the mail (as sent, link signature left out), the click.
    const { entries } = await (await ledger.staff(`/v1/staff/history?email=${encodeURIComponent(email)}`)).json();
    const [tick, sent, click] = entries.map((entry: { event: unknown }) => entry.event);
    assert.equal(tick.id, grant.id);
    assert.equal(sent.method, 'confirmation-mail');
    assert.equal(sent.grantId, grant.id);
    assert.equal(sent.outcome, 'sent');
    assert.equal(sent.messageId, received!.messageId);
    assert.equal(sent.mail.text, received!.text.replace(/sig=[A-Za-z0-9_-]+/, 'sig=…'));
    assert.equal(click.method, 'double-opt-in');
    assert.equal(click.grantId, grant.id);
    assert.equal(click.mailId, sent.id);
    assert.equal(click.userAgent, 'Mozilla/5.0 (test customer)');
    assert.equal(click.clientAddress, undefined, 'no client address unless configured');

    // The printable proof shows the chain: tick → mail (text, SHA-256, Message-ID) → click.
    const proofPage = await (await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}`)).text();
    const order = ['Newsletter per E-Mail: ERTEILT', 'BESTÄTIGUNGS-E-MAIL VERSANDT', 'BESTÄTIGT (Double-Opt-in)'];
    const positions = order.map((heading) => proofPage.indexOf(heading));
    assert.ok(
      positions.every((at, i) => at > 0 && (i === 0 || at > positions[i - 1]!)),
      JSON.stringify(positions),
    );
    assert.ok(proofPage.includes(sent.mail.sha256));
    assert.ok(proofPage.includes(received!.messageId.replace(/</g, '&lt;').replace(/>/g, '&gt;')));
    assert.ok(!proofPage.includes(new URL(received!.link).searchParams.get('sig')!), 'no usable link in the proof');
    const proof = await (await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(email)}&format=json`)).json();
    const receipts = proof.records.map(
      (r: { kantara?: { services: { purposes: { granted: boolean }[] }[] } }) =>
        r.kantara?.services[0]?.purposes[0]?.granted,
    );
    assert.deepEqual(receipts, [true, undefined, true], 'receipts for the tick and the click, none for the mail');
    const schema = (await readSpecJson('kantara-consent-receipt-v1_1-schema.json')) as object;
    const validate = new (AjvModule as unknown as typeof AjvModule.default)({ strict: false }).compile(schema);
    const clickReceipt = proof.records[2].kantara as { policyUrl: string; language: string };
    assert.ok(validate(clickReceipt), JSON.stringify(validate.errors));
    assert.equal(clickReceipt.policyUrl, 'https://salon-bella.example/datenschutz', 'the confirmed grant’s notice');
    assert.equal(clickReceipt.language, 'fr');
  });

  it('a used, forged or edited link shows a clear page and records nothing', async () => {
    const email = unique('reuse');
    await ledger.post('/v1/consent-events', emailGrant(email), { origin: PAGE_ORIGIN });
    const [received] = (await mail.waitFor(mail.mails.length + 1)).slice(-1);
    assert.equal((await post(received!.link)).status, 200);
    const before = await ledger.bytes();
    const again = await post(received!.link);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /bereits bestätigt/);
    const forged = received!.link.replace(/sig=[^&]+/, 'sig=' + 'A'.repeat(43));
    const forgedPage = await post(forged);
    assert.equal(forgedPage.status, 400);
    assert.match(await forgedPage.text(), /ungültig oder unvollständig\. Es wurde nichts gespeichert/);
    const longer = received!.link.replace(/e=\d+/, 'e=9999999999');
    assert.equal((await post(longer)).status, 400);
    assert.equal((await post(`${ledger.url}/v1/confirm`)).status, 400);
    assert.deepEqual(await ledger.bytes(), before);
  });

  it('a forged post cannot put its own words into the salon’s mail: only a registered text is quoted', async () => {
    const email = unique('injected');
    const event = emailGrant(email);
    const text = 'Gewinnspiel! Jetzt Preis abholen: https://evil.example/preis';
    const digest = createHash('sha256').update(text).digest('hex');
    await ledger.post('/v1/consent-events', { ...event, notice: { ...event.notice, text, sha256: digest } });
    const [received] = (await mail.waitFor(mail.mails.length + 1)).slice(-1);
    assert.ok(received!.text.includes(email));
    assert.doesNotMatch(received!.text, /Gewinnspiel|evil\.example/);
    assert.match(
      received!.text,
      /Es gilt der Text, den der Salon auf seiner Buchungsseite veröffentlicht hat \(Version 2026-11-01\)\./,
    );
  });

  it('forged posts cost the address owner one mail and never put them in the audience', async () => {
    const email = unique('victim');
    const before = mail.mails.length;
    for (let i = 0; i < 5; i += 1) {
      const response = await ledger.post('/v1/consent-events', emailGrant(email));
      assert.equal(response.status, 201);
    }
    await mail.waitFor(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(mail.mails.filter((m) => m.text.includes(email)).length, 1);
    assert.equal((await statusOf(ledger, email)).state, 'pending');
    assert.ok(!(await audience(ledger)).includes(email));
  });

  it('a confirmed address needs no new mail for its next tick; a withdrawal needs a new confirmation', async () => {
    const email = unique('regular');
    await ledger.post('/v1/consent-events', emailGrant(email), { origin: PAGE_ORIGIN });
    const [first] = (await mail.waitFor(mail.mails.length + 1)).slice(-1);
    await post(first!.link);
    const count = mail.mails.length;
    const firstStatus = await statusOf(ledger, email);
    const again = await ledger.post('/v1/consent-events', emailGrant(email), { origin: PAGE_ORIGIN });
    // The same answer as for an unknown address: the receipt must not tell a stranger who subscribed.
    assert.deepEqual((await again.json()).pendingConfirmation, ['email-newsletter']);
    const status = await statusOf(ledger, email);
    assert.equal(status.state, 'granted');
    // The confirmed grant still decides: a later tick (perhaps forged) is only a repeat.
    assert.equal(status.eventId, firstStatus.eventId);
    assert.equal(status.optInLevel, 'confirmed');

    await ledger.staff('/v1/staff/withdrawals', {
      method: 'POST',
      body: JSON.stringify({ subject: { email }, purposes: ['email-newsletter'], staffName: 'Lea' }),
    });
    // The old link cannot bring the address back.
    const before = await ledger.bytes();
    const old = await post(first!.link);
    assert.equal(old.status, 409);
    assert.match(await old.text(), /inzwischen abgemeldet/);
    assert.deepEqual(await ledger.bytes(), before);
    assert.ok(!(await audience(ledger)).includes(email));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(mail.mails.length, count, 'no mail for a tick on an address confirmed before');
  });

  it('staff can send the mail again, not twice in a row', async () => {
    const email = unique('resend');
    await ledger.post('/v1/consent-events', emailGrant(email), { origin: PAGE_ORIGIN });
    await mail.waitFor(mail.mails.length + 1);
    const resend = () =>
      ledger.staff('/v1/staff/confirmation-mails', {
        method: 'POST',
        body: JSON.stringify({ purpose: 'email-newsletter', email, staffName: 'Lea Meier' }),
      });
    const tooSoon = await resend();
    assert.equal(tooSoon.status, 429);
    assert.ok(Number(tooSoon.headers.get('retry-after')) > 0);
    assert.match((await tooSoon.json()).error, /ask again in 15 min/);
    const nobody = await ledger.staff('/v1/staff/confirmation-mails', {
      method: 'POST',
      body: JSON.stringify({ purpose: 'email-newsletter', email: unique('nobody'), staffName: 'Lea' }),
    });
    assert.equal(nobody.status, 409);
  });
});

describe('double opt-in when mail goes wrong', () => {
  it('a refusing server is recorded with its reply and retried until the mail goes out', async () => {
    const mail = await startMailServer();
    mail.setMode('refuse');
    const ledger = await startLedger(doubleOptIn(mail, { retryDelaysMs: [200, 200, 200] }));
    try {
      const email = unique('refused');
      await ledger.post('/v1/consent-events', emailGrant(email));
      await new Promise((resolve) => setTimeout(resolve, 600));
      mail.setMode('accept');
      await mail.waitFor(1);
      const status = await statusOf(ledger, email);
      const outcomes = status.addresses[0].confirmation.mails.map((m: { outcome: string }) => m.outcome);
      assert.ok(outcomes.length >= 2, JSON.stringify(outcomes));
      assert.equal(outcomes.at(-1), 'sent');
      assert.match(status.addresses[0].confirmation.mails[0].smtpReply, /550 5\.1\.1 mailbox unavailable/);
    } finally {
      await ledger.close();
      await mail.close();
    }
  });

  it('a server that is down: the ledger answers at once, and after a restart the mail still goes out', async () => {
    // A port nothing listens on: an SMTP server that is down.
    const down = `smtp://127.0.0.1:${await freePort()}`;
    const first = await startLedger(doubleOptIn(down, { retryDelaysMs: [60_000] }));
    const email = unique('restart');
    const started = Date.now();
    const response = await first.post('/v1/consent-events', emailGrant(email));
    assert.equal(response.status, 201);
    assert.ok(Date.now() - started < 2000, 'the receipt does not wait for the mail');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const failed = (await statusOf(first, email)).addresses[0].confirmation.mails;
    assert.equal(failed[0]?.outcome, 'failed');
    assert.match(failed[0].smtpReply, /ECONNREFUSED/);
    await first.close();

    const mail = await startMailServer();
    const second = await startLedger(doubleOptIn(mail, { retryDelaysMs: [0] }), { dataDir: first.dataDir });
    try {
      // Without a configured public URL the links wait for the first request to show where the ledger is.
      await fetch(`${second.url}/v1/health`);
      const [received] = await mail.waitFor(1);
      assert.ok(received!.text.includes(email));
      assert.ok(received!.link.startsWith(`${second.url}/v1/confirm?`));
      await post(received!.link);
      assert.equal((await statusOf(second, email)).state, 'granted');
    } finally {
      await second.close();
      await mail.close();
    }
  });

  it('a slow server does not hold up the booking page', async () => {
    const mail = await startMailServer({ slowMs: 3000 });
    mail.setMode('slow');
    const ledger = await startLedger(doubleOptIn(mail));
    try {
      const started = Date.now();
      const responses = await Promise.all(
        [1, 2, 3].map((i) => ledger.post('/v1/consent-events', emailGrant(unique(`slow${i}`)))),
      );
      assert.deepEqual(
        responses.map((r) => r.status),
        [201, 201, 201],
      );
      assert.ok(Date.now() - started < 1500, `receipts took ${Date.now() - started} ms`);
      await mail.waitFor(3, 20_000);
    } finally {
      await ledger.close();
      await mail.close();
    }
  });

  it('an unconfirmed sign-up lapses: its link expires and it never reaches the audience', async () => {
    const mail = await startMailServer();
    const ledger = await startLedger({ ...doubleOptIn(mail), confirmationLapseDays: 1.5 / 86_400 });
    try {
      const email = unique('late');
      await ledger.post('/v1/consent-events', emailGrant(email, 'it'));
      const [received] = await mail.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const before = await ledger.bytes();
      const late = await post(received!.link);
      assert.equal(late.status, 410);
      assert.match(await late.text(), /scaduto/);
      assert.deepEqual(await ledger.bytes(), before);
      const status = await statusOf(ledger, email);
      assert.equal(status.state, 'never');
      assert.equal(status.addresses[0].confirmation.state, 'lapsed');
      const body = await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json();
      assert.equal(body.leftOut.unconfirmed, 1);
    } finally {
      await ledger.close();
      await mail.close();
    }
  });
});

describe('double opt-in evidence where the salon keeps client addresses', () => {
  it('records the address of the sign-up with the mail and the address of the click with the confirmation', async () => {
    const mail = await startMailServer();
    const ledger = await startLedger(doubleOptIn(mail, { recordClientAddress: true }));
    try {
      const email = unique('ip');
      await ledger.post('/v1/consent-events', emailGrant(email));
      const [received] = await mail.waitFor(1);
      await post(received!.link);
      const { entries } = await (await ledger.staff(`/v1/staff/history?email=${encodeURIComponent(email)}`)).json();
      assert.equal(entries[1].event.signUpClientAddress, '127.0.0.1');
      assert.equal(entries[2].event.clientAddress, '127.0.0.1');
    } finally {
      await ledger.close();
      await mail.close();
    }
  });
});

describe('double opt-in settings', () => {
  it('names the missing mail or SMS settings and the way out', async () => {
    const store = await JsonlLedgerStore.open(await (await import('node:fs/promises')).mkdtemp('/tmp/doi-'));
    try {
      assert.throws(
        () => createLedgerApp({ store, linkSecret: 'x'.repeat(40) }),
        /email-newsletter uses double opt-in.*--smtp-url and --mail-from.*--single-opt-in email-newsletter/,
      );
      assert.throws(
        () =>
          createLedgerApp({
            store,
            linkSecret: 'x'.repeat(40),
            controller: { name: 'Salon Bella' },
            confirmation: { 'sms-newsletter': 'double-opt-in' },
            mail: { smtp: 'smtp://127.0.0.1:1', from: FROM },
          }),
        /sms-newsletter uses double opt-in, which sends a confirmation SMS.*--smpp-url and --sms-from.*--single-opt-in sms-newsletter/,
      );
      assert.throws(
        () =>
          createLedgerApp({
            store,
            controller: { name: 'Salon Bella' },
            mail: { smtp: 'smtp://127.0.0.1:1', from: FROM },
          }),
        /linkSecret/,
      );
      assert.throws(
        () => createLedgerApp({ store, linkSecret: 'x'.repeat(40), mail: { smtp: 'smtp://127.0.0.1:1', from: FROM } }),
        /mails name the salon: give controller.name/,
      );
      assert.ok(NOTICE_TEXT.includes('Widerruf'));
    } finally {
      await store.close();
    }
  });
});
