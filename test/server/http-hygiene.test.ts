import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import AjvModule from 'ajv-draft-04';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { consentEvent, PAGE_ORIGIN, startLedger, uniquePhone, type Ledger } from './ledger-fixture.js';
import { readSpecJson } from './specs.js';

const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

describe('headers on every answer', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  it('every response carries nosniff; every staff answer carries no-store', async () => {
    const event = consentEvent();
    const responses = [
      await ledger.post('/v1/consent-events', event),
      await ledger.post('/v1/consent-events', '{broken'),
      await fetch(`${ledger.url}/v1/health`),
      await fetch(`${ledger.url}/nowhere`),
      await fetch(`${ledger.url}/v1/unsubscribe?p=x`),
      await fetch(`${ledger.url}/v1/staff/status?email=x@example.ch`),
    ];
    for (const response of responses) assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    for (const path of [
      `/v1/staff/status?email=${event.subject.email}`,
      `/v1/staff/history?email=${event.subject.email}`,
      '/v1/staff/audience?purpose=email-newsletter',
      '/v1/staff/audience?purpose=email-newsletter&format=csv',
      `/v1/staff/proof?email=${event.subject.email}`,
      '/v1/staff/entries',
      '/v1/staff/status',
    ]) {
      const response = await ledger.staff(path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });
  it('every answer carries the security headers hono/secure-headers sets with these options, over Node and without it', async () => {
    // The library's own answer is the reference: the ledger sets the same headers before its handlers run.
    const reference = new Hono()
      .use(
        secureHeaders({
          contentSecurityPolicy: undefined,
          crossOriginResourcePolicy: false,
          crossOriginOpenerPolicy: false,
          xFrameOptions: 'SAMEORIGIN',
        }),
      )
      .get('/', (c) => c.body(null));
    const expected = [...(await reference.request('/')).headers].filter(([name]) => name !== 'content-type');
    assert.ok(expected.length >= 8, JSON.stringify(expected));
    const event = consentEvent();
    const answers: [string, Response][] = [
      ['intake 201', await ledger.post('/v1/consent-events', event, { origin: PAGE_ORIGIN })],
      ['intake 400', await ledger.post('/v1/consent-events', '{broken')],
      ['intake 413', await ledger.post('/v1/consent-events', 'x'.repeat(70_000))],
      [
        'preflight',
        await fetch(`${ledger.url}/v1/consent-events`, { method: 'OPTIONS', headers: { origin: PAGE_ORIGIN } }),
      ],
      ['health', await fetch(`${ledger.url}/v1/health`)],
      ['404', await fetch(`${ledger.url}/nowhere`)],
      ['unsubscribe page', await fetch(`${ledger.url}/v1/unsubscribe?p=x`)],
      ['staff 401', await fetch(`${ledger.url}/v1/staff/status?email=x@example.ch`)],
      ['staff CSV', await ledger.staff('/v1/staff/audience?purpose=email-newsletter&format=csv')],
      ['without Node', await ledger.app.request('/v1/consent-events', { method: 'POST', body: '{broken' })],
      ['without Node, 404', await ledger.app.request('/nowhere')],
    ];
    for (const [what, response] of answers) {
      for (const [name, value] of expected) assert.equal(response.headers.get(name), value, `${what}: ${name}`);
    }
    // The intake's CORS headers come with its answers too, and the preflight's.
    const [, posted] = answers[0]!;
    assert.equal(posted.status, 201);
    assert.equal(posted.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.equal(posted.headers.get('access-control-expose-headers'), 'retry-after');
    assert.equal(posted.headers.get('vary'), 'Origin');
    const [, preflight] = answers[3]!;
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('vary'), 'Origin, Access-Control-Request-Headers');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type');
  });
  it('the proof and unsubscribe pages get their styles: the style block is exactly what their CSP hash allows', async () => {
    const event = consentEvent();
    await ledger.post('/v1/consent-events', event);
    const url = await ledger.unsubscribeLink(event.subject.email!);
    for (const response of [
      await ledger.staff(`/v1/staff/proof?email=${event.subject.email}`),
      await fetch(url),
      await fetch(`${ledger.url}/v1/unsubscribe?p=x`),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      const styles = /<style>([\s\S]*?)<\/style>/.exec(await response.text())?.[1] ?? '';
      assert.ok(styles.includes('{'), `a style block on ${response.url}`);
      const hash = createHash('sha256').update(styles).digest('base64');
      assert.ok(
        csp.includes(`style-src 'sha256-${hash}'`),
        `${response.url}: the browser would drop its styles (${csp})`,
      );
    }
  });
});

describe('campaign CSV', () => {
  it('keeps E.164 numbers usable and still defuses formulas', async () => {
    const ledger = await startLedger();
    try {
      await ledger.post(
        '/v1/consent-events',
        consentEvent({
          subject: { phone: '079 123 45 67', customerId: '=HYPERLINK("http://evil")' },
          purposes: [{ purpose: 'sms-newsletter', granted: true }],
        }),
      );
      const csv = await (await ledger.staff('/v1/staff/audience?purpose=sms-newsletter&format=csv')).text();
      const row = csv.split('\r\n')[1]!;
      assert.ok(row.startsWith('+41791234567,'), row);
      assert.match(row, /,"'=HYPERLINK\(""http:\/\/evil""\)",/);
    } finally {
      await ledger.close();
    }
  });
});

describe('--trust-proxy', () => {
  const flood = async (ledger: Ledger, forwardedFor: string) => {
    let limited = 0;
    for (let i = 0; i < 4; i += 1) {
      const response = await ledger.post('/v1/consent-events', consentEvent(), { 'x-forwarded-for': forwardedFor });
      if (response.status === 429) limited += 1;
    }
    return limited;
  };

  it('behind one proxy, customers get their own rate-limit buckets', async () => {
    const ledger = await startLedger({ rateLimit: { perMinute: 1, burst: 2 }, trustProxy: 1 });
    try {
      assert.equal(await flood(ledger, '203.0.113.7'), 2, 'one customer is limited');
      assert.equal(await flood(ledger, '198.51.100.9'), 2, 'another customer has a bucket of their own');
    } finally {
      await ledger.close();
    }
  });

  it('without it, a forged X-Forwarded-For buys no fresh bucket', async () => {
    const ledger = await startLedger({ rateLimit: { perMinute: 1, burst: 2 } });
    try {
      assert.equal(await flood(ledger, '203.0.113.7'), 2);
      assert.equal(await flood(ledger, '198.51.100.9'), 4);
    } finally {
      await ledger.close();
    }
  });

  it('the link pages anyone can open are rate-limited too', async () => {
    const ledger = await startLedger({ rateLimit: { perMinute: 1, burst: 2 } });
    try {
      for (const path of ['/v1/unsubscribe?p=x', '/v1/confirm?p=x']) {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await fetch(`${ledger.url}${path}`)).status);
        assert.deepEqual(statuses.slice(-2), [429, 429], path);
      }
    } finally {
      await ledger.close();
    }
  });

  it('with a list of proxy addresses, a client cannot name itself by prepending addresses', async () => {
    const ledger = await startLedger({ rateLimit: { perMinute: 1, burst: 2 }, trustProxy: ['127.0.0.1'] });
    try {
      assert.equal(await flood(ledger, '203.0.113.7'), 2);
      // The client claims another address before the one the proxy saw: still the same bucket.
      assert.equal(await flood(ledger, '198.51.100.9, 203.0.113.7'), 4);
    } finally {
      await ledger.close();
    }
  });
});

describe('proofs', () => {
  it('Kantara receipts pass the Kantara Consent Receipt v1.1 JSON Schema', async () => {
    const schema = (await readSpecJson('kantara-consent-receipt-v1_1-schema.json')) as object;
    const validate = new (AjvModule as unknown as typeof AjvModule.default)({ strict: false }).compile(schema);
    const ledger = await startLedger({
      controller: {
        name: 'Salon Bella',
        address: 'Bahnhofstrasse 1, 8001 Zürich',
        jurisdiction: 'CH',
        privacyUrl: 'https://salon-bella.example/datenschutz',
      },
    });
    try {
      const email = `kantara-${Math.random()}@example.ch`;
      const phone = uniquePhone();
      await ledger.post('/v1/consent-events', consentEvent({ subject: { email, phone } }));
      await ledger.staff(
        '/v1/staff/grants',
        json({
          subject: { email, phone },
          purposes: ['sms-newsletter'],
          staffName: 'Lea',
          evidence: 'form',
          customerAgreed: true,
        }),
      );
      await ledger.staff(
        '/v1/staff/withdrawals',
        json({ subject: { email }, purposes: ['email-newsletter'], staffName: 'Lea' }),
      );
      const proof = await (await ledger.staff(`/v1/staff/proof?email=${email}&format=json`)).json();
      assert.equal(proof.records.length, 3);
      for (const record of proof.records) {
        assert.ok(validate(record.kantara), JSON.stringify(validate.errors));
        assert.ok(record.kantara.policyUrl.startsWith('https://'));
      }
    } finally {
      await ledger.close();
    }
  });

  it('the printable proof is in the salon’s language, and the customer’s text carries its own lang', async () => {
    const ledger = await startLedger({ controller: { name: 'Salon Bella', jurisdiction: 'CH', locale: 'de' } });
    try {
      const event = consentEvent();
      await ledger.post('/v1/consent-events', { ...event, notice: { ...event.notice, locale: 'fr' } });
      const page = await (await ledger.staff(`/v1/staff/proof?email=${event.subject.email}`)).text();
      assert.match(page, /<html lang="de">/);
      assert.match(page, /Nachweis der Einwilligung in Werbung/);
      assert.match(page, /Newsletter per E-Mail: ERTEILT/);
      assert.match(page, /<blockquote lang="fr">/);
      assert.ok(page.includes(`E-Mail: ${event.subject.email}`), 'identifiers named in German');
      assert.doesNotMatch(page, /Proof of marketing consent|Received|Record id|email:/);
    } finally {
      await ledger.close();
    }
  });

  it('the unsubscribe page speaks the salon’s language when the link names none', async () => {
    const ledger = await startLedger({ controller: { name: 'Salon Bella', locale: 'it' } });
    try {
      const event = consentEvent();
      await ledger.post('/v1/consent-events', event);
      const url = await ledger.unsubscribeLink(event.subject.email!);
      const page = await (await fetch(url)).text();
      assert.match(page, /<html lang="it">/);
      assert.match(page, /Newsletter via e-mail/);
    } finally {
      await ledger.close();
    }
  });
});

describe('language tags from a link never reach an object’s prototype', () => {
  // Any case, any subtag: each is looked up as a language and must fall back to the salon's.
  const TAGS = [
    '__proto__',
    'constructor',
    'CONSTRUCTOR',
    'Constructor-CH',
    '__proto__-de',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ];

  it('GET and POST of the unsubscribe link answer in the salon’s language, record the withdrawal once and log nothing', async () => {
    const ledger = await startLedger({ controller: { name: 'Salon Bella', locale: 'fr' } });
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      for (const tag of TAGS) {
        const event = consentEvent();
        await ledger.post('/v1/consent-events', event);
        const url = new URL(await ledger.unsubscribeLink(event.subject.email!));
        url.searchParams.set('l', tag);
        const asked = await fetch(url);
        assert.equal(asked.status, 200, `GET with l=${tag}`);
        assert.match(await asked.text(), /<html lang="fr">[\s\S]*Newsletter par e-mail/);
        const done = await fetch(url, { method: 'POST' });
        assert.equal(done.status, 200, `POST with l=${tag}`);
        assert.match(await done.text(), /désinscription est enregistrée/);
        const again = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        assert.equal(again.status, 200);
        const { entries } = (await (await ledger.staff(`/v1/staff/history?email=${event.subject.email}`)).json()) as {
          entries: { event: { method: string } }[];
        };
        assert.equal(entries.filter((entry) => entry.event.method === 'unsubscribe-link').length, 1, `l=${tag}`);
        // An invalid link with the same tag is a 400 page, not a 500.
        const invalid = await fetch(`${ledger.url}/v1/unsubscribe?p=email-newsletter&l=${tag}`);
        assert.equal(invalid.status, 400);
        assert.match(await invalid.text(), /<html lang="fr">/);
      }
      assert.deepEqual(errors, []);
    } finally {
      console.error = originalError;
      await ledger.close();
    }
  });

  it('a purpose or language named like a prototype key is answered with 400 on the confirmation and proof links too', async () => {
    const ledger = await startLedger();
    try {
      for (const tag of TAGS) {
        for (const path of [`/v1/confirm?p=${tag}&l=${tag}`, `/v1/unsubscribe?p=${tag}&l=${tag}`]) {
          for (const method of ['GET', 'POST']) {
            const response = await fetch(`${ledger.url}${path}`, { method });
            assert.equal(response.status, 400, `${method} ${path}`);
          }
        }
        assert.equal((await fetch(`${ledger.url}/v1/proof?l=${tag}&email=a@example.ch`)).status, 403);
      }
    } finally {
      await ledger.close();
    }
  });
});

describe('the ledger’s pages keep out of search engines and have a structure to navigate', () => {
  it('proof, unsubscribe and confirmation pages: a main landmark, headings for their parts, noindex in the page and the header', async () => {
    const ledger = await startLedger();
    try {
      const event = consentEvent();
      await ledger.post('/v1/consent-events', event);
      await ledger.staff('/v1/staff/withdrawals', {
        method: 'POST',
        body: JSON.stringify({ subject: event.subject, purposes: ['email-newsletter'], staffName: 'Lea' }),
      });
      const proofLink = (await (
        await ledger.staff('/v1/staff/proof-links', {
          method: 'POST',
          body: JSON.stringify({ subject: event.subject }),
        })
      ).json()) as { url: string };
      const pages = [
        ['staff proof', await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(event.subject.email!)}`)],
        ['proof link', await fetch(proofLink.url)],
        ['unsubscribe page', await fetch(await ledger.unsubscribeLink(event.subject.email!))],
        ['invalid unsubscribe link', await fetch(`${ledger.url}/v1/unsubscribe?p=email-newsletter`)],
        ['invalid confirmation link', await fetch(`${ledger.url}/v1/confirm?g=x`)],
      ] as const;
      for (const [name, response] of pages) {
        assert.equal(response.headers.get('x-robots-tag'), 'noindex, nofollow', name);
        const page = await response.text();
        assert.match(page, /<meta name="robots" content="noindex, nofollow" \/>/, name);
        assert.equal(page.match(/<main>/g)?.length, 1, `${name}: one main landmark`);
        assert.match(page, /<h1>/, name);
      }
      const proof = await (
        await ledger.staff(`/v1/staff/proof?email=${encodeURIComponent(event.subject.email!)}`)
      ).text();
      assert.match(proof, /<h2>Records, oldest first<\/h2>/, 'the records have a heading of their own');
      assert.equal(proof.match(/<h3>#\d+ · /g)?.length, 2, 'each record is headed under it');
    } finally {
      await ledger.close();
    }
  });
});
