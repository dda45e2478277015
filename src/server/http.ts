/**
 * What every route of the ledger answers with: JSON errors that say what is
 * wrong, and request bodies read and validated against the shared contract.
 */
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { LedgerErrorBody } from '../contract/consent-event.js';
import { describeIssues } from '../contract/zod-issues.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

const JSON_TYPES = ['application/json', 'text/plain'];

export function fail(c: Context, status: ErrorStatus, error: string, issues?: LedgerErrorBody['issues']) {
  return c.json({ error, ...(issues ? { issues } : {}) } satisfies LedgerErrorBody, status);
}

/** Reads a JSON body (sent as application/json or text/plain) and validates it, or says what is wrong. */
export async function readBody<S extends z.ZodMiniType>(
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

/** Answers with personal data must not stay in any cache (browser, proxy, CDN). */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
};
