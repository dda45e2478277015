/**
 * The OpenAPI document is the contract: every operation it lists is driven
 * with generated requests (valid ones made from the ledger's own data, and
 * broken ones: missing or malformed parameters and bodies, wrong content
 * types, bodies too large, no or wrong tokens, floods), and every answer the
 * server gives must be one the document declares, with a body its schema
 * accepts. As a client generated from the document would see the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { startMailbox, type Mailbox } from '../../scripts/mailbox.mjs';
import {
  consentEvent,
  NOTICE_SHA256,
  NOTICE_TEXT,
  PAGE_ORIGIN,
  STAFF_TOKEN,
  startLedger,
  uniquePhone,
  type Ledger,
} from './ledger-fixture.js';

const INTEGRATION_TOKEN = 'integration-token-for-the-contract-0123456789';

const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
  security?: object[];
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

/** A request the fuzzer sends: a query, headers and a body. */
interface Sent {
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

const WEIRD = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'not-an-email',
  '+41',
  'x'.repeat(3000),
  '%00',
  '../../etc',
  '<script>',
];
const arbitraryText = fc.oneof(fc.constantFrom(...WEIRD), fc.string({ maxLength: 40 }), fc.emailAddress());

describe('the OpenAPI document is the contract', () => {
  let mailbox: Mailbox;
  let ledger: Ledger;
  let limited: Ledger;
  let document: Document;
  let ajv: InstanceType<typeof Ajv2020>;
  /** Valid requests per operation ("GET /v1/staff/status"), made from the ledger's own data. */
  const valid = new Map<string, Sent[]>();

  before(async () => {
    mailbox = await startMailbox();
    const settings = {
      confirmation: {},
      mail: { smtp: mailbox.url, from: 'Salon Bella <hallo@salon-bella.example>' },
      maxBodyBytes: 16_384,
      integrations: { tokens: [INTEGRATION_TOKEN] },
    };
    ledger = await startLedger(settings);
    limited = await startLedger({ ...settings, rateLimit: { perMinute: 1, burst: 1 } });
    document = (await (await fetch(`${ledger.url}/v1/openapi.json`)).json()) as Document;
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: document.components });

    const staff = { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' };
    const json = (body: unknown): Pick<Sent, 'headers' | 'body'> => ({ headers: staff, body: JSON.stringify(body) });
    const grant = consentEvent({
      subject: { email: `kundin-${crypto.randomUUID().slice(0, 8)}@example.ch`, phone: uniquePhone() },
    });
    await ledger.post('/v1/consent-events', grant, { origin: PAGE_ORIGIN });
    const [mail] = await mailbox.waitFor(1);
    const email = grant.subject.email!;
    const unsubscribe = new URL(await ledger.unsubscribeLink(email));
    const confirm = new URL(mail!.link);
    const proofLink = new URL(
      (
        (await (
          await ledger.staff('/v1/staff/proof-links', { method: 'POST', body: JSON.stringify({ subject: { email } }) })
        ).json()) as { url: string }
      ).url,
    );
    const query = (url: URL) => Object.fromEntries(url.searchParams);
    const subject = { email };
    const add = (operation: string, ...sent: Sent[]) => valid.set(operation, sent);
    add('GET /v1/health', { query: {}, headers: {} });
    add('GET /v1/openapi.json', { query: {}, headers: {} });
    add('POST /v1/consent-events', {
      query: {},
      headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify(consentEvent()),
    });
    add('GET /v1/unsubscribe', { query: query(unsubscribe), headers: {} });
    add('POST /v1/unsubscribe', {
      query: query(unsubscribe),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    add('GET /v1/confirm', { query: query(confirm), headers: {} });
    add('POST /v1/confirm', { query: query(confirm), headers: {} });
    add('GET /v1/proof', { query: query(proofLink), headers: {} });
    add('GET /v1/staff/status', { query: subject, headers: staff });
    add('GET /v1/staff/history', { query: subject, headers: staff });
    add(
      'GET /v1/staff/proof',
      { query: subject, headers: staff },
      { query: { ...subject, format: 'json' }, headers: staff },
    );
    add('POST /v1/staff/proof-links', { query: {}, ...json({ subject }) });
    add('POST /v1/staff/grants', {
      query: {},
      ...json({
        subject: { email: 'laden@example.ch' },
        purposes: ['email-newsletter'],
        staffName: 'Lea',
        evidence: 'Formular vom 1.12.',
        customerAgreed: true,
      }),
    });
    add('POST /v1/staff/withdrawals', {
      query: {},
      ...json({ subject: { email: 'laden@example.ch' }, purposes: ['email-newsletter'], staffName: 'Lea' }),
    });
    add('POST /v1/staff/confirmation-mails', {
      query: {},
      ...json({ purpose: 'email-newsletter', email, staffName: 'Lea' }),
    });
    add('POST /v1/staff/erasures', {
      query: {},
      ...json({ subject: { email: 'laden@example.ch' }, staffName: 'Lea', reason: 'customer-request' }),
    });
    add('POST /v1/staff/retention', { query: {}, ...json({ dryRun: true }) });
    add(
      'GET /v1/staff/audience',
      ...['json', 'csv', 'jsonl'].map((format) => ({ query: { purpose: 'email-newsletter', format }, headers: staff })),
    );
    add(
      'GET /v1/staff/audience/changes',
      { query: { purpose: 'email-newsletter', after: '0' }, headers: staff },
      { query: { purpose: 'sms-newsletter', after: '1', limit: '2' }, headers: staff },
    );
    add('POST /v1/staff/unsubscribe-links', { query: {}, ...json({ purpose: 'email-newsletter', address: email }) });
    add('GET /v1/staff/entries', { query: { after: '0', limit: '5' }, headers: staff });
    add('GET /v1/staff/webhooks', { query: {}, headers: staff });
    add('POST /v1/staff/front-desk-consents', {
      query: {},
      ...json({
        subject: { email: 'tresen@example.ch' },
        purposes: ['email-newsletter'],
        notice: { textVersion: '2026-11-01', locale: 'de', text: NOTICE_TEXT, sha256: NOTICE_SHA256 },
        signature: { kind: 'typed', name: 'Anna Muster' },
        staffName: 'Lea',
        device: 'Empfang iPad',
        customerActed: true,
      }),
    });
    add('POST /v1/staff/webhooks/replay', { query: {}, ...json({ endpoint: '0123456789abcdef', fromSeq: 1 }) });
    add('POST /v1/integrations/suppressions', {
      query: {},
      headers: { authorization: `Bearer ${INTEGRATION_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        address: email,
        kind: 'hard-bounce',
        source: 'Newsletter tool',
        occurredAt: new Date().toISOString(),
        reference: 'bounce-1',
      }),
    });
    add('GET /v1/staff/verify', { query: {}, headers: staff });
  });
  after(async () => {
    await ledger.close();
    await limited.close();
    await mailbox.close();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );

  /** Sends one request; checks the answer against the document; returns its status. */
  async function check(base: string, path: string, method: string, operation: Operation, sent: Sent): Promise<number> {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(sent.query)) url.searchParams.set(name, value);
    const response = await fetch(url, {
      method,
      headers: sent.headers,
      ...(sent.body !== undefined ? { body: sent.body } : {}),
    });
    const what = `${method} ${url.pathname}${url.search.slice(0, 200)} ${JSON.stringify(sent.headers)} ${sent.body?.slice(0, 200) ?? ''}`;
    const declared = operation.responses[String(response.status)];
    if (!declared) {
      const text = (await response.text()).slice(0, 300);
      assert.fail(
        `${what}: answered ${response.status}, which the document does not declare (${Object.keys(operation.responses)}): ${text}`,
      );
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = declared.content ?? {};
    assert.ok(
      mediaType in content,
      `${what}: ${response.status} answered ${mediaType || 'no content type'}; the document declares ${Object.keys(content).join(', ') || 'no content'}`,
    );
    const schema = content[mediaType]!.schema;
    if (mediaType === 'application/json') {
      assert.ok(schema, `${what}: ${response.status} JSON answer has no schema in the document`);
      const body: unknown = await response.json();
      const validate = ajv.compile(
        JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')),
      );
      assert.ok(
        validate(body),
        `${what}: ${response.status} body breaks its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
      );
    } else if (mediaType === 'application/jsonl') {
      const lines = (await response.text()).trim().split('\n');
      for (const line of lines) JSON.parse(line);
    } else {
      await response.arrayBuffer();
    }
    return response.status;
  }

  it('every operation has an id, declares its parameters, says how it is authorized, and every JSON answer has a schema', () => {
    for (const { path, method, operation } of operations()) {
      const name = `${method} ${path}`;
      assert.ok((operation as { operationId?: string }).operationId, `${name} has no operationId`);
      assert.ok(Array.isArray(operation.security), `${name} says nothing about security`);
      assert.ok(valid.has(name), `${name} has no valid request in this test: add one`);
      const declared = new Set((operation.parameters ?? []).map((p) => p.name));
      for (const sent of valid.get(name)!) {
        for (const parameter of Object.keys(sent.query))
          assert.ok(declared.has(parameter), `${name} does not declare its parameter ${parameter}`);
      }
      for (const [status, answer] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(answer.content ?? {})) {
          if (type.includes('json')) assert.ok(media.schema, `${name} ${status} ${type} has no schema`);
        }
      }
    }
    assert.equal(valid.size, operations().length, 'every operation the test knows is in the document');
  });

  it('valid requests get declared answers that match their schemas', async () => {
    for (const { path, method, operation } of operations()) {
      for (const sent of valid.get(`${method} ${path}`)!) {
        const status = await check(ledger.url, path, method, operation, sent);
        assert.ok(status < 500, `${method} ${path}: ${status}`);
      }
    }
  });

  it('generated broken requests get declared 4xx answers that match their schemas, never a 500', async () => {
    const authorizations = fc.constantFrom<Record<string, string>>(
      {},
      { authorization: `Bearer ${STAFF_TOKEN}` },
      { authorization: 'Bearer wrong-token' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer' },
    );
    const contentTypes = fc.constantFrom<Record<string, string>>(
      {},
      { 'content-type': 'application/json' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/xml' },
      { 'content-type': 'multipart/form-data; boundary=x' },
    );
    const bodies = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.constantFrom('{', '', 'null', '[]', '{"__proto__":{"x":1}}', 'x'.repeat(20_000)),
      fc.string(),
    );
    for (const { path, method, operation } of operations()) {
      const seeds = valid.get(`${method} ${path}`)!;
      const names = (operation.parameters ?? []).map((p) => p.name);
      const request = fc.record({
        seed: fc.constantFrom(...seeds),
        // Each declared parameter kept, dropped or replaced; an undeclared one now and then.
        changes: fc.array(fc.tuple(fc.constantFrom(...names, 'unknown'), fc.option(arbitraryText)), { maxLength: 3 }),
        authorization: fc.option(authorizations),
        contentType: fc.option(contentTypes),
        body: fc.option(bodies),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ seed, changes, authorization, contentType, body }) => {
          const query = { ...seed.query };
          for (const [name, value] of changes) {
            if (value === null) delete query[name];
            else query[name] = value;
          }
          const headers = { ...seed.headers, ...(authorization ?? {}), ...(contentType ?? {}) };
          const sent: Sent = { query, headers, ...(method === 'POST' ? { body: body ?? seed.body ?? '' } : {}) };
          const status = await check(ledger.url, path, method, operation, sent);
          assert.ok(status < 500, `${method} ${path} answered ${status}`);
        }),
        { numRuns: 25, seed: 22 },
      );
    }
  });

  it('floods get a declared 429 on every rate-limited operation', async () => {
    for (const { path, method, operation } of operations()) {
      if (path.startsWith('/v1/staff/') || !operation.responses['429']) continue;
      const [seed] = valid.get(`${method} ${path}`)!;
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push(await check(limited.url, path, method, operation, seed!));
      assert.ok(statuses.includes(429), `${method} ${path}: ${statuses}`);
    }
  });

  it('a malformed identifier is a 400, as a malformed phone number is', async () => {
    const staff = { authorization: `Bearer ${STAFF_TOKEN}` };
    for (const query of ['email=not-an-email', 'phone=not-a-phone', `customerId=${'x'.repeat(300)}`]) {
      for (const path of ['/v1/staff/status', '/v1/staff/history', '/v1/staff/proof']) {
        const response = await fetch(`${ledger.url}${path}?${query}`, { headers: staff });
        assert.equal(response.status, 400, `${path}?${query.slice(0, 30)}`);
        assert.match(((await response.json()) as { error: string }).error, /email|phone|customerId/);
      }
    }
  });
});
