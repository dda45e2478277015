/**
 * What must happen once happens once, however many requests arrive at the
 * same moment: mail providers send RFC 8058 one-click unsubscribes in
 * parallel and retry them, customers double-click confirmation buttons, two
 * staff members erase the same customer. On the file store, on PostgreSQL,
 * and on two processes sharing one PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ConsentEvent } from '../../src/contract/consent-event.js';
import type { ChainEntry } from '../../src/server/store/ledger-store.js';
import { startMailbox, type Mailbox } from '../../scripts/mailbox.mjs';
import { killHard, serve } from './cli-fixture.js';
import { consentEvent, LINK_SECRET, PAGE_ORIGIN, STAFF_TOKEN, startLedger, type Ledger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(stopPostgres);

const AT_ONCE = 20;
const ONE_CLICK = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'List-Unsubscribe=One-Click',
};
const staffHeaders = { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' };

/** Every entry of the ledger at `url`, through the staff API. */
async function entriesAt(url: string): Promise<ChainEntry[]> {
  const response = await fetch(`${url}/v1/staff/entries`, { headers: staffHeaders });
  return ((await response.json()) as { entries: ChainEntry[] }).entries;
}
const withMethod = (entries: ChainEntry[], method: string) =>
  entries.filter((entry) => (entry.event as { method?: string }).method === method);

/** A signed unsubscribe link for an address, from the ledger at `url`. */
async function unsubscribeLink(url: string, address: string): Promise<string> {
  const response = await fetch(`${url}/v1/staff/unsubscribe-links`, {
    method: 'POST',
    headers: staffHeaders,
    body: JSON.stringify({ purpose: 'email-newsletter', address }),
  });
  return ((await response.json()) as { url: string }).url;
}

/** Records `event` as the booking page does. */
const book = (url: string, event: ConsentEvent) =>
  fetch(`${url}/v1/consent-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
    body: JSON.stringify(event),
  });

/** `AT_ONCE` requests at once, spread over the processes serving the ledger; their statuses. */
async function atOnce(urls: string[], request: (url: string, index: number) => Promise<Response>) {
  const responses = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => request(urls[i % urls.length]!, i)));
  return responses.map((response) => response.status);
}

/** The checks every setup runs: `urls` are the processes serving one ledger. */
function onceChecks(setup: () => Promise<{ urls: string[]; close: () => Promise<void> }>) {
  it(`${AT_ONCE} one-click unsubscribes of one link at once record one withdrawal, and all are answered 200`, async () => {
    const { urls, close } = await setup();
    try {
      const event = consentEvent();
      await book(urls[0]!, event);
      const link = new URL(await unsubscribeLink(urls[0]!, event.subject.email!));
      const statuses = await atOnce(urls, (url) => fetch(`${url}${link.pathname}${link.search}`, ONE_CLICK));
      assert.deepEqual(new Set(statuses), new Set([200]));
      assert.equal(withMethod(await entriesAt(urls[0]!), 'unsubscribe-link').length, 1);
      // A later grant and a later unsubscribe are a new decision, recorded again.
      await book(urls[0]!, consentEvent({ subject: event.subject }));
      await atOnce(urls, (url) => fetch(`${url}${link.pathname}${link.search}`, ONE_CLICK));
      assert.equal(withMethod(await entriesAt(urls[0]!), 'unsubscribe-link').length, 2);
    } finally {
      await close();
    }
  });

  it(`${AT_ONCE} erasures of one customer at once write one erasure; every answer says the data is gone`, async () => {
    const { urls, close } = await setup();
    try {
      const event = consentEvent();
      await book(urls[0]!, event);
      const statuses = await atOnce(urls, (url, i) =>
        fetch(`${url}/v1/staff/erasures`, {
          method: 'POST',
          headers: staffHeaders,
          body: JSON.stringify({ subject: event.subject, staffName: `Lea ${i % 2}`, reason: 'customer-request' }),
        }),
      );
      assert.ok(statuses.includes(201), String(statuses));
      assert.ok(
        statuses.every((status) => status === 201 || status === 404),
        String(statuses),
      );
      assert.equal(withMethod(await entriesAt(urls[0]!), 'erasure').length, 1);
    } finally {
      await close();
    }
  });
}

describe('once, however many at once: the file store', () => {
  onceChecks(async () => {
    const ledger = await startLedger();
    return { urls: [ledger.url], close: () => ledger.close() };
  });
});

describe('once, however many at once: PostgreSQL', () => {
  onceChecks(async () => {
    const ledger = await startLedger({}, { databaseUrl: await freshDatabase() });
    return { urls: [ledger.url], close: () => ledger.close() };
  });
});

describe('once, however many at once: two processes on one PostgreSQL database', () => {
  onceChecks(async () => {
    const url = await freshDatabase();
    // Both sign and check the links with one secret, as a platform's processes do.
    process.env['MARKETING_CONSENT_LINK_SECRET'] = LINK_SECRET;
    const processes = await Promise.all([
      serve('--database-url', url, '--origin', PAGE_ORIGIN),
      serve('--database-url', url, '--origin', PAGE_ORIGIN),
    ]);
    delete process.env['MARKETING_CONSENT_LINK_SECRET'];
    return {
      urls: processes.map((process) => process.url),
      close: async () => void (await Promise.all(processes.map(({ child }) => killHard(child)))),
    };
  });
});

describe('once, however many at once: double opt-in', () => {
  const setups: [string, () => Promise<string | undefined>][] = [
    ['the file store', async () => undefined],
    ['PostgreSQL', () => freshDatabase()],
  ];
  for (const [name, database] of setups) {
    it(`on ${name}: ${AT_ONCE} clicks on one confirmation link at once record one confirmation; ${AT_ONCE} resends at once send one mail`, async () => {
      const mailbox: Mailbox = await startMailbox();
      const databaseUrl = await database();
      const ledger: Ledger = await startLedger(
        {
          confirmation: {},
          mail: { smtp: mailbox.url, from: 'Salon Bella <hallo@salon-bella.example>', resendAfterMs: 1_000 },
        },
        databaseUrl ? { databaseUrl } : {},
      );
      try {
        const event = consentEvent();
        await ledger.post('/v1/consent-events', event, { origin: PAGE_ORIGIN });
        const [mail] = await mailbox.waitFor(1);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const resends = await atOnce([ledger.url], (url) =>
          fetch(`${url}/v1/staff/confirmation-mails`, {
            method: 'POST',
            headers: staffHeaders,
            body: JSON.stringify({ purpose: 'email-newsletter', email: event.subject.email, staffName: 'Lea' }),
          }),
        );
        assert.equal(resends.filter((status) => status === 201).length, 1, String(resends));
        assert.equal(resends.filter((status) => status === 429).length, AT_ONCE - 1, String(resends));
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(mailbox.mails.length, 2, 'the first mail and one resend');
        assert.equal(withMethod(await entriesAt(ledger.url), 'confirmation-mail').length, 2);

        const clicks = await atOnce([ledger.url], (url) => {
          const link = new URL(mail!.link);
          return fetch(`${url}${link.pathname}${link.search}`, {
            method: 'POST',
            headers: { 'user-agent': `mail-${Math.random()}` },
          });
        });
        assert.deepEqual(new Set(clicks), new Set([200]));
        assert.equal(withMethod(await entriesAt(ledger.url), 'double-opt-in').length, 1);
      } finally {
        await ledger.close();
        await mailbox.close();
      }
    });
  }
});
