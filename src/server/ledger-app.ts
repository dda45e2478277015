/**
 * The consent ledger as a web-standards request handler (Hono): public intake
 * for the widget, the signed unsubscribe link, and the staff API. It runs
 * under Node (see cli.ts) and any Fetch-based runtime; storage is whatever
 * LedgerStore it is given. Every route and its schemas are listed in
 * openapi.ts.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod/mini';
import {
  consentEventSchema,
  consentSubjectSchema,
  type ConsentReceipt,
  type ConsentSubject,
  type LedgerErrorBody,
} from '../contract/consent-event.js';
import {
  staffGrantRequestSchema,
  unsubscribeLinkRequestSchema,
  withdrawalRequestSchema,
  type LedgerRecord,
  type StaffRecord,
} from '../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION, KNOWN_PURPOSES } from '../contract/vocabulary.js';
import { describeIssues } from '../contract/zod-issues.js';
import {
  audienceFor,
  historyOf,
  missingAddresses,
  normalizeEmail,
  normalizePhone,
  statusOf,
  type SubjectQuery,
} from './consent-status.js';
import { findChainBreak } from './hash-chain.js';
import { buildOpenApi } from './openapi.js';
import type { LedgerEntry, LedgerStore } from './ledger-store.js';
import { buildProof, renderProofPage, PROOF_PAGE, type Controller } from './proof.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';
import { TextRegistry, type PublishedText } from './text-registry.js';
import { createUnsubscribeUrl, verifyUnsubscribe } from './unsubscribe-link.js';
import { createProofUrl, verifyProofLink } from './proof-link.js';
import { renderUnsubscribePage, UNSUBSCRIBE_PAGE_CSP } from './unsubscribe-page.js';

export interface LedgerOptions {
  store: LedgerStore;
  /**
   * Origins of the booking pages allowed to post (e.g. "https://salon-bella.ch").
   * Requests from other origins are refused; the ledger's own origin is always allowed.
   */
  allowedOrigins?: readonly string[];
  /**
   * Origins of back-office pages allowed to call the staff API from a browser
   * (CORS). The token is still required; this only lets such pages read answers.
   */
  staffOrigins?: readonly string[];
  /** Token for the staff API (`Authorization: Bearer …`). Without one the staff API answers 401 to everyone. */
  staffToken?: string | undefined;
  /** Purposes the salon collects consent for. Default: the known purposes. */
  purposes?: readonly string[];
  /** Largest accepted request body in bytes. Default 64 KiB, the browsers' keepalive budget. */
  maxBodyBytes?: number;
  /** The salon's published texts; records under other texts are flagged. Empty: no check. */
  texts?: readonly PublishedText[];
  /** Secret for signing unsubscribe links; without it the link endpoints answer 404. */
  linkSecret?: string | undefined;
  /** Public base URL of this ledger, for the unsubscribe links it makes. Default: the request's origin. */
  publicUrl?: string | undefined;
  /**
   * Secret for the short-lived proof links staff open in a new tab. Default:
   * a random one per process (links then die with a restart, which is fine
   * for links that live ten minutes).
   */
  proofLinkSecret?: string | undefined;
  /** The salon, named on proofs and in Kantara receipts. */
  controller?: Controller;
  /** Rate limit per client address on the public endpoints; `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
}

/** Intake path, relative to where the ledger is mounted. */
export const INTAKE_PATH = '/v1/consent-events';
export const STAFF_ENTRIES_PATH = '/v1/staff/entries';

const JSON_TYPES = ['application/json', 'text/plain'];

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500;

function fail(c: Context, status: ErrorStatus, error: string, issues?: LedgerErrorBody['issues']) {
  return c.json({ error, ...(issues ? { issues } : {}) } satisfies LedgerErrorBody, status);
}

export function receiptOf(entry: LedgerEntry): ConsentReceipt {
  return { id: entry.event.id, seq: entry.seq, receivedAt: entry.receivedAt };
}

/** Reads a JSON body (sent as application/json or text/plain) and validates it, or says what is wrong. */
async function readBody<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(type)) {
    return {
      ok: false,
      response: fail(c, 415, 'content-type must be application/json or text/plain (with a JSON body)'),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return { ok: false, response: fail(c, 400, 'body is not valid JSON') };
  }
  const parsed = z.safeParse(schema, body);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
    return { ok: false, response: fail(c, 400, `invalid request: ${summary}`, issues) };
  }
  return { ok: true, data: parsed.data };
}

/** The subject identifiers in a query string; at least one is required. */
function subjectQuery(c: Context): SubjectQuery | undefined {
  const query: SubjectQuery = {};
  for (const key of ['email', 'phone', 'customerId'] as const) {
    const value = c.req.query(key)?.trim();
    if (value) query[key] = value;
  }
  return Object.keys(query).length > 0 ? query : undefined;
}

export function createLedgerApp(options: LedgerOptions): Hono {
  const { store } = options;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const staffOrigins = new Set(options.staffOrigins ?? []);
  const purposes = [...(options.purposes ?? KNOWN_PURPOSES)];
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const registry = new TextRegistry(options.texts);
  const controller: Controller = options.controller ?? { name: 'the salon' };
  const publicLimit = options.rateLimit === false ? undefined : rateLimit(options.rateLimit);
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => fail(c, 413, `body is larger than ${maxBodyBytes} bytes`),
  });
  const proofLinkSecret = options.proofLinkSecret ?? crypto.randomUUID() + crypto.randomUUID();
  const app = new Hono();

  const originAllowed = (c: Context): boolean => {
    const origin = c.req.header('origin');
    // No Origin: not a browser page (curl, a backend); the staff API guards what matters.
    if (!origin) return true;
    return allowedOrigins.has(origin) || origin === new URL(c.req.url).origin;
  };

  /** Purposes this ledger does not record, as a 400, or undefined when all are known. */
  const unknownPurposes = (c: Context, named: readonly string[]) => {
    const unknown = named.filter((purpose) => !purposes.includes(purpose));
    if (unknown.length === 0) return undefined;
    return fail(c, 400, `unknown purpose ${unknown.join(', ')}; this ledger records ${purposes.join(', ')}`, [
      { path: 'purposes', message: `unknown purpose ${unknown.join(', ')}` },
    ]);
  };

  const addressesMissing = (c: Context, named: readonly string[], subject: ConsentSubject) => {
    const missing = missingAddresses(named, subject);
    return missing.length
      ? fail(c, 400, `a consent must name the address it is for: ${missing.join('; ')}`)
      : undefined;
  };

  /** Appends a record made by the ledger itself (staff entries, unsubscribes). */
  const appendRecord = async (record: LedgerRecord) => (await store.append(record, registry.flagsFor(record))).entry;

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('ledger: unexpected error', error);
    return fail(c, 500, 'the ledger could not handle the request; try again later');
  });

  app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  // CORS for the intake: only configured booking pages may read the receipt.
  app.use(INTAKE_PATH, async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && originAllowed(c)) {
      c.header('access-control-allow-origin', origin);
      // Without this a cross-origin page cannot read Retry-After and backs off blind.
      c.header('access-control-expose-headers', 'retry-after');
      c.header('vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS') {
      if (!origin || !originAllowed(c)) return fail(c, 403, `origin ${origin} may not post consents here`);
      c.header('access-control-allow-methods', 'POST');
      c.header('access-control-allow-headers', 'content-type');
      c.header('access-control-max-age', '86400');
      return c.body(null, 204);
    }
    await next();
  });

  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.get('/v1/openapi.json', (c) => c.json(buildOpenApi()));

  // Public endpoints: rate limit per address first, then the body size.
  const publicGuard = publicLimit ? every(publicLimit, limitBody) : limitBody;

  app.post(INTAKE_PATH, publicGuard, async (c) => {
    if (!originAllowed(c)) return fail(c, 403, `origin ${c.req.header('origin')} may not post consents here`);
    const body = await readBody(c, consentEventSchema);
    if (!body.ok) return body.response;
    const event = body.data;
    const problem =
      unknownPurposes(
        c,
        event.purposes.map((p) => p.purpose),
      ) ??
      addressesMissing(
        c,
        event.purposes.map((p) => p.purpose),
        event.subject,
      );
    if (problem) return problem;
    // The public intake records what a customer ticked; only staff and the
    // signed link may record withdrawals.
    if (event.purposes.some((p) => !p.granted)) {
      return fail(
        c,
        400,
        'the public intake records grants only (granted: true); withdrawals go through the unsubscribe link or staff',
      );
    }
    const outcome = await store.append(event, registry.flagsFor(event));
    if (outcome.kind === 'conflict') {
      return fail(
        c,
        409,
        `event ${event.id} is already recorded with different content; a new act of consent needs a new id`,
      );
    }
    return c.json(receiptOf(outcome.entry), outcome.kind === 'created' ? 201 : 200);
  });

  // The unsubscribe link: GET asks, POST withdraws (also RFC 8058 one-click).
  const linkTarget = async (c: Context) => {
    const purpose = c.req.query('p') ?? '';
    const address = c.req.query('a') ?? '';
    const signature = c.req.query('sig') ?? '';
    const valid =
      Boolean(options.linkSecret) &&
      purposes.includes(purpose) &&
      (await verifyUnsubscribe(options.linkSecret!, { purpose, address }, signature));
    return { valid, purpose, address, locale: c.req.query('l') };
  };
  const unsubscribePage = (c: Context, view: Parameters<typeof renderUnsubscribePage>[0], status: 200 | 400) => {
    c.header('content-security-policy', UNSUBSCRIBE_PAGE_CSP);
    c.header('cache-control', 'no-store');
    return c.html(renderUnsubscribePage(view), status);
  };
  app.get('/v1/unsubscribe', async (c) => {
    const target = await linkTarget(c);
    return unsubscribePage(c, { ...target, state: target.valid ? 'ask' : 'invalid' }, target.valid ? 200 : 400);
  });
  app.post('/v1/unsubscribe', publicGuard, async (c) => {
    const target = await linkTarget(c);
    if (!target.valid) return unsubscribePage(c, { ...target, state: 'invalid' }, 400);
    const subject: ConsentSubject =
      target.purpose === 'sms-newsletter' ? { phone: target.address } : { email: target.address };
    const current = statusOf(await store.entries(), subject, [target.purpose]).purposes[0];
    // Using the link twice changes nothing the second time.
    if (current?.state === 'granted') {
      await appendRecord({
        schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
        id: crypto.randomUUID(),
        subject,
        purposes: [{ purpose: target.purpose, granted: false }],
        method: 'unsubscribe-link',
      });
    }
    return unsubscribePage(c, { ...target, state: 'done' }, 200);
  });

  // --- Staff API -------------------------------------------------------------
  app.use('/v1/staff/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && staffOrigins.has(origin)) {
      c.header('access-control-allow-origin', origin);
      c.header('vary', 'Origin');
      if (c.req.method === 'OPTIONS') {
        c.header('access-control-allow-methods', 'GET, POST');
        c.header('access-control-allow-headers', 'authorization, content-type');
        c.header('access-control-max-age', '600');
        return c.body(null, 204);
      }
    }
    await next();
  });
  // Every staff endpoint: a bearer token, compared in constant time; 401 and
  // nothing else otherwise (the same answer whether or not the customer exists).
  app.use('/v1/staff/*', async (c, next) => {
    const token = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!options.staffToken || !token || !(await tokensEqual(token, options.staffToken))) {
      c.header('www-authenticate', 'Bearer realm="marketing-consent ledger"');
      return fail(
        c,
        401,
        token ? 'the staff token is not valid' : 'staff endpoints need an Authorization: Bearer <token> header',
      );
    }
    await next();
  });
  app.use('/v1/staff/*', limitBody);

  const needSubject = (c: Context) =>
    fail(c, 400, 'name the customer: add email=…, phone=… or customerId=… to the query');

  app.get('/v1/staff/status', async (c) => {
    const query = subjectQuery(c);
    if (!query) return needSubject(c);
    return c.json(statusOf(await store.entries(), query, purposes));
  });

  app.get('/v1/staff/history', async (c) => {
    const query = subjectQuery(c);
    if (!query) return needSubject(c);
    return c.json({ entries: historyOf(await store.entries(), query) });
  });

  const proofResponse = async (c: Context, query: SubjectQuery) => {
    const entries = await store.entries();
    const proof = buildProof(
      statusOf(entries, query, purposes).subject,
      historyOf(entries, query),
      controller,
      !findChainBreak(entries),
    );
    if (c.req.query('format') === 'json' || c.req.header('accept')?.includes('application/json')) return c.json(proof);
    c.header('content-security-policy', PROOF_PAGE.csp);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.html(renderProofPage(proof));
  };

  app.get('/v1/staff/proof', async (c) => {
    const query = subjectQuery(c);
    if (!query) return needSubject(c);
    return proofResponse(c, query);
  });

  // A proof page to open in a new tab: the signature stands in for the token.
  app.post('/v1/staff/proof-links', async (c) => {
    const body = await readBody(c, z.object({ subject: consentSubjectSchema }));
    if (!body.ok) return body.response;
    const base = options.publicUrl ?? new URL(c.req.url).origin;
    return c.json({ url: await createProofUrl(base, proofLinkSecret, body.data.subject) });
  });

  app.get('/v1/proof', async (c) => {
    const query = await verifyProofLink(proofLinkSecret, new URL(c.req.url));
    if (!query)
      return fail(c, 403, 'this proof link is not valid or has expired; open the proof again from the customer file');
    return proofResponse(c, query);
  });

  app.post('/v1/staff/grants', async (c) => {
    const body = await readBody(c, staffGrantRequestSchema);
    if (!body.ok) return body.response;
    const grant = body.data;
    const problem = unknownPurposes(c, grant.purposes) ?? addressesMissing(c, grant.purposes, grant.subject);
    if (problem) return problem;
    const record: StaffRecord = {
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      subject: grant.subject,
      purposes: grant.purposes.map((purpose) => ({ purpose, granted: true })),
      method: 'staff',
      staff: { name: grant.staffName, evidence: grant.evidence },
      ...(grant.textVersion ? { textVersion: grant.textVersion } : {}),
    };
    const entry = await appendRecord(record);
    return c.json({ receipt: receiptOf(entry), status: statusOf(await store.entries(), grant.subject, purposes) }, 201);
  });

  app.post('/v1/staff/withdrawals', async (c) => {
    const body = await readBody(c, withdrawalRequestSchema);
    if (!body.ok) return body.response;
    const withdrawal = body.data;
    const problem = unknownPurposes(c, withdrawal.purposes);
    if (problem) return problem;
    const entry = await appendRecord({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      subject: withdrawal.subject,
      purposes: withdrawal.purposes.map((purpose) => ({ purpose, granted: false })),
      method: 'staff',
      staff: { name: withdrawal.staffName },
      ...(withdrawal.reason ? { reason: withdrawal.reason } : {}),
    });
    return c.json(
      { receipt: receiptOf(entry), status: statusOf(await store.entries(), withdrawal.subject, purposes) },
      201,
    );
  });

  app.get('/v1/staff/audience', async (c) => {
    const purpose = c.req.query('purpose') ?? '';
    if (!purposes.includes(purpose)) return fail(c, 400, `purpose must be one of ${purposes.join(', ')}`);
    const audience = audienceFor(await store.entries(), purpose);
    if (c.req.query('format') !== 'csv') return c.json(audience);
    c.header('content-disposition', `attachment; filename="audience-${purpose}.csv"`);
    const rows = audience.recipients.map((r) =>
      [r.address, r.subject.customerId ?? '', r.since, r.method].map(csvField).join(','),
    );
    return c.body(['address,customerId,consentSince,method', ...rows].join('\r\n') + '\r\n', 200, {
      'content-type': 'text/csv; charset=utf-8',
    });
  });

  app.post('/v1/staff/unsubscribe-links', async (c) => {
    if (!options.linkSecret) return fail(c, 404, 'unsubscribe links are off: start the ledger with a link secret');
    const body = await readBody(c, unsubscribeLinkRequestSchema);
    if (!body.ok) return body.response;
    const { purpose, address, locale } = body.data;
    const problem = unknownPurposes(c, [purpose]);
    if (problem) return problem;
    const normalized = purpose === 'sms-newsletter' ? normalizePhone(address) : normalizeEmail(address);
    const base = options.publicUrl ?? new URL(c.req.url).origin;
    const url = await createUnsubscribeUrl(base, options.linkSecret, {
      purpose,
      address: normalized,
      ...(locale ? { locale } : {}),
    });
    return c.json({ url });
  });

  app.get(STAFF_ENTRIES_PATH, async (c) => {
    const afterSeq = Number(c.req.query('after') ?? 0);
    const limit = c.req.query('limit') === undefined ? undefined : Number(c.req.query('limit'));
    if (
      !Number.isInteger(afterSeq) ||
      afterSeq < 0 ||
      (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    ) {
      return fail(c, 400, 'after and limit must be whole numbers (after ≥ 0, limit ≥ 1)');
    }
    return c.json({ entries: await store.entries({ afterSeq, ...(limit ? { limit } : {}) }) });
  });

  app.get('/v1/staff/verify', async (c) => {
    const entries = await store.entries();
    const broken = findChainBreak(entries);
    return c.json({
      entries: entries.length,
      intact: !broken,
      ...(broken ? { brokenAt: broken.seq, reason: broken.reason } : {}),
    });
  });

  return app;
}

/** CSV field per RFC 4180, with spreadsheet formula injection defused. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Compares two tokens in constant time (over their SHA-256, so lengths do not leak either). */
async function tokensEqual(a: string, b: string): Promise<boolean> {
  const digest = async (text: string) =>
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let difference = 0;
  for (let i = 0; i < x.length; i += 1) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}
