// The demo: Salon Bella's booking page with <marketing-consent>, its consent
// ledger (embedded file store in .demo-data/), and a page listing what the
// ledger received. Everything is served under the strict
// Content-Security-Policy the widget promises to work with.
//
//   npm start                      → http://localhost:8080
//   PORT=9000 DATA_DIR=/tmp/x npm start
//   npm run demo:postgres          → the same on PostgreSQL (an embedded server; or DATABASE_URL=… npm start)
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { getCookie, setCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { freePort } from '../scripts/free-port.mjs';
import { startMailbox } from '../scripts/mailbox.mjs';
import { startSmsc } from '../scripts/smsc.mjs';
import { newsletterTool } from './newsletter-tool.mjs';
import {
  CheckpointSigner,
  createLedgerApp,
  verifyLedger,
  generateCheckpointKey,
  JsonlLedgerStore,
  PostgresLedgerStore,
  publishedTextsFromHtml,
} from '../dist/server/index.js';
import {
  confirmationHintFor,
  ERASURE_REASON_NAMES,
  plainText,
  RECORD_FLAG_NAMES,
  uiStringsFor,
} from '../dist/contract/index.js';
import { declareShadowRoots, MARKETING_CONSENT_STYLE_HASH } from '../dist/ssr.js';
import { consentElementsIn } from '../dist/page-markup/consent-elements.js';

// The salon's language: the back office, /received and proofs speak it.
const PURPOSE_NAMES = uiStringsFor('de').purposeLabels;
const METHOD_NAMES = {
  'online-booking': 'Online-Buchung',
  staff: 'vom Personal erfasst',
  'unsubscribe-link': 'Abmeldelink',
  'confirmation-mail': 'Bestätigungs-E-Mail (Double-Opt-in)',
  'double-opt-in': 'per Link in der Bestätigungs-E-Mail bestätigt',
  'confirmation-sms': 'SMS des Einwilligungsprotokolls an die Kundin / den Kunden',
  'sms-reply': 'SMS der Kundin / des Kunden an den Salon',
  'sms-receipt': 'Zustellbericht der SMS-Zentrale',
  suppression: 'vom Newsletter-Tool des Salons gemeldet',
  import: 'aus anderer Software übernommen',
  'front-desk': 'am Empfang unterschrieben',
  erasure: 'Löschung personenbezogener Daten',
};
/** The salon's number for SMS, which customers reply to. */
const SALON_SMS_NUMBER = '+41 44 555 01 01';
const formatTime = (iso) =>
  new Intl.DateTimeFormat('de-CH', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Zurich' }).format(
    new Date(iso),
  );

/** 8080 unless something else holds it (or PORT says otherwise): then a free port, printed at start. */
async function demoPort() {
  if (process.env.PORT) return Number(process.env.PORT);
  const probe = createServer();
  const taken = await new Promise((resolve) => {
    probe.once('error', () => resolve(true));
    probe.listen(8080, 'localhost', () => probe.close(() => resolve(false)));
  });
  return taken ? freePort() : 8080;
}
const port = await demoPort();
const dataDir = process.env.DATA_DIR ?? '.demo-data';

const CSP = [
  "default-src 'self'",
  // The booking page's element comes rendered on the server: its shadow root's <style>, by hash.
  `style-src 'self' ${MARKETING_CONSENT_STYLE_HASH}`,
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  // Lit is the only code that creates trusted HTML, for its templates.
  'trusted-types lit-html',
].join('; ');

/**
 * The key that signs the ledger's checkpoints, in a file of its own beside
 * the ledger (a real deployment keeps it off the ledger's disk; see the README).
 */
async function checkpointSigner() {
  const file = process.env.CHECKPOINT_KEY ?? `${dataDir}-checkpoint-key.pem`;
  let pem = await readFile(file, 'utf8').catch(() => undefined);
  if (!pem) {
    pem = generateCheckpointKey('salon-bella.demo/consent-ledger').privateKeyPem;
    await writeFile(file, pem, { mode: 0o600 });
  }
  return new CheckpointSigner('salon-bella.demo/consent-ledger', pem);
}
const signer = await checkpointSigner();
// The embedded file store, or PostgreSQL when DATABASE_URL names a database (npm run demo:postgres).
const databaseUrl = process.env.DATABASE_URL;
const store = databaseUrl
  ? await PostgresLedgerStore.open({ connectionString: databaseUrl, signer })
  : await JsonlLedgerStore.open(dataDir, { signer });
await mkdir(dataDir, { recursive: true });
const app = new Hono();

/**
 * The salon's register of published texts, read from the booking page itself
 * (its <template data-text> children), so the demo's records carry no
 * "unregistered text" flag unless the page's text really changes.
 */
async function publishedTexts() {
  const page = await readFile(new URL('./public/index.html', import.meta.url), 'utf8');
  const { texts, problems } = publishedTextsFromHtml(page);
  if (problems.length) throw new Error(`the booking page's texts: ${problems.join('; ')}`);
  return texts;
}

/** A secret kept with the demo's data, so unsubscribe links survive a restart. */
async function linkSecret() {
  const file = `${dataDir}/link-secret`;
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

// Compressed, as any salon's web server sends its pages and scripts (the sizes Lighthouse counts).
app.use('*', compress());
app.use('*', async (c, next) => {
  await next();
  // The ledger's own pages (proof, unsubscribe) bring a stricter CSP of their own.
  if (!c.res.headers.has('content-security-policy')) c.header('content-security-policy', CSP);
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'same-origin');
});

// The salon's mail server, embedded for the demo: a real SMTP server on a free
// port that keeps what it receives, shown on /mailbox. A real deployment gives
// the ledger its provider's SMTP URL instead.
const mailbox = await startMailbox({ keep: 100 });
// The salon's SMS operator, embedded for the demo: a real SMSC (SMPP) on a free port that keeps the SMS the
// ledger sends and delivers the customers' replies, shown and answered on /sms. A real deployment gives the
// ledger its operator's SMPP URL instead.
const smsc = await startSmsc({ receipts: true });

// The ledger, mounted where the booking page posts to (same origin here).
// The back office's key to the staff API; it never leaves this server.
const staffToken = randomBytes(32).toString('base64url');
// The salon's newsletter service, embedded for the demo at /newsletter-tool: the ledger sends it every change
// of a decision, signed; it sends back the unsubscribes made there.
const tool = await newsletterTool({ dataDir, page: (...args) => page(...args) });
const ledger = createLedgerApp({
  store,
  checkpointKeys: [signer.verifierKey],
  latestCheckpoint: () => store.lastCheckpoint,
  staffToken,
  texts: await publishedTexts(),
  linkSecret: await linkSecret(),
  publicUrl: `http://localhost:${port}/ledger`,
  // E-mail newsletter sign-ups count once the customer clicked the link in the mail (double opt-in).
  mail: { smtp: mailbox.url, from: 'Salon Bella <hallo@salon-bella.ch>' },
  // SMS newsletter sign-ups count once the customer replied JA to the SMS; STOP withdraws at any time.
  sms: { smppUrl: smsc.url, from: SALON_SMS_NUMBER },
  webhooks: {
    endpoints: [{ url: `http://localhost:${port}/newsletter-tool/webhook`, secret: tool.webhookSecret }],
    salon: { name: 'Salon Bella' },
  },
  integrations: { tokens: [tool.integrationToken] },
  controller: {
    name: 'Salon Bella',
    address: 'Bahnhofstrasse 1, 8001 Zürich',
    email: 'datenschutz@salon-bella.ch',
    jurisdiction: 'CH',
    locale: 'de',
    privacyUrl: `http://localhost:${port}/datenschutz`,
  },
});
app.route('/ledger', ledger);
tool.connect(ledger);
app.route('/', tool.app);

/** Calls the staff API as the back office's server side does, with the token. */
const staff = (path, init = {}) =>
  ledger.request(path, {
    ...init,
    headers: { ...init.headers, authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
  });

// A few customers of the salon's file, with consents recorded the way staff would.
const SEED_CUSTOMERS = [
  { name: 'Mia Rossi', email: 'mia.rossi@example.ch', phone: '+41 79 555 12 34' },
  { name: 'Lukas Meier', email: 'lukas.meier@example.ch', phone: '+41 78 222 33 44' },
  { name: 'Sophie Dubois', email: 'sophie.dubois@example.ch', phone: '+41 76 111 22 33' },
  { name: 'Marco Bianchi', email: 'marco.bianchi@example.ch', phone: '+41 79 444 55 66' },
];
/** Seeds an empty ledger; run once the demo listens, so the newsletter tool receives the seeds' webhooks. */
async function seedCustomers() {
  if ((await store.entries()).length > 0) return;
  const grant = (customer, purposes, evidence) =>
    staff('/v1/staff/grants', {
      method: 'POST',
      body: JSON.stringify({
        subject: { email: customer.email, phone: customer.phone },
        purposes,
        staffName: 'Lea Meier',
        evidence,
        customerAgreed: true,
      }),
    });
  await grant(SEED_CUSTOMERS[0], ['email-newsletter', 'sms-newsletter'], 'signed form, 2026-11-12, folder 3');
  await grant(SEED_CUSTOMERS[1], ['email-newsletter'], 'signed form, 2026-10-02, folder 2');
  await staff('/v1/staff/withdrawals', {
    method: 'POST',
    body: JSON.stringify({
      subject: { email: SEED_CUSTOMERS[1].email },
      purposes: ['email-newsletter'],
      staffName: 'Tom Keller',
      reason: 'asked at the counter',
    }),
  });
  await grant(SEED_CUSTOMERS[3], ['sms-newsletter'], 'signed form, 2026-11-18, folder 3');
}

// The booking itself is not this package's business; the demo keeps the
// last bookings in memory to show a confirmation page.
const bookings = new Map();
app.post('/book', async (c) => {
  const form = await c.req.formData();
  const id = randomUUID().slice(0, 8).toUpperCase();
  bookings.set(id, {
    service: form.get('service'),
    date: form.get('date'),
    time: form.get('time'),
    name: form.get('name'),
    email: form.get('email'),
    phone: form.get('phone'),
    lang: form.get('lang') ?? 'de',
    consent: form.getAll('marketing-consent'),
  });
  if (bookings.size > 200) bookings.delete(bookings.keys().next().value);
  return c.redirect(`/confirmation/${id}`, 303);
});

const CONFIRMATION = {
  de: {
    title: 'Termin gebucht',
    thanks: 'Vielen Dank, {name}! Wir freuen uns auf Sie.',
    newsletter: 'Newsletter-Einwilligung',
    none: 'keine (Sie erhalten keine Werbung)',
    back: 'Neuer Termin',
    mailbox: 'Demo: Die E-Mail liegt im Postfach der Demo.',
  },
  fr: {
    title: 'Rendez-vous réservé',
    thanks: 'Merci, {name} ! Nous nous réjouissons de vous voir.',
    newsletter: 'Consentement à la newsletter',
    none: 'aucun (vous ne recevrez pas de publicité)',
    back: 'Nouveau rendez-vous',
    mailbox: "Démo : l'e-mail se trouve dans la boîte de réception de la démo.",
  },
  it: {
    title: 'Appuntamento prenotato',
    thanks: 'Grazie, {name}! La aspettiamo.',
    newsletter: 'Consenso alla newsletter',
    none: 'nessuno (non riceverà pubblicità)',
    back: 'Nuovo appuntamento',
    mailbox: "Demo: l'e-mail si trova nella casella di posta della demo.",
  },
  en: {
    title: 'Appointment booked',
    thanks: 'Thank you, {name}! We look forward to seeing you.',
    newsletter: 'Newsletter consent',
    none: 'none (you will receive no marketing)',
    back: 'Book another',
    mailbox: 'Demo: the e-mail is in the demo’s mailbox.',
  },
};

const page = (lang, title, body) =>
  html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – Salon Bella</title>
        <link rel="stylesheet" href="/assets/styles.css" />
      </head>
      <body>
        <header class="site-header">
          <a href="/" class="brand">Salon Bella</a>
          <nav class="site-nav">
            <a href="/back-office">Verwaltung</a> <a href="/received">Einwilligungsprotokoll</a>
            <a href="/mailbox">Postfach</a> <a href="/sms">SMS</a> <a href="/newsletter-tool">Newsletter-Tool</a>
          </nav>
        </header>
        <main>${body}</main>
      </body>
    </html>`;

app.get('/confirmation/:id', (c) => {
  const booking = bookings.get(c.req.param('id'));
  if (!booking) return c.notFound();
  const t = CONFIRMATION[booking.lang] ?? CONFIRMATION.de;
  const names = uiStringsFor(booking.lang).purposeLabels;
  // Each entry reads "purpose;version=…;event=…" (see the README, "In a form").
  const consented = booking.consent.map((value) => names[value.split(';')[0]] ?? value.split(';')[0]);
  return c.html(
    page(
      booking.lang,
      t.title,
      html`<section class="card">
        <h1>${t.title}</h1>
        <p>${t.thanks.replace('{name}', booking.name ?? '')}</p>
        <dl class="facts">
          <dt>${booking.service}</dt>
          <dd>${booking.date} ${booking.time}</dd>
          <dt>${t.newsletter}</dt>
          <dd>${consented.length ? consented.join(', ') : t.none}</dd>
        </dl>
        ${
          // The e-mail newsletter counts once the customer confirmed by the mailed link (double opt-in).
          booking.consent.some((value) => value.startsWith('email-newsletter')) && booking.email
            ? html`<p><strong>${confirmationHintFor(booking.lang, booking.email)}</strong></p>
                <p class="hint"><a href="/mailbox">${t.mailbox}</a></p>`
            : ''
        }
        <p><a class="button" href="/?lang=${booking.lang}">${t.back}</a></p>
      </section>`,
    ),
  );
});

// The demo's back office: a session cookie stands in for a staff login; the
// page's elements call the staff API through this server, which adds the token.
const sessions = new Set();
const signedIn = (c) => sessions.has(getCookie(c, 'demo_session') ?? '');
app.get('/back-office', async (c) => {
  if (!signedIn(c)) {
    const session = randomBytes(24).toString('base64url');
    sessions.add(session);
    setCookie(c, 'demo_session', session, { httpOnly: true, sameSite: 'Strict', path: '/back-office' });
  }
  // The list comes filled, as the page's script fills it: nothing below it moves when the script runs.
  const items = customers().map(
    (customer) =>
      html`<li>
        <button type="button">${customer.name}<span>${customer.email}</span></button>
      </li>`,
  );
  const page = await readFile(new URL('./public/back-office.html', import.meta.url), 'utf8');
  return c.html(page.replace('<ul id="customer-list"></ul>', `<ul id="customer-list">${items.join('')}</ul>`));
});
// The front desk: the tablet the customer signs on, in the same session as the back office.
app.get('/back-office/front-desk', async (c) => {
  if (!signedIn(c)) return c.redirect('/back-office', 303);
  return c.html(await readFile(new URL('./public/front-desk.html', import.meta.url), 'utf8'));
});
// The booking page's own consent texts: what the customer reads at the desk is what they read online.
app.get('/back-office/front-desk/texts.json', (c) => {
  const [element] = consentElementsIn(bookingPageHtml);
  return c.json({
    salon: element.attributes.get('salon'),
    textVersion: element.attributes.get('text-version'),
    privacyUrl: element.attributes.get('privacy-url'),
    texts: element.texts,
  });
});
/** The salon's customers: the demo's regulars and whoever booked, each e-mail once. */
function customers() {
  const booked = [...bookings.values()].map(({ name, email, phone }) => ({ name, email, phone }));
  const all = [...SEED_CUSTOMERS, ...booked].filter((customer) => customer.email);
  return [...new Map(all.map((customer) => [String(customer.email).toLowerCase(), customer])).values()];
}
app.get('/back-office/customers.json', (c) => {
  if (!signedIn(c)) return c.json({ error: 'sign in again: open /back-office' }, 401);
  return c.json({ customers: customers() });
});
app.all('/back-office/api/*', async (c) => {
  if (!signedIn(c)) return c.json({ error: 'sign in again: open /back-office' }, 401);
  const url = new URL(c.req.url);
  const path = url.pathname.replace(/^\/back-office\/api/, '') + url.search;
  if (!path.startsWith('/v1/staff/')) return c.json({ error: 'only the staff API is available here' }, 404);
  const body = ['GET', 'HEAD'].includes(c.req.method) ? undefined : await c.req.text();
  return staff(path, { method: c.req.method, body });
});

// What reached the demo's mail server, newest first: where a customer finds the confirmation mail.
app.get('/mailbox', (c) => {
  const linked = (text) =>
    text.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 ? html`<a href="${part}">${part}</a>` : part));
  const rows = [...mailbox.mails].reverse().map(
    (mail) =>
      html`<article class="record mail">
        <h2>${mail.subject}</h2>
        <dl class="facts">
          <dt>Von</dt>
          <dd>${mail.from}</dd>
          <dt>An</dt>
          <dd>${mail.to}</dd>
          <dt>Empfangen</dt>
          <dd><time datetime="${mail.at}">${mail.at}</time></dd>
          <dt>Message-ID</dt>
          <dd><code>${mail.messageId}</code></dd>
        </dl>
        <pre class="notice-text">${linked(mail.text)}</pre>
      </article>`,
  );
  return c.html(
    page(
      'de',
      'Postfach',
      html`<section class="card">
          <h1>Postfach</h1>
          <p>
            ${mailbox.mails.length} ${mailbox.mails.length === 1 ? 'E-Mail' : 'E-Mails'} an den Mailserver der Demo
            (<code>${mailbox.url}</code>). So sehen Kundinnen und Kunden die Bestätigungs-E-Mail.
          </p>
          <p class="hint">Eine Demo-Seite: Echte E-Mails gehen über den SMTP-Server des Salons an die Kundschaft.</p>
        </section>
        ${rows}`,
    ),
  );
});

// The customers' phones, as the demo's SMSC sees them: every SMS the ledger sent, newest first, each with a
// reply form. A reply goes to the ledger as the operator would deliver it (deliver_sm) and comes back here.
app.get('/sms', (c) => {
  const conversation = [
    ...smsc.messages.map((sms) => ({ ...sms, way: 'out' })),
    ...smsc.replies.map((reply) => ({ ...reply, way: 'in' })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const phones = [...new Set(smsc.messages.map((sms) => sms.to).reverse())];
  const rows = conversation.map((sms) =>
    sms.way === 'out'
      ? html`<article class="record sms" data-to="${sms.to}">
          <h2>SMS an ${sms.to}</h2>
          <dl class="facts">
            <dt>Von</dt>
            <dd>${sms.from}</dd>
            <dt>Empfangen</dt>
            <dd><time datetime="${sms.at}">${formatTime(sms.at)}</time></dd>
            <dt>Message-ID</dt>
            <dd><code>${sms.messageIds.join(' ')}</code>${sms.parts > 1 ? ` (${sms.parts} Teile)` : ''}</dd>
          </dl>
          <p class="sms-text">${sms.text}</p>
        </article>`
      : html`<article class="record sms reply">
          <h2>Antwort von ${sms.from}</h2>
          <dl class="facts">
            <dt>An</dt>
            <dd>${sms.to}</dd>
            <dt>Gesendet</dt>
            <dd><time datetime="${sms.at}">${formatTime(sms.at)}</time></dd>
            <dt>Protokoll</dt>
            <dd>${sms.status === 0 ? 'erfasst und bestätigt' : `nicht erfasst (Status ${sms.status})`}</dd>
          </dl>
          <p class="sms-text">${sms.text}</p>
        </article>`,
  );
  const sent = c.req.query('sent');
  return c.html(
    page(
      'de',
      'SMS',
      html`<section class="card">
          <h1>SMS</h1>
          <p>
            ${smsc.messages.length} SMS an die SMS-Zentrale der Demo (SMPP, <code>127.0.0.1:${smsc.port}</code>), vom
            Salon mit der Nummer ${SALON_SMS_NUMBER}. So sehen Kundinnen und Kunden die Bestätigungs-SMS.
          </p>
          <p class="hint">
            Eine Demo-Seite: Echte SMS gehen über die SMS-Zentrale des Anbieters an die Kundschaft. Antworten Sie hier
            an Stelle eines Telefons.
          </p>
          ${sent ? html`<p class="ok" role="status">Antwort an den Salon gesendet: «${sent}»</p>` : ''}
          ${
            phones.length
              ? html`<form method="post" action="/sms/reply" class="sms-reply">
                  <label
                    >Antwort vom Telefon
                    <select name="from">
                      ${phones.map((phone) => html`<option>${phone}</option>`)}
                    </select>
                  </label>
                  <label>Text <input name="text" value="JA" maxlength="160" required /></label>
                  <button class="button" type="submit">Antwort senden</button>
                </form>`
              : html`<p>Noch keine SMS. Kreuzen Sie auf der <a href="/">Buchungsseite</a> «Neuigkeiten per SMS» an.</p>`
          }
        </section>
        ${rows}`,
    ),
  );
});
app.post('/sms/reply', async (c) => {
  const form = await c.req.formData();
  const from = String(form.get('from') ?? '');
  const text = String(form.get('text') ?? '').slice(0, 160);
  if (!smsc.messages.some((sms) => sms.to === from)) return c.text('unknown phone', 400);
  await smsc.deliver(from, SALON_SMS_NUMBER.replace(/\s/g, ''), text);
  return c.redirect(`/sms?sent=${encodeURIComponent(text)}`, 303);
});

// What the ledger holds, newest first: the salon's proof, in a demo dress.
app.get('/received', async (c) => {
  const entries = await store.entries();
  // Every stored byte checked, as verify does.
  const broken = verifyLedger(await store.storedLines()).problems[0];
  const rows = entries
    .slice()
    .reverse()
    .map((entry) => {
      const record = entry.event;
      // An erased record keeps its public part: what was decided, when, under which text; not who.
      const online = record.method === 'online-booking' && !entry.erased;
      const who = entry.erased
        ? `Personenbezogene Daten gelöscht am ${formatTime(entry.erased.at)} (#${entry.erased.seq})`
        : record.method === 'erasure'
          ? `Löschung: ${ERASURE_REASON_NAMES.de[record.reason]}`
          : record.method === 'history-accepted'
            ? `Verlauf wie vorgefunden übernommen von ${record.operator.name}`
            : (record.subject.email ?? record.subject.phone ?? record.subject.customerId);
      return html`<article class="record" data-event-id="${record.id}" data-method="${record.method}">
        <h2>#${entry.seq} · ${who}</h2>
        <dl class="facts">
          <dt>${record.method === 'erasure' ? 'Gelöscht' : 'Zwecke'}</dt>
          <dd>
            ${
              record.method === 'erasure'
                ? `Einträge ${record.erasedSeqs.map((seq) => `#${seq}`).join(', ')}${record.staff ? ` · von ${record.staff.name}` : ' · nach Aufbewahrungsfrist'}`
                : record.purpose
                  ? PURPOSE_NAMES[record.purpose]
                  : record.purposes
                      .map((p) => `${PURPOSE_NAMES[p.purpose] ?? p.purpose}: ${p.granted ? 'erteilt' : 'widerrufen'}`)
                      .join(', ')
            }
          </dd>
          <dt>Eingegangen</dt>
          <dd>
            <time datetime="${entry.receivedAt}">${entry.receivedAt}</time
            >${online ? ` (Uhr der Kundin / des Kunden: ${record.clientTime})` : ''}
          </dd>
          <dt>Wie</dt>
          <dd>
            ${METHOD_NAMES[record.method]}${online ? ` auf ${record.source.pageUrl}` : ''}${record.method === 'staff' ? ` von ${record.staff.name}` : ''}
          </dd>
          ${
            record.method === 'staff' && record.staff.evidence
              ? html`<dt>Nachweis</dt>
                  <dd>${record.staff.evidence}</dd>`
              : ''
          }
          ${
            record.method === 'confirmation-mail'
              ? html`<dt>Versand</dt>
                  <dd>
                    ${record.outcome === 'sent' ? `versandt, Message-ID ${record.messageId}` : `fehlgeschlagen: ${record.smtpReply}`}
                  </dd>`
              : ''
          }
          ${
            record.method === 'confirmation-sms'
              ? html`<dt>Versand</dt>
                  <dd>
                    ${record.outcome === 'sent' ? `versandt, Message-ID ${record.messageIds.join(' ')}` : `fehlgeschlagen: ${record.smscError}`}
                  </dd>`
              : ''
          }
          ${
            record.reply && !entry.erased
              ? html`<dt>Antwort per SMS</dt>
                  <dd>«${record.reply.text}»</dd>`
              : ''
          }
          ${
            record.method === 'staff' && record.reason
              ? html`<dt>Grund</dt>
                  <dd>${record.reason}</dd>`
              : ''
          }
          ${
            online
              ? html`<dt>Text</dt>
                  <dd>
                    Version ${record.notice.textVersion}, Sprache ${record.notice.locale}, SHA-256
                    <code>${record.notice.sha256.slice(0, 16)}…</code>
                  </dd>`
              : ''
          }
          ${
            entry.flags.length
              ? html`<dt>Hinweise</dt>
                  <dd class="bad">${entry.flags.map((flag) => RECORD_FLAG_NAMES.de[flag]).join('; ')}</dd>`
              : ''
          }
          <dt>Eintrags-ID</dt>
          <dd><code>${record.id}</code></dd>
        </dl>
        ${
          online
            ? html`<details>
                <summary>Text, den die Kundin / der Kunde sah</summary>
                <pre class="notice-text" lang="${record.notice.locale}">${plainText(record.notice.text)}</pre>
              </details>`
            : ''
        }
      </article>`;
    });
  return c.html(
    page(
      'de',
      'Einwilligungsprotokoll',
      html`<section class="card">
          <h1>Eingegangene Einwilligungen</h1>
          <p>
            ${entries.length} ${entries.length === 1 ? 'Eintrag' : 'Einträge'} in
            ${databaseUrl ? 'PostgreSQL' : html`<code>${dataDir}/ledger.jsonl</code>`}. Hash-Kette:
            ${broken ? raw('<strong class="bad">gebrochen</strong>') : raw('<strong class="ok">intakt</strong>')}
            ${broken ?? ''}
          </p>
          <p class="hint">Eine Demo-Seite: Ein echtes Protokoll zeigt dies nur angemeldetem Personal.</p>
        </section>
        ${rows}`,
    ),
  );
});

app.get('/favicon.ico', (c) => c.body(null, 204));
// The booking page as a server sends it, in the language asked for (?lang=, as its language switch sets it):
// the element's boxes rendered in, so nothing moves when its script arrives.
const bookingPageHtml = await readFile(new URL('./public/index.html', import.meta.url), 'utf8');
const bookingPages = Object.fromEntries(
  ['de', 'fr', 'it', 'en'].map((lang) => [
    lang,
    declareShadowRoots(bookingPageHtml.replace('<html lang="de">', `<html lang="${lang}">`)),
  ]),
);
app.get('/', (c) => c.html(bookingPages[c.req.query('lang')] ?? bookingPages.de));
app.get('/datenschutz', serveStatic({ path: './demo/public/datenschutz.html' }));
app.use(
  '/assets/*',
  serveStatic({ root: './demo/public', rewriteRequestPath: (path) => path.replace(/^\/assets/, '') }),
);
app.use('/dist/*', serveStatic({ root: './' }));

const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? 'localhost' }, async (info) => {
  await seedCustomers();
  console.log(
    `Salon Bella demo: http://localhost:${info.port}/  (back office: /back-office, records: /received, mailbox: /mailbox, SMS: /sms, newsletter tool: /newsletter-tool, data in ${databaseUrl ? 'PostgreSQL' : `${dataDir}/`})`,
  );
});
// The ledger's background work (mails, webhooks) ends before its store closes.
const stop = () =>
  server.close(() =>
    ledger
      .close()
      .then(() => store.close())
      .then(() => smsc.close())
      .then(() => process.exit(0)),
  );
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
