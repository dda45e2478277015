/**
 * The ledger mounted under a path of a salon's or platform's own server: in
 * Hono, in Express, and on a plain Node http server. Every link it makes
 * (unsubscribe, proof, double opt-in confirmation) keeps the mount path and
 * works when opened.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { createLedgerApp, type LedgerApp } from '../../src/server/app/ledger-app.js';
import { JsonlLedgerStore } from '../../src/server/store/file/jsonl-ledger-store.js';
import { consentEvent, LINK_SECRET, STAFF_TOKEN } from './ledger-fixture.js';
import { startMailbox as startMailServer, type Mailbox as MailServer } from '../../scripts/mailbox.mjs';

async function listen(listener: RequestListener | express.Express): Promise<{ base: string; server: Server }> {
  const server = createServer(listener as RequestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

/** The three ways of hosting, each putting the ledger under /consent. */
const HOSTINGS = {
  hono: (ledger: LedgerApp) => {
    const site = new Hono().get('/', (c) => c.text('the salon’s own site')).route('/consent', ledger);
    return listen(getRequestListener(site.fetch));
  },
  // Express strips the mount path from req.url; the ledger needs it back to make its links.
  express: (ledger: LedgerApp) => {
    const consent = getRequestListener(new Hono().route('/consent', ledger).fetch);
    const app = express();
    app.use('/consent', (req, res) => consent(Object.assign(req, { url: req.originalUrl }), res));
    app.get('/', (_req, res) => res.send('the salon’s own site'));
    return listen(app);
  },
  'node:http': (ledger: LedgerApp) => {
    const consent = getRequestListener(new Hono().route('/consent', ledger).fetch);
    return listen((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/consent/')) void consent(req, res);
      else res.writeHead(200).end('the salon’s own site');
    });
  },
};

describe('the ledger mounted under a path', () => {
  let mail: MailServer;
  before(async () => (mail = await startMailServer()));
  after(() => mail.close());

  for (const [hosting, host] of Object.entries(HOSTINGS)) {
    it(`${hosting}: intake, unsubscribe, proof and confirmation links all keep /consent and work`, async () => {
      const store = await JsonlLedgerStore.open(await mkdtemp(join(tmpdir(), 'mounted-')));
      const ledger = createLedgerApp({
        store,
        staffToken: STAFF_TOKEN,
        linkSecret: LINK_SECRET,
        rateLimit: false,
        controller: { name: 'Salon Bella', locale: 'de' },
        mail: { smtp: mail.url, from: 'Salon Bella <hallo@salon-bella.example>' },
      });
      const { base, server } = await host(ledger);
      try {
        const staff = (path: string, body: unknown) =>
          fetch(`${base}/consent${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const email = `mounted-${hosting.replace(':', '')}-${Date.now()}@example.ch`;
        const posted = await fetch(`${base}/consent/v1/consent-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(consentEvent({ subject: { email } })),
        });
        assert.equal(posted.status, 201, await posted.clone().text());

        const confirmation = (await mail.waitFor(mail.mails.length + 1)).find((m) => m.text.includes(email))!;
        assert.ok(confirmation.link.startsWith(`${base}/consent/v1/confirm?`), confirmation.link);
        assert.equal((await fetch(confirmation.link, { method: 'POST' })).status, 200);

        const { url: unsubscribe } = await (
          await staff('/v1/staff/unsubscribe-links', { purpose: 'email-newsletter', address: email })
        ).json();
        assert.ok(unsubscribe.startsWith(`${base}/consent/v1/unsubscribe?`), unsubscribe);
        assert.match(await (await fetch(unsubscribe)).text(), /Ja, abmelden/);

        const { url: proof } = await (await staff('/v1/staff/proof-links', { subject: { email } })).json();
        assert.ok(proof.startsWith(`${base}/consent/v1/proof?`), proof);
        const proofPage = await fetch(proof);
        assert.equal(proofPage.status, 200);
        assert.match(await proofPage.text(), /BESTÄTIGT \(Double-Opt-in\)/);

        // The host's own pages are untouched.
        assert.equal(await (await fetch(`${base}/`)).text(), 'the salon’s own site');
      } finally {
        await new Promise((resolve) => server.close(resolve));
        await ledger.close();
        await store.close();
      }
    });
  }

  it('a publicUrl that cannot make working links is refused at start, naming the fix', async () => {
    const store = await JsonlLedgerStore.open(await mkdtemp(join(tmpdir(), 'public-url-')));
    try {
      const options = { store, confirmation: { 'email-newsletter': 'none' as const } };
      for (const publicUrl of [
        'consent.salon-bella.ch',
        'https://salon.example/consent/v1',
        'https://salon.example/?x=1',
      ]) {
        assert.throws(
          () => createLedgerApp({ ...options, publicUrl }),
          /publicUrl .* is not where the ledger is reached/,
        );
      }
      assert.doesNotThrow(() => createLedgerApp({ ...options, publicUrl: 'https://salon.example/consent/' }));
    } finally {
      await store.close();
    }
  });
});
