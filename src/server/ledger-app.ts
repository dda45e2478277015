/**
 * The consent ledger as a web-standards request handler (Hono): three route
 * groups mounted on one app, each in its own file under routes/:
 * the public intake for the widget, the links that work without a login
 * (unsubscribe, proof), and the staff API. It runs under Node (see cli.ts)
 * and any Fetch-based runtime; storage is whatever LedgerStore it is given.
 * Every route and its schemas are listed in openapi.ts.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { KNOWN_PURPOSES } from '../contract/vocabulary.js';
import { AddressBook, type CountryCode } from './addresses.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { fail } from './http.js';
import { createLedgerContext } from './ledger-context.js';
import type { LedgerStore } from './ledger-store.js';
import { buildOpenApi } from './openapi.js';
import { buildProof, renderProofPage, PROOF_PAGE, type Controller } from './proof.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';
import { intakeRoutes } from './routes/intake.js';
import { linkRoutes } from './routes/links.js';
import { staffRoutes } from './routes/staff.js';
import type { SubjectQuery } from './consent-status.js';
import { TextRegistry, type PublishedText } from './text-registry.js';
import { verifyLedger } from './verify-ledger.js';

export { INTAKE_PATH } from './routes/intake.js';
export { STAFF_ENTRIES_PATH } from './routes/staff.js';
export { receiptOf } from './ledger-context.js';

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
  /** Public base URL of this ledger, for the links it makes. Default: the request's origin and mount point. */
  publicUrl?: string | undefined;
  /**
   * Secret for the short-lived proof links staff open in a new tab. Default:
   * a random one per process (links then die with a restart, which is fine
   * for links that live ten minutes).
   */
  proofLinkSecret?: string | undefined;
  /** The salon, named on proofs and in Kantara receipts; its `locale` is the language of the ledger's pages. */
  controller?: Controller;
  /**
   * The country whose phone numbers may be written without a country code
   * ("079 …" in CH). Default: the controller's jurisdiction when it is a
   * country code; without one, numbers need their country code.
   */
  phoneCountry?: CountryCode | undefined;
  /** Rate limit per client address on the public endpoints; `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Which proxies in front of the ledger to believe about the client's address (see client-address.ts). */
  trustProxy?: TrustProxy | undefined;
  /** Public keys (signed-note verifier keys) whose checkpoints the verify endpoint trusts. */
  checkpointKeys?: readonly string[];
  /** The latest signed checkpoint, for the verify endpoint (the JSONL store's `lastCheckpoint`). */
  latestCheckpoint?: () => string | undefined;
}

export function createLedgerApp(options: LedgerOptions): Hono {
  const { store } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const controller: Controller = options.controller ?? { name: 'the salon' };
  const jurisdiction = controller.jurisdiction?.toUpperCase();
  const phoneCountry =
    options.phoneCountry ??
    (jurisdiction && /^[A-Z]{2}$/.test(jurisdiction) ? (jurisdiction as CountryCode) : undefined);
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => fail(c, 413, `body is larger than ${maxBodyBytes} bytes`),
  });
  const publicLimit =
    options.rateLimit === false
      ? undefined
      : rateLimit({ clientAddress: (c) => clientAddress(c, options.trustProxy), ...options.rateLimit });
  const ledger = createLedgerContext({
    store,
    purposes: [...(options.purposes ?? KNOWN_PURPOSES)],
    addresses: new AddressBook(phoneCountry),
    registry: new TextRegistry(options.texts),
    controller,
    publicUrl: options.publicUrl,
    // Public endpoints: rate limit per address first, then the body size.
    publicGuard: publicLimit ? every(publicLimit, limitBody) : limitBody,
    limitBody,
  });
  const proofLinkSecret = options.proofLinkSecret ?? crypto.randomUUID() + crypto.randomUUID();

  const verify = async () => {
    const entries = await store.entries();
    const checkpoint = options.latestCheckpoint?.();
    return verifyLedger(entries, {
      trustedKeys: options.checkpointKeys ?? [],
      checkpoints: checkpoint ? [{ source: 'latest checkpoint', note: checkpoint }] : [],
    });
  };

  const proofResponse = async (c: Context, query: SubjectQuery) => {
    const view = await ledger.view();
    const proof = buildProof({
      subject: view.status(query, ledger.purposes).subject,
      history: view.history(query),
      controller,
      chainIntact: (await verify()).intact,
      checkpoint: options.latestCheckpoint?.(),
    });
    if (c.req.query('format') === 'json' || c.req.header('accept')?.includes('application/json')) return c.json(proof);
    c.header('content-security-policy', PROOF_PAGE.csp);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.html(renderProofPage(proof));
  };

  const app = new Hono();
  // nosniff, frame and referrer defaults on every answer. The pages set
  // their own CSP; cross-origin booking pages must read the intake's answer.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: undefined,
      crossOriginResourcePolicy: false,
      crossOriginOpenerPolicy: false,
      xFrameOptions: 'SAMEORIGIN',
    }),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('ledger: unexpected error', error);
    return fail(c, 500, 'the ledger could not handle the request; try again later');
  });
  app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.get('/v1/openapi.json', (c) => c.json(buildOpenApi()));
  app.route('/', intakeRoutes(ledger, new Set(options.allowedOrigins ?? [])));
  app.route('/', linkRoutes(ledger, { linkSecret: options.linkSecret, proofLinkSecret }, proofResponse));
  app.route(
    '/',
    staffRoutes(ledger, {
      staffToken: options.staffToken,
      staffOrigins: new Set(options.staffOrigins ?? []),
      linkSecret: options.linkSecret,
      proofLinkSecret,
      proofResponse,
      verify,
    }),
  );
  return app;
}
