/**
 * The consent ledger as a web-standards request handler (Hono): public intake
 * for the widget, and the staff API. It runs under Node (see cli.ts) and any
 * Fetch-based runtime; storage is whatever LedgerStore it is given.
 */
import { Hono, type Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod/mini';
import { consentEventSchema, type ConsentReceipt, type LedgerErrorBody } from '../contract/consent-event.js';
import { KNOWN_PURPOSES } from '../contract/vocabulary.js';
import { describeIssues } from '../contract/zod-issues.js';
import type { LedgerEntry, LedgerStore } from './ledger-store.js';

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
}

/** Intake path, relative to where the ledger is mounted. */
export const INTAKE_PATH = '/v1/consent-events';
export const STAFF_ENTRIES_PATH = '/v1/staff/entries';

const JSON_TYPES = ['application/json', 'text/plain'];

function errorResponse(c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500, body: LedgerErrorBody) {
  return c.json(body, status);
}

export function receiptOf(entry: LedgerEntry): ConsentReceipt {
  return { id: entry.event.id, seq: entry.seq, receivedAt: entry.receivedAt };
}

export function createLedgerApp(options: LedgerOptions): Hono {
  const { store } = options;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const purposes = new Set(options.purposes ?? KNOWN_PURPOSES);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const app = new Hono();

  const originAllowed = (c: Context): boolean => {
    const origin = c.req.header('origin');
    // No Origin: not a browser page (curl, a backend); the staff API guards what matters.
    if (!origin) return true;
    return allowedOrigins.has(origin) || origin === new URL(c.req.url).origin;
  };

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('ledger: unexpected error', error);
    return errorResponse(c, 500, { error: 'the ledger could not store the event; try again later' });
  });

  app.notFound((c) =>
    errorResponse(c, 404, { error: `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}` }),
  );

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
      if (!origin || !originAllowed(c))
        return errorResponse(c, 403, { error: `origin ${origin} may not post consents here` });
      c.header('access-control-allow-methods', 'POST');
      c.header('access-control-allow-headers', 'content-type');
      c.header('access-control-max-age', '86400');
      return c.body(null, 204);
    }
    await next();
  });

  app.get('/v1/health', (c) => c.json({ ok: true }));

  app.post(
    INTAKE_PATH,
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json({ error: `body is larger than ${maxBodyBytes} bytes` } satisfies LedgerErrorBody, 413),
    }),
    async (c) => {
      if (!originAllowed(c)) {
        return errorResponse(c, 403, { error: `origin ${c.req.header('origin')} may not post consents here` });
      }
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.includes(type)) {
        return errorResponse(c, 415, {
          error: 'content-type must be application/json or text/plain (with a JSON body)',
        });
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return errorResponse(c, 400, { error: 'body is not valid JSON' });
      }
      const parsed = z.safeParse(consentEventSchema, body);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error);
        return errorResponse(c, 400, {
          error: `invalid consent event: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
          issues,
        });
      }
      const unknown = parsed.data.purposes.filter((p) => !purposes.has(p.purpose));
      if (unknown.length > 0) {
        return errorResponse(c, 400, {
          error: `unknown purpose ${unknown.map((p) => p.purpose).join(', ')}; this ledger records ${[...purposes].join(', ')}`,
          issues: unknown.map((p) => ({ path: 'purposes', message: `unknown purpose ${p.purpose}` })),
        });
      }
      const outcome = await store.append(parsed.data);
      if (outcome.kind === 'conflict') {
        return errorResponse(c, 409, {
          error: `event ${parsed.data.id} is already recorded with different content; a new act of consent needs a new id`,
        });
      }
      return c.json(receiptOf(outcome.entry), outcome.kind === 'created' ? 201 : 200);
    },
  );

  const staffAuth = bearerAuth({
    verifyToken: async (token) => Boolean(options.staffToken) && (await tokensEqual(token, options.staffToken!)),
    noAuthenticationHeader: { message: { error: 'staff endpoints need an Authorization: Bearer token' } },
    invalidAuthenticationHeader: { message: { error: 'the Authorization header must be "Bearer <token>"' } },
    invalidToken: { message: { error: 'the staff token is not valid' } },
  });
  const staffOrigins = new Set(options.staffOrigins ?? []);
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
  app.use('/v1/staff/*', staffAuth);

  app.get(STAFF_ENTRIES_PATH, async (c) => {
    const afterSeq = Number(c.req.query('after') ?? 0);
    const limit = c.req.query('limit') === undefined ? undefined : Number(c.req.query('limit'));
    if (
      !Number.isInteger(afterSeq) ||
      afterSeq < 0 ||
      (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    ) {
      return errorResponse(c, 400, { error: 'after and limit must be whole numbers (after ≥ 0, limit ≥ 1)' });
    }
    return c.json({ entries: await store.entries({ afterSeq, ...(limit ? { limit } : {}) }) });
  });

  return app;
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
