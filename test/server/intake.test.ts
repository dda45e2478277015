import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { consentEvent, NOTICE_SHA256, PAGE_ORIGIN, startLedger, type Ledger } from './ledger-fixture.js';

const INTAKE = '/v1/consent-events';

describe('public intake', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  it('stores a consent and answers 201 with a receipt', async () => {
    const event = consentEvent();
    const response = await ledger.post(INTAKE, event, { origin: PAGE_ORIGIN });
    assert.equal(response.status, 201);
    const receipt = await response.json();
    assert.equal(receipt.id, event.id);
    assert.equal(typeof receipt.seq, 'number');
    assert.ok(Date.parse(receipt.receivedAt));
    assert.equal(response.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.equal(response.headers.get('access-control-expose-headers'), 'retry-after');
  });

  it('accepts the same JSON as text/plain (beacons, no preflight)', async () => {
    const response = await ledger.post(INTAKE, consentEvent(), { 'content-type': 'text/plain;charset=UTF-8' });
    assert.equal(response.status, 201);
  });

  it('answers a repeat of a stored id with the same receipt and stores nothing new', async () => {
    const event = consentEvent();
    const first = await (await ledger.post(INTAKE, event)).json();
    const before = await ledger.bytes();
    const repeat = await ledger.post(INTAKE, event);
    assert.equal(repeat.status, 200);
    assert.deepEqual(await repeat.json(), first);
    assert.deepEqual(await ledger.bytes(), before);
  });

  it('refuses the same id with other content (409) and keeps the first', async () => {
    const event = consentEvent();
    await ledger.post(INTAKE, event);
    const before = await ledger.bytes();
    const response = await ledger.post(INTAKE, { ...event, purposes: [{ purpose: 'sms-newsletter', granted: true }] });
    assert.equal(response.status, 409);
    assert.match((await response.json()).error, /already recorded with different content/);
    assert.deepEqual(await ledger.bytes(), before);
  });

  it('refuses pages from origins that are not configured', async () => {
    const response = await ledger.post(INTAKE, consentEvent(), { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${ledger.url}${INTAKE}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(preflight.status, 403);
    const allowed = await fetch(`${ledger.url}${INTAKE}`, { method: 'OPTIONS', headers: { origin: PAGE_ORIGIN } });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  });

  it('its OpenAPI description lists exactly the routes the app serves', async () => {
    const { createLedgerApp } = await import('../../src/server/app/ledger-app.js');
    const { buildOpenApi } = await import('../../src/server/app/openapi.js');
    const { JsonlLedgerStore } = await import('../../src/server/store/file/jsonl-ledger-store.js');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const store = await JsonlLedgerStore.open(await mkdtemp(join(tmpdir(), 'openapi-')));
    const app = createLedgerApp({ store, confirmation: { 'email-newsletter': 'none' } });
    const served = new Set(
      app.routes
        .filter((route) => ['GET', 'POST'].includes(route.method) && route.path.startsWith('/v1/'))
        .map((route) => `${route.method} ${route.path.replace(/\/\*$/, '')}`),
    );
    const paths = (await buildOpenApi(app)).paths as Record<string, Record<string, unknown>>;
    const described = new Set(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    assert.deepEqual(
      [...served].filter((route) => !described.has(route)),
      [],
      'served but not described',
    );
    assert.deepEqual(
      [...described].filter((route) => !served.has(route)),
      [],
      'described but not served',
    );
    await store.close();
  });

  it('serves its OpenAPI description', async () => {
    const response = await fetch(`${ledger.url}/v1/openapi.json`);
    const openapi = await response.json();
    assert.equal(openapi.openapi, '3.1.0');
    assert.ok(openapi.paths['/v1/consent-events'].post);
    assert.ok(openapi.components.schemas.ConsentEvent.properties.notice);
  });
});

describe('bad input gets a 4xx with a message and leaves the ledger byte-for-byte unchanged', () => {
  let ledger: Ledger;
  before(async () => {
    ledger = await startLedger({ maxBodyBytes: 16 * 1024 });
    await ledger.post(INTAKE, consentEvent());
  });
  after(() => ledger.close());

  const valid = consentEvent();
  const corpus: [string, string | unknown, Record<string, string>?, RegExp?][] = [
    ['malformed JSON', '{"schemaVersion": 1, "id": ', undefined, /not valid JSON/],
    ['an empty body', '', undefined, /not valid JSON/],
    ['JSON null', 'null', undefined, /invalid request/],
    ['an array', '[1,2,3]', undefined, /invalid request/],
    ['a number for the subject', { ...valid, subject: 42 }, undefined, /subject/],
    ['no subject identifier', { ...valid, subject: {} }, undefined, /at least one of email, phone or customerId/],
    ['an invalid e-mail', { ...valid, subject: { email: 'anna(at)example' } }, undefined, /subject\.email/],
    [
      'a string for granted',
      { ...valid, purposes: [{ purpose: 'email-newsletter', granted: 'yes' }] },
      undefined,
      /purposes\.0\.granted/,
    ],
    [
      'an unknown purpose',
      { ...valid, purposes: [{ purpose: 'fax-newsletter', granted: true }] },
      undefined,
      /unknown purpose fax-newsletter/,
    ],
    [
      'a purpose twice',
      { ...valid, purposes: [valid.purposes[0], valid.purposes[0]] },
      undefined,
      /same purpose twice/,
    ],
    [
      'SMS without a phone',
      { ...valid, subject: { email: 'a@example.ch' }, purposes: [{ purpose: 'sms-newsletter', granted: true }] },
      undefined,
      /sms-newsletter needs subject\.phone/,
    ],
    [
      'a withdrawal through the public intake',
      { ...valid, purposes: [{ purpose: 'email-newsletter', granted: false }] },
      undefined,
      /grants only/,
    ],
    ['an id that is no UUID', { ...valid, id: "1' OR '1'='1" }, undefined, /id/],
    [
      'a fingerprint that is no hex',
      { ...valid, notice: { ...valid.notice, sha256: '<script>alert(1)</script>' } },
      undefined,
      /notice\.sha256/,
    ],
    ['a method of staff', { ...valid, method: 'staff' }, undefined, /method/],
    [
      'a javascript: page URL',
      { ...valid, source: { ...valid.source, pageUrl: 'javascript:alert(1)' } },
      undefined,
      /source\.pageUrl/,
    ],
    ['a client time that is no date', { ...valid, clientTime: 'yesterday' }, undefined, /clientTime/],
    ['an unknown schema version', { ...valid, schemaVersion: 2 }, undefined, /schemaVersion/],
    ['a prototype-pollution key', `{"__proto__": {"admin": true}, "schemaVersion": 1}`, undefined, /invalid request/],
    [
      'a body over the size limit',
      { ...valid, notice: { ...valid.notice, text: 'x'.repeat(20_000) } },
      undefined,
      /larger than 16384 bytes/,
    ],
    [
      'form data',
      'email=a@example.ch',
      { 'content-type': 'application/x-www-form-urlencoded' },
      /content-type must be/,
    ],
    ['no content type', JSON.stringify(valid), { 'content-type': '' }, /content-type must be/],
  ];

  for (const [name, body, headers, message] of corpus) {
    it(`refuses ${name}`, async () => {
      const before = await ledger.bytes();
      const response = await ledger.post(INTAKE, body, headers);
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
      const answer = await response.json();
      assert.equal(typeof answer.error, 'string');
      if (message) assert.match(answer.error, message);
      assert.deepEqual(await ledger.bytes(), before);
    });
  }

  it('holds a chunked body (no declared length) to the same limit, and takes one within it', async () => {
    const sendChunked = (body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(`${ledger.url}${INTAKE}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, text }));
        });
        request.on('error', reject);
        // In pieces, as a client streaming its body would send it.
        for (let at = 0; at < body.length; at += 4096) request.write(body.slice(at, at + 4096));
        request.end();
      });
    const before = await ledger.bytes();
    const tooLarge = await sendChunked(
      JSON.stringify({ ...valid, id: randomUUID(), notice: { ...valid.notice, text: 'x'.repeat(20_000) } }),
    );
    assert.equal(tooLarge.status, 413);
    assert.match(JSON.parse(tooLarge.text).error, /larger than 16384 bytes/);
    assert.deepEqual(await ledger.bytes(), before);
    const fits = await sendChunked(JSON.stringify(consentEvent()));
    assert.equal(fits.status, 201, fits.text);
  });

  it('stores an event with a mismatching fingerprint, flagged', async () => {
    const event = consentEvent({
      notice: { ...valid.notice, sha256: NOTICE_SHA256.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
    });
    assert.equal((await ledger.post(INTAKE, event)).status, 201);
    const { entries } = await (await ledger.staff(`/v1/staff/history?email=${event.subject.email}`)).json();
    assert.deepEqual(entries[0].flags, ['fingerprint-mismatch']);
  });
});

describe('text register', () => {
  let ledger: Ledger;
  before(
    async () =>
      (ledger = await startLedger({ texts: [{ version: '2026-11-01', locale: 'de', sha256: NOTICE_SHA256 }] })),
  );
  after(() => ledger.close());

  const statusOf = async (email: string) =>
    (await (await ledger.staff(`/v1/staff/status?email=${email}`)).json()).purposes[0];

  it('records under the registered text carry no flag', async () => {
    const event = consentEvent();
    await ledger.post(INTAKE, event);
    assert.deepEqual((await statusOf(event.subject.email!)).flags, []);
  });

  it('an unknown version is stored, flagged, and the flag shows in the status', async () => {
    const event = consentEvent();
    event.notice.textVersion = '2025-01-01';
    assert.equal((await ledger.post(INTAKE, event)).status, 201);
    const status = await statusOf(event.subject.email!);
    assert.equal(status.state, 'granted');
    assert.deepEqual(status.flags, ['unregistered-text-version']);
  });

  it('a text that differs from the registered one is flagged', async () => {
    const text = `${consentEvent().notice.text} (edited)`;
    const { createHash } = await import('node:crypto');
    const event = consentEvent();
    event.notice = { ...event.notice, text, sha256: createHash('sha256').update(text).digest('hex') };
    await ledger.post(INTAKE, event);
    assert.deepEqual((await statusOf(event.subject.email!)).flags, ['text-differs-from-register']);
  });
});

describe('rate limit per client address', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger({ rateLimit: { perMinute: 6, burst: 3 } })));
  after(() => ledger.close());

  it('answers 429 with Retry-After beyond the burst, without storing', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await ledger.post(INTAKE, consentEvent())).status);
    assert.deepEqual(statuses, [201, 201, 201]);
    const before = await ledger.bytes();
    const limited = await ledger.post(INTAKE, consentEvent());
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.match((await limited.json()).error, /too many requests/);
    assert.deepEqual(await ledger.bytes(), before);
  });
});
