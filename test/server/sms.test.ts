/**
 * SMS double opt-in and STOP against a real SMSC (the `smpp` package's
 * server, scripts/smsc.mjs), as the mail tests run a real SMTP server: the
 * ledger binds as a transceiver, the SMSC keeps what it submits and
 * delivers what customers' phones reply.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { consentEvent, PAGE_ORIGIN, startLedger, type Ledger } from './ledger-fixture.js';
import type { LedgerOptions } from '../../src/server/app/ledger-app.js';
import { cli, killHard, serve, servePlatform } from './cli-fixture.js';
import { startSmsc } from '../../scripts/smsc.mjs';
import { startReceiver, WEBHOOK_SECRET } from './webhook-receiver.js';
import { readReply } from '../../src/server/sms/sms-messages.js';
import { gsmSeptets, isGsm7, splitSms } from '../../src/server/sms/sms-segments.js';

type Smsc = Awaited<ReturnType<typeof startSmsc>>;
const SALON_NUMBER = '+41 44 555 01 01';
const SALON_E164 = '+41445550101';
const controller = { name: 'Salon Bella', jurisdiction: 'CH', locale: 'de' };

/** A unique Swiss mobile number, E.164. */
const newNumber = () => `+4179${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;

const smsGrant = (phone: string, locale = 'de') => {
  const event = consentEvent({ subject: { phone }, purposes: [{ purpose: 'sms-newsletter', granted: true }] });
  return { ...event, notice: { ...event.notice, locale } };
};

async function tick(ledger: Ledger, phone: string, locale = 'de') {
  const response = await ledger.post('/v1/consent-events', smsGrant(phone, locale), { origin: PAGE_ORIGIN });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

async function smsStatus(ledger: Ledger, phone: string) {
  const status = await (await ledger.staff(`/v1/staff/status?phone=${encodeURIComponent(phone)}`)).json();
  return status.purposes.find((p: { purpose: string }) => p.purpose === 'sms-newsletter');
}

async function audience(ledger: Ledger): Promise<string[]> {
  const body = await (await ledger.staff('/v1/staff/audience?purpose=sms-newsletter')).json();
  return body.recipients.map((r: { address: string }) => r.address);
}

/** Waits until the ledger's record of what happened shows (the SMSC has an SMS a moment before its record). */
async function until<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await read();
    if (holds(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never: ${what}`);
}

/** Waits until the ledger recorded the confirmation SMS to this number. */
const smsRecorded = (ledger: Ledger, phone: string) =>
  until(
    () => smsStatus(ledger, phone),
    (s) => s.addresses[0]?.confirmation?.mails.length === 1,
    'the SMS recorded',
  );

/** A ledger of its own bound to an SMSC of its own, for `body`; both closed after it. */
async function withSmsLedger(
  options: Partial<LedgerOptions>,
  body: (ledger: Ledger, smsc: Smsc) => Promise<void>,
  smscOptions: Parameters<typeof startSmsc>[0] = {},
): Promise<void> {
  const smsc = await startSmsc(smscOptions);
  const ledger = await startLedger({ controller, ...options, sms: { smppUrl: smsc.url, from: SALON_NUMBER } });
  try {
    await smsc.waitForBind();
    await body(ledger, smsc);
  } finally {
    await ledger.close();
    await smsc.close();
  }
}

const entryCount = async (ledger: Ledger) => (await ledger.bytes()).toString().trim().split('\n').length;

describe('SMS double opt-in and STOP over SMPP', () => {
  let smsc: Smsc;
  let ledger: Ledger;
  before(async () => {
    smsc = await startSmsc();
    ledger = await startLedger({
      controller,
      sms: { smppUrl: smsc.url, from: SALON_NUMBER, retryDelaysMs: [300, 300] },
    });
    await smsc.waitForBind();
  });
  after(async () => {
    await ledger.close();
    await smsc.close();
  });

  it('sends one confirmation SMS in the customer’s language; their JA-word confirms it and the proof shows both', async () => {
    const phone = newNumber();
    const receipt = await tick(ledger, phone, 'fr');
    assert.deepEqual(receipt.pendingConfirmation, ['sms-newsletter']);
    const sent = smsc.messages.length;
    await smsc.waitFor(sent + 1);
    const sms = smsc.messagesTo(phone).at(-1)!;
    assert.equal(sms.from, SALON_E164);
    assert.match(sms.text, /^Salon Bella : souhaitez-vous recevoir "Actualités par SMS" \? Répondez OUI\./);
    assert.match(sms.text, /STOP/);
    assert.equal(sms.parts, 1, 'fits one SMS');
    assert.ok(gsmSeptets(sms.text) <= 160 && isGsm7(sms.text));

    const pending = await smsRecorded(ledger, phone);
    assert.equal(pending.state, 'pending');
    assert.deepEqual(pending.addresses[0].confirmation.mails[0], {
      at: pending.addresses[0].confirmation.mails[0].at,
      outcome: 'sent',
      channel: 'sms',
      messageId: sms.messageIds.join(' '),
    });
    assert.deepEqual(await audience(ledger).then((list) => list.includes(phone)), false, 'not in the audience yet');

    assert.equal(await smsc.deliver(phone, SALON_E164, ' oui! '), 0, 'acknowledged once recorded');
    const granted = await smsStatus(ledger, phone);
    assert.equal(granted.state, 'granted');
    assert.equal(granted.optInLevel, 'confirmed');
    assert.equal(granted.addresses[0].confirmation.confirmedBy, 'sms-reply');
    assert.ok((await audience(ledger)).includes(phone));

    const proof = await (await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}&format=json`)).json();
    const methods = proof.records.map((r: { event: { method: string } }) => r.event.method);
    assert.deepEqual(methods, ['online-booking', 'confirmation-sms', 'double-opt-in']);
    const [, asked, confirmed] = proof.records;
    assert.equal(asked.event.sms.text, sms.text);
    assert.deepEqual(asked.event.messageIds, sms.messageIds);
    assert.equal(confirmed.event.mailId, asked.event.id);
    assert.equal(confirmed.event.reply.text, ' oui! ');
    assert.equal(confirmed.event.reply.from, phone);
    const page = await (await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}`)).text();
    assert.match(page, /BESTÄTIGUNGS-SMS VERSANDT/);
    assert.match(page, /Durch Antwort auf die SMS/);
    assert.ok(page.includes('<q> oui! </q>'), 'the reply as received');
  });

  it('a reply from another number changes nothing; a number the ledger does not know is not recorded at all', async () => {
    const phone = newNumber();
    await tick(ledger, phone);
    await smsRecorded(ledger, phone);
    const before = await entryCount(ledger);
    assert.equal(await smsc.deliver(newNumber(), SALON_E164, 'JA'), 0);
    assert.equal(await entryCount(ledger), before, 'nothing recorded for a stranger');

    // A customer the ledger knows, whose own sign-up is confirmed: their JA is kept and confirms nobody else.
    const other = newNumber();
    await ledger.staff('/v1/staff/grants', {
      method: 'POST',
      body: JSON.stringify({
        subject: { phone: other },
        purposes: ['sms-newsletter'],
        staffName: 'Lea Meier',
        evidence: 'Formular 12',
        customerAgreed: true,
      }),
    });
    const known = await entryCount(ledger);
    assert.equal(await smsc.deliver(other, SALON_E164, 'JA'), 0);
    assert.equal(await entryCount(ledger), known + 1, 'the known number’s SMS is on record');
    assert.equal((await smsStatus(ledger, phone)).state, 'pending');
    assert.ok(!(await audience(ledger)).includes(phone));
  });

  it('STOP at any later time withdraws, is acknowledged by one short SMS, and a second STOP sends nothing more', async () => {
    const phone = newNumber();
    await tick(ledger, phone, 'it');
    await smsRecorded(ledger, phone);
    await smsc.deliver(phone, SALON_E164, 'Si');
    assert.equal((await smsStatus(ledger, phone)).state, 'granted');

    const count = smsc.messagesTo(phone).length;
    assert.equal(await smsc.deliver(phone, SALON_E164, 'Arrêt, merci'), 0);
    const status = await smsStatus(ledger, phone);
    assert.equal(status.state, 'withdrawn');
    assert.equal(status.method, 'sms-reply');
    assert.ok(!(await audience(ledger)).includes(phone));
    await until(
      async () => smsc.messagesTo(phone).length,
      (n) => n === count + 1,
      'the acknowledgement',
    );
    const notice = smsc.messagesTo(phone).at(-1)!;
    assert.match(notice.text, /^Salon Bella: la disdetta di "Novità via SMS" è registrata\./);
    assert.equal(notice.parts, 1);

    assert.equal(await smsc.deliver(phone, SALON_E164, 'STOP'), 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(smsc.messagesTo(phone).length, count + 1, 'one acknowledgement only');
    const proof = await (await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}&format=json`)).json();
    const kinds = proof.records.map((r: { event: { method: string; kind?: string; reading?: string } }) =>
      [r.event.method, r.event.kind ?? r.event.reading].filter(Boolean).join(' '),
    );
    assert.deepEqual(kinds, [
      'online-booking',
      'confirmation-sms opt-in',
      'double-opt-in',
      'sms-reply stop',
      'confirmation-sms stop',
      'sms-reply stop',
    ]);
  });

  it('sends at most one confirmation SMS per number a day; the one SMS confirms the sign-up it asked about', async () => {
    const phone = newNumber();
    await tick(ledger, phone);
    await smsRecorded(ledger, phone);
    await tick(ledger, phone);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(smsc.messagesTo(phone).length, 1, 'the second tick sends nothing within the day');
    await smsc.deliver(phone, SALON_E164, 'ja');
    const status = await smsStatus(ledger, phone);
    assert.equal(status.state, 'granted');
    assert.equal(smsc.messagesTo(phone).length, 1);
  });

  it('an SMS the SMSC refuses is recorded as failed with its error and tried again', async () => {
    const phone = newNumber();
    smsc.setMode('refuse');
    try {
      await tick(ledger, phone);
      await until(
        () => smsStatus(ledger, phone),
        (s) => s.addresses[0]?.confirmation?.mails.length >= 1,
        'the refusal recorded',
      );
    } finally {
      smsc.setMode('accept');
    }
    const status = await until(
      () => smsStatus(ledger, phone),
      (s) => s.addresses[0]?.confirmation?.mails.some((m: { outcome: string }) => m.outcome === 'sent'),
      'the retry sent',
    );
    const [failed] = status.addresses[0].confirmation.mails;
    assert.equal(failed.outcome, 'failed');
    assert.match(failed.smscError, /refused part 1 \(status 0xb\)/);
    assert.equal(smsc.messagesTo(phone).length, 1);
  });

  it('texts no number outside the salon’s countries (SMS pumping): such a sign-up is kept and gets no SMS', async () => {
    const brazil = '+55 11 91234 5678';
    const before = smsc.messages.length;
    await tick(ledger, brazil);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(smsc.messages.length, before);
    const status = await smsStatus(ledger, brazil);
    assert.equal(status.state, 'pending');
    assert.deepEqual(status.addresses[0].confirmation.mails, []);
  });

  it('keeps every number out of the chain’s readable part', async () => {
    const phone = newNumber();
    await tick(ledger, phone);
    await smsRecorded(ledger, phone);
    await smsc.deliver(phone, SALON_E164, 'Ja bitte, aber nur Angebote');
    const bytes = (await ledger.bytes()).toString();
    assert.ok(!bytes.includes(phone.slice(1)), 'the number is sealed');
    assert.ok(!bytes.includes('nur Angebote'), 'the customer’s own words are sealed');
    const erased = await ledger.staff('/v1/staff/erasures', {
      method: 'POST',
      body: JSON.stringify({ subject: { phone }, reason: 'customer-request', staffName: 'Lea Meier' }),
    });
    assert.equal(erased.status, 201, await erased.text());
    const proof = await (await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}&format=json`)).json();
    assert.deepEqual(proof.records, []);
  });
});

describe('SMS and the salon’s other tools', () => {
  it('a confirmation and a STOP by SMS reach the webhooks as they happen', async () => {
    const receiver = await startReceiver();
    const webhooks = { endpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }], salon: { name: 'Salon Bella' } };
    try {
      await withSmsLedger({ webhooks }, async (ledger, smsc) => {
        const phone = newNumber();
        await tick(ledger, phone);
        await smsRecorded(ledger, phone);
        await smsc.deliver(phone, SALON_E164, 'JA');
        await receiver.until(() => receiver.typesFor(phone).length >= 2);
        await smsc.deliver(phone, SALON_E164, 'STOP');
        await receiver.until(() => receiver.typesFor(phone).length >= 3);
        assert.deepEqual(receiver.typesFor(phone), ['pending', 'granted', 'withdrawn']);
        assert.deepEqual(receiver.rejected, []);
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('SMS delivery receipts', () => {
  it('records whether the phone got each SMS, beside it in the proof and the customer’s history', async () => {
    await withSmsLedger(
      {},
      async (ledger, smsc) => {
        const reached = newNumber();
        const unreachable = newNumber();
        smsc.unreachable(unreachable);
        await tick(ledger, reached);
        await tick(ledger, unreachable);
        type Receipt = { event: { method: string; state: string; messageId: string; error?: string } };
        const receiptOf = async (phone: string): Promise<Receipt | undefined> => {
          const proof = await (
            await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}&format=json`)
          ).json();
          return (proof.records as Receipt[]).find((r) => r.event.method === 'sms-receipt');
        };
        const delivered = (await until(() => receiptOf(reached), Boolean, 'the receipt recorded'))!;
        const sent = smsc.messagesTo(reached)[0]!;
        assert.equal(delivered.event.state, 'DELIVRD');
        assert.equal(delivered.event.messageId, sent.messageIds[0]);
        const undelivered = (await until(() => receiptOf(unreachable), Boolean, 'the receipt recorded'))!;
        assert.equal(undelivered.event.state, 'UNDELIV');
        assert.equal(undelivered.event.error, '001');
        const page = await (await ledger.staff(`/v1/staff/proof?phone=${encodeURIComponent(unreachable)}`)).text();
        assert.match(page, /Neuigkeiten per SMS: SMS NICHT ZUGESTELLT \(UNDELIV\)/);
        // A receipt changes no decision: the sign-up still waits for its reply.
        assert.equal((await smsStatus(ledger, reached)).state, 'pending');
        assert.equal(await smsc.deliver(reached, SALON_E164, 'JA'), 0);
        assert.equal((await smsStatus(ledger, reached)).state, 'granted');
      },
      { receipts: true },
    );
  });
});

describe('SMS while the SMSC is down, and lapses', () => {
  it('waits while the SMSC is down (nothing is lost, no failed attempt), then sends as soon as it is back', async () => {
    await withSmsLedger({}, async (ledger, smsc) => {
      await smsc.stop();
      const phone = newNumber();
      await tick(ledger, phone);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const waiting = await smsStatus(ledger, phone);
      assert.equal(waiting.state, 'pending');
      assert.deepEqual(waiting.addresses[0].confirmation.mails, [], 'no attempt while the SMSC is unreachable');
      await smsc.restart();
      await smsc.waitFor(1, 15_000);
      assert.equal(smsc.messagesTo(phone).length, 1);
      await smsc.waitForBind();
      await smsRecorded(ledger, phone);
      assert.equal(await smsc.deliver(phone, SALON_E164, 'JA'), 0);
      assert.equal((await smsStatus(ledger, phone)).state, 'granted');
    });
  });

  it('a STOP whose acknowledgement the SMSC refused is acknowledged after a restart of the ledger', async () => {
    const smsc = await startSmsc();
    const settings = { controller, sms: { smppUrl: smsc.url, from: SALON_NUMBER, retryDelaysMs: [1500, 1500] } };
    const first = await startLedger(settings);
    const phone = newNumber();
    try {
      await smsc.waitForBind();
      await tick(first, phone);
      await smsRecorded(first, phone);
      smsc.setMode('refuse');
      assert.equal(await smsc.deliver(phone, SALON_E164, 'STOP'), 0);
      await until(
        async () =>
          (await (await first.staff(`/v1/staff/proof?phone=${encodeURIComponent(phone)}&format=json`)).json()).records,
        (records: { event: { method: string; kind?: string } }[]) =>
          records.some((r) => r.event.method === 'confirmation-sms' && r.event.kind === 'stop'),
        'the refused acknowledgement recorded',
      );
    } finally {
      await first.close();
    }
    smsc.setMode('accept');
    const second = await startLedger(settings, { dataDir: first.dataDir });
    try {
      await until(
        async () => smsc.messagesTo(phone).length,
        (n) => n === 2,
        'the acknowledgement after the restart',
      );
      assert.match(smsc.messagesTo(phone)[1]!.text, /abgemeldet/);
      assert.equal((await smsStatus(second, phone)).state, 'withdrawn');
    } finally {
      await second.close();
      await smsc.close();
    }
  });

  it('a sign-up nobody confirms lapses, and a late JA confirms nothing', async () => {
    // A lapse of about a second and a half.
    await withSmsLedger({ confirmationLapseDays: 1.5 / 86_400 }, async (ledger, smsc) => {
      const phone = newNumber();
      await tick(ledger, phone);
      await smsc.waitFor(1);
      await until(
        () => smsStatus(ledger, phone),
        (s) => s.addresses[0]?.confirmation?.state === 'lapsed',
        'the lapse',
      );
      assert.equal(await smsc.deliver(phone, SALON_E164, 'JA'), 0);
      const status = await smsStatus(ledger, phone);
      assert.notEqual(status.state, 'granted');
      assert.equal(status.addresses[0].confirmation.state, 'lapsed');
      assert.ok(!(await audience(ledger)).includes(phone));
    });
  });
});

describe('SMS on a platform of many salons', () => {
  it('one session for all salons: each sends from its own number, and a reply reaches the salon it was sent to, opened for it', async () => {
    const smsc = await startSmsc();
    const data = await mkdtemp(join(tmpdir(), 'sms-platform-'));
    const add = (id: string, name: string, number: string, locale: string) => {
      const added = cli(
        'salons',
        'add',
        id,
        '--data',
        data,
        '--salon',
        name,
        '--locale',
        locale,
        '--origin',
        PAGE_ORIGIN,
        '--single-opt-in',
        'email-newsletter',
        '--sms-from',
        number,
      );
      assert.equal(added.code, 0, added.output);
      return /shown once[^\n]*\n(\S+)/.exec(added.stdout)![1]!;
    };
    const tokens = {
      bella: add('bella', 'Salon Bella', '+41 44 555 01 01', 'de'),
      chic: add('chic', 'Coiffure Chic', '+41 22 555 02 02', 'fr'),
    };
    const wrong = cli('salons', 'set', 'chic', '--data', data, '--sms-from', 'Chic');
    assert.equal(wrong.code, 2);
    assert.match(wrong.output, /cannot receive replies/);
    const taken = cli('salons', 'set', 'chic', '--data', data, '--sms-from', '+41445550101');
    assert.equal(taken.code, 2);
    assert.match(taken.output, /is salon bella's number: each salon needs a number of its own/);
    // Idle salons close after 0.6 s: a reply must open its salon again.
    const platform = await servePlatform('--data', data, '--smpp-url', smsc.url, '--salon-idle-minutes', '0.01');
    const status = async (id: 'bella' | 'chic', phone: string) => {
      const response = await fetch(`${platform.url}/salons/${id}/v1/staff/status?phone=${encodeURIComponent(phone)}`, {
        headers: { authorization: `Bearer ${tokens[id]}` },
      });
      return (await response.json()).purposes.find((p: { purpose: string }) => p.purpose === 'sms-newsletter');
    };
    const book = async (id: string, phone: string, locale: string) => {
      const response = await fetch(`${platform.url}/salons/${id}/v1/consent-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
        body: JSON.stringify(smsGrant(phone, locale)),
      });
      assert.equal(response.status, 201, await response.text());
    };
    try {
      await smsc.waitForBind();
      // One customer of both salons, and one of Chic only.
      const both = newNumber();
      const chicOnly = newNumber();
      await book('bella', both, 'de');
      await book('chic', both, 'fr');
      await book('chic', chicOnly, 'fr');
      await smsc.waitFor(3);
      const from = (phone: string) =>
        smsc
          .messagesTo(phone)
          .map((sms) => `${sms.from} ${sms.text.split(':')[0]}`)
          .sort();
      assert.deepEqual(from(both), ['+41225550202 Coiffure Chic ', '+41445550101 Salon Bella']);
      assert.deepEqual(from(chicOnly), ['+41225550202 Coiffure Chic ']);
      await until(
        () => status('chic', chicOnly),
        (s) => s.addresses[0]?.confirmation?.mails.length === 1,
        'Chic’s SMS recorded',
      );
      await until(
        () => status('chic', both),
        (s) => s.addresses[0]?.confirmation?.mails.length === 1,
        'Chic’s SMS recorded',
      );
      await until(
        () => status('bella', both),
        (s) => s.addresses[0]?.confirmation?.mails.length === 1,
        'Bella’s SMS recorded',
      );

      // JA to Bella's number confirms at Bella only.
      assert.equal(await smsc.deliver(both, '+41445550101', 'JA'), 0);
      assert.equal((await status('bella', both)).state, 'granted');
      assert.equal((await status('chic', both)).state, 'pending');

      // Both salons closed once idle; a reply to Chic's number opens Chic again and is recorded there.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(await smsc.deliver(chicOnly, '+41225550202', 'oui'), 0);
      assert.equal((await status('chic', chicOnly)).state, 'granted');
      assert.equal(await smsc.deliver(both, '+41225550202', 'STOP'), 0);
      assert.equal((await status('chic', both)).state, 'withdrawn');
      assert.equal((await status('bella', both)).state, 'granted', 'a STOP to Chic leaves Bella’s consent');
      // A reply to a number no salon has is acknowledged and changes nothing.
      assert.equal(await smsc.deliver(chicOnly, '+41995550909', 'STOP'), 0);
      assert.equal((await status('chic', chicOnly)).state, 'granted');
      assert.ok(!platform.output().includes(both.slice(1)), 'no number in the log');
    } finally {
      await killHard(platform.child);
      await smsc.close();
    }
  });
});

describe('SMS settings', () => {
  it('the command line names what is missing or cannot work, and starts with --smpp-url and --sms-from', async () => {
    const smsc = await startSmsc();
    const data = await mkdtemp(join(tmpdir(), 'sms-cli-'));
    const refused = (flags: string[], why: RegExp) => {
      const run = cli('serve', '--data', data, '--salon', 'Salon Bella', ...flags);
      assert.equal(run.code, 2, run.output);
      assert.match(run.output, why);
    };
    try {
      refused(['--smpp-url', smsc.url], /--sms-from is missing/);
      refused(
        ['--smpp-url', smsc.url, '--sms-from', 'SalonBella'],
        /cannot receive replies: give the salon's number in international form/,
      );
      refused(['--smpp-url', 'http://x', '--sms-from', SALON_NUMBER], /--smpp-url starts with http:/);
      refused(
        ['--smpp-url', smsc.url, '--sms-from', SALON_NUMBER, '--sms-countries', 'CH,Schweiz'],
        /--sms-countries: "SCHWEIZ" is not a country code/,
      );
      const platform = cli('serve', '--salons', '--data', data, '--smpp-url', smsc.url, '--sms-from', SALON_NUMBER);
      assert.equal(platform.code, 2);
      assert.match(platform.output, /--sms-from is each salon's own when serving --salons/);

      const running = await serve(
        '--data',
        data,
        '--salon',
        'Salon Bella',
        '--smpp-url',
        smsc.url,
        '--sms-from',
        SALON_NUMBER,
      );
      try {
        await smsc.waitForBind();
        assert.ok(!running.output().includes('secret'), 'the password is not logged');
      } finally {
        await killHard(running.child);
      }
    } finally {
      await smsc.close();
    }
  });
});

describe('how SMS are read and cut', () => {
  it('reads STOP words anywhere, a confirmation only alone', () => {
    for (const text of ['STOP', 'stop', 'Stopp', 'ABMELDEN', 'Arrêt', 'ARRET', 'alt', 'Bitte STOP', 'stop.']) {
      assert.equal(readReply(text), 'stop', text);
    }
    for (const text of ['JA', 'ja', 'Oui!', 'sì', 'SI', 'yes', ' Yes. '])
      assert.equal(readReply(text), 'confirm', text);
    for (const text of ['Ja gerne', 'Wann habt ihr offen?', '', 'Ich bin zu alt', 'jaja']) {
      assert.equal(readReply(text), 'other', text);
    }
  });

  it('any text is cut into parts that join back to it, each within what one SMS carries', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'ä', '€', '{', 'Ł', '😀', ' ', 'é', '\n'), maxLength: 400 }),
        (text) => {
          const { encoding, texts } = splitSms(text);
          assert.equal(texts.join(''), text);
          assert.equal(encoding, isGsm7(text) ? 'gsm7' : 'ucs2');
          const size = (part: string) => (encoding === 'gsm7' ? gsmSeptets(part) : part.length);
          if (texts.length === 1) assert.ok(size(text) <= (encoding === 'gsm7' ? 160 : 70));
          else for (const part of texts) assert.ok(size(part) <= (encoding === 'gsm7' ? 153 : 67) && part.length > 0);
          // A surrogate pair is never cut.
          for (const part of texts) assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(part));
        },
      ),
    );
  });
});
