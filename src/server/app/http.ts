/**
 * What every route of the ledger answers with: JSON errors that say what is
 * wrong, and request bodies read and validated against the shared contract.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { LedgerErrorBody } from '../../contract/consent-event.js';
import { describeIssues } from '../../contract/zod-issues.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

const JSON_TYPES = ['application/json', 'text/plain'];

export function fail(c: Context, status: ErrorStatus, error: string, issues?: LedgerErrorBody['issues']) {
  return c.json({ error, ...(issues ? { issues } : {}) } satisfies LedgerErrorBody, status);
}

/**
 * Reads a JSON body (sent as application/json or text/plain) and validates
 * it, or says what is wrong. `plain`: a cheaper check that may vouch for a
 * body the schema would take unchanged (see plain-consent-event.ts).
 */
export async function readBody<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
  plain?: (body: unknown) => body is z.infer<S>,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(type)) {
    return {
      ok: false,
      response: fail(c, 415, 'content-type must be application/json or text/plain (with a JSON body)'),
    };
  }
  const maxBytes = (c as Context<BodyLimit>).get('maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  const text = await bodyText(c, maxBytes);
  if (text === undefined) return { ok: false, response: tooLarge(c, maxBytes) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: fail(c, 400, 'body is not valid JSON') };
  }
  if (plain?.(body)) return { ok: true, data: body };
  const parsed = z.safeParse(schema, body);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
    return { ok: false, response: fail(c, 400, `invalid request: ${summary}`, issues) };
  }
  return { ok: true, data: parsed.data };
}

type BodyLimit = { Variables: { maxBodyBytes?: number } };

/** Node's request and response, when @hono/node-server serves the app (they come as c.env). */
function nodeEnv(c: Context): { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined {
  return c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
}

/** The browsers' keepalive budget, and the default limit of request bodies. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (c: Context, maxBytes: number) => fail(c, 413, `body is larger than ${maxBytes} bytes`);

/**
 * Refuses a request body larger than `maxBytes` by the length it declares;
 * readBody holds a body that declares none (chunked) to the same limit as it
 * reads it.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    (c as Context<BodyLimit>).set('maxBodyBytes', maxBytes);
    const declared = requestHeader(c, 'content-length');
    if (declared !== undefined && Number(declared) > maxBytes) return tooLarge(c, maxBytes);
    await next();
  };
}

/**
 * The request body as text, or undefined when it is larger than `maxBytes`.
 * Under Node (@hono/node-server) it is read from Node's request itself: a
 * Fetch Request with its web stream and abort signal would cost more than
 * the rest of recording a consent. Elsewhere, from the Fetch request.
 */
async function bodyText(c: Context, maxBytes: number): Promise<string | undefined> {
  const incoming = nodeEnv(c)?.incoming;
  if (incoming?.readable) return readIncoming(incoming, maxBytes);
  const text = await c.req.text();
  return Buffer.byteLength(text) > maxBytes ? undefined : text;
}

/** Node's request body by its events (an async iterator costs a stream wrapper per request). */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Too large: stop collecting; the 413 goes out and Node discards the rest of the body.
      incoming.off('data', onData).off('end', onEnd).off('error', reject);
      incoming.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      incoming.off('error', reject);
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    incoming.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/**
 * What hono/secure-headers sets with the ledger's options: its defaults but
 * no CSP (the pages set their own) and no cross-origin resource or opener
 * policy (booking pages on other origins read the intake's answer). The
 * header test holds this list to the library's.
 */
export const SECURITY_HEADERS: readonly (readonly [name: string, value: string])[] = [
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

/**
 * A request header (`name` in lower case). Under Node it is read from Node's
 * own parsed headers: the first c.req.header() of a request builds a Fetch
 * Headers object of them all.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeEnv(c)?.incoming;
  if (!incoming?.headers) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Node's response under @hono/node-server, while its headers can still be set. */
function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = nodeEnv(c)?.outgoing;
  return typeof outgoing?.setHeader === 'function' && !outgoing.headersSent ? outgoing : undefined;
}

/**
 * Sets a header of the answer before the handler makes it; one the handler
 * sets itself wins. Under Node it goes on Node's response: a JSON answer
 * then needs no Fetch Headers object, whose building, sorting and copying
 * into Node's cost the intake about as much as its hash chain. Elsewhere
 * with c.header().
 */
export function presetHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** The security headers on every answer, whatever made it (an error, a raw Response). */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  const outgoing = nodeResponse(c);
  if (outgoing) {
    for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
    return next();
  }
  await next();
  for (const [name, value] of SECURITY_HEADERS) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
};

/** Answers with personal data must not stay in any cache (browser, proxy, CDN). */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
};
