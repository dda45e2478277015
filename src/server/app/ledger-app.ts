/**
 * The consent ledger as a web-standards request handler (Hono): three route
 * groups mounted on one app, each in its own file under routes/:
 * the public intake for the widget, the links that work without a login
 * (unsubscribe, proof), and the staff API. It runs under Node (see cli.ts)
 * and any Fetch-based runtime; storage is whatever LedgerStore it is given.
 * Every route and its schemas are listed in openapi.ts.
 */
import { setPageHeaders } from '../pages/html-page.js';
import { Hono, type Context } from 'hono';
import { every } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { describeRoute } from 'hono-openapi';
import { addressField, KNOWN_PURPOSES } from '../../contract/vocabulary.js';
import { checkSmsSettings, SmsChannel, type SmsSettings } from '../sms/sms-channel.js';
import type { IncomingSms } from '../sms/smpp-gateway.js';
import { AddressBook, type CountryCode } from '../consent/addresses.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { DEFAULT_MAX_BODY_BYTES, fail, limitBody as limitBodyTo, securityHeaders } from './http.js';
import { ConfirmationSender, type ConfirmationMailSettings } from '../double-opt-in/confirmation-sender.js';
import { createLedgerContext } from './ledger-context.js';
import type { LedgerStore } from '../store/ledger-store.js';
import { buildOpenApi, healthSchema, jsonAnswer, openApiDocumentSchema, publicOperation } from './openapi.js';
import { buildProof, renderProofPage, PROOF_PAGE, type Controller } from '../proof/proof.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';
import { intakeRoutes } from '../routes/intake.js';
import { linkRoutes } from '../routes/links.js';
import { staffRoutes } from '../routes/staff.js';
import { integrationRoutes, type IntegrationCredentials } from '../routes/integrations.js';
import {
  checkWebhookSecret,
  checkWebhookUrl,
  WebhookDispatcher,
  type WebhookSettings,
} from '../integrations/webhooks.js';
import type { ConsentViewOptions, SubjectQuery } from '../consent/consent-status.js';
import { TextRegistry, type PublishedText } from '../consent/text-registry.js';
import { checkpointMismatch, LedgerVerifier } from '../integrity/verify-ledger.js';
import { openCheckpoint } from '../integrity/checkpoint.js';
import type { RetentionPolicy } from '../consent/erasure.js';

export { INTAKE_PATH } from '../routes/intake.js';
export { STAFF_ENTRIES_PATH } from '../routes/staff.js';
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
  /** The staff token as its SHA-256 (hex), for settings kept where a token must not be (a platform's salon registry). */
  staffTokenSha256?: string | undefined;
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
  /**
   * Per purpose, whether an online grant counts at once (`none`) or only
   * once the owner of the address confirmed it: by the link in a mail, or by
   * replying to an SMS (`double-opt-in`). Default: double opt-in for the
   * e-mail newsletter, and for the SMS newsletter when `sms` is given.
   */
  confirmation?: Readonly<Record<string, ConfirmationMode>>;
  /** Days a sign-up may wait for its confirmation before it lapses. Default 14. */
  confirmationLapseDays?: number;
  /** How confirmation mails are sent; required when an e-mail purpose uses double opt-in. */
  mail?: ConfirmationMailSettings;
  /**
   * The salon's SMSC and number (see sms/sms-channel.ts): with them, the SMS
   * newsletter waits for the owner of the number to reply JA (double opt-in,
   * unless `confirmation` says "none"), and STOP withdraws it.
   */
  sms?: SmsSettings;
  /**
   * Personal data the ledger erases by itself, checked at start and then
   * every `intervalHours` (default 24): unconfirmed sign-ups once they
   * lapsed, customers with nothing granted or pending `inactiveYears` (default 3)
   * after their latest record. `false` turns the schedule off (the staff
   * endpoint and the CLI still run it on demand). See erasure.ts.
   */
  retention?: (RetentionPolicy & { intervalHours?: number }) | false;
  /** The clock decisions are made by (lapses, retention). Default: Date.now. */
  now?: () => number;
  /**
   * Where each change of a customer's decision is sent, signed, as it
   * happens (see integrations/webhooks.ts); none without endpoints.
   */
  webhooks?: WebhookSettings;
  /**
   * Tokens of the salon's newsletter tools (or their SHA-256, hex), and the
   * Standard Webhooks secrets of those that sign: they may post
   * suppressions, and nothing else (see routes/integrations.ts).
   */
  integrations?: IntegrationCredentials;
}

export type ConfirmationMode = 'double-opt-in' | 'none';

/** How the owner of a purpose's address confirms: by mail for an e-mail address, by SMS for a phone number. */
const confirmedBy = (purpose: string) =>
  addressField(purpose) === 'email' ? 'mail' : addressField(purpose) === 'phone' ? 'sms' : undefined;

/**
 * Throws, naming the setting and the fix, when options cannot work; else
 * returns the confirmation mode per purpose. createLedgerApp starts with it;
 * the CLI calls it before it opens the store.
 */
export function checkLedgerSettings(options: Omit<LedgerOptions, 'store'>): Map<string, ConfirmationMode> {
  if (options.publicUrl !== undefined) checkPublicUrl(options.publicUrl);
  for (const endpoint of options.webhooks?.endpoints ?? []) {
    checkWebhookUrl(endpoint.url);
    checkWebhookSecret(endpoint.secret);
  }
  checkRetention(options.retention);
  if (options.sms) checkSmsSettings(options.sms);
  return confirmationModes(options, [...(options.purposes ?? KNOWN_PURPOSES)], { sending: true });
}

/**
 * How this ledger decides who may be written to: its purposes, which of them
 * wait for confirmation and how long, the phone country, the clock. The app
 * and the CLI's retention command read the ledger with the same rules.
 */
export function ledgerDecisions(options: Omit<LedgerOptions, 'store'>): {
  purposes: string[];
  modes: Map<string, ConfirmationMode>;
  addresses: AddressBook;
  viewOptions: ConsentViewOptions;
} {
  const purposes = [...(options.purposes ?? KNOWN_PURPOSES)];
  const modes = confirmationModes(options, purposes, { sending: false });
  const jurisdiction = options.controller?.jurisdiction?.toUpperCase();
  const phoneCountry =
    options.phoneCountry ??
    (jurisdiction && /^[A-Z]{2}$/.test(jurisdiction) ? (jurisdiction as CountryCode) : undefined);
  return {
    purposes,
    modes,
    addresses: new AddressBook(phoneCountry),
    viewOptions: {
      needsConfirmation: (purpose) => modes.get(purpose) === 'double-opt-in',
      lapseMs: (options.confirmationLapseDays ?? 14) * 86_400_000,
      ...(options.now ? { now: options.now } : {}),
    },
  };
}

function checkRetention(retention: LedgerOptions['retention']): void {
  if (!retention) return;
  const wrong = (
    [
      ['inactiveYears', retention.inactiveYears, '--retention-years', 'a number of years above 0, e.g. 3'],
      [
        'unconfirmedGraceDays',
        retention.unconfirmedGraceDays,
        '--unconfirmed-grace-days',
        'a number of days, 0 or more',
      ],
      ['intervalHours', retention.intervalHours, '--retention-interval-hours', 'a number of hours above 0'],
    ] as const
  ).find(([name, value]) =>
    value === undefined
      ? false
      : !Number.isFinite(value) || value < 0 || (name !== 'unconfirmedGraceDays' && value === 0),
  );
  if (wrong) {
    const [name, value, flag, fix] = wrong;
    throw new Error(`retention.${name} is ${String(value)}: it must be ${fix} (${flag})`);
  }
}

/** The links the ledger mails and hands out start with publicUrl: it must be the ledger's base, mount path included. */
function checkPublicUrl(publicUrl: string): void {
  let url: URL | undefined;
  try {
    url = new URL(publicUrl);
  } catch {
    url = undefined;
  }
  const problem = !url
    ? 'is not an absolute URL'
    : !/^https?:$/.test(url.protocol)
      ? 'is not http(s)'
      : url.search || url.hash
        ? 'has a query or fragment'
        : /\/v1(\/|$)/.test(url.pathname)
          ? 'ends in the API path (/v1)'
          : undefined;
  if (problem) {
    throw new Error(
      `publicUrl "${publicUrl}" is not where the ledger is reached (it ${problem}): give the base the ledger is mounted at, e.g. https://salon-bella.ch/consent (--public-url)`,
    );
  }
}

/** The confirmation mode per purpose, with the default, checked against what can work. */
function confirmationModes(
  options: Omit<LedgerOptions, 'store'>,
  purposes: readonly string[],
  { sending }: { sending: boolean },
): Map<string, ConfirmationMode> {
  const byDefault = (purpose: string): ConfirmationMode =>
    confirmedBy(purpose) === 'mail' || (confirmedBy(purpose) === 'sms' && options.sms) ? 'double-opt-in' : 'none';
  const modes = new Map<string, ConfirmationMode>(purposes.map((purpose) => [purpose, byDefault(purpose)]));
  for (const [purpose, mode] of Object.entries(options.confirmation ?? {})) {
    if (!purposes.includes(purpose)) {
      throw new Error(`confirmation names ${purpose}, which this ledger does not record (${purposes.join(', ')})`);
    }
    if (mode !== 'double-opt-in' && mode !== 'none') {
      throw new Error(`confirmation for ${purpose} is "${mode}"; use "double-opt-in" or "none"`);
    }
    if (mode === 'double-opt-in' && !confirmedBy(purpose)) {
      throw new Error(
        `${purpose} cannot use double opt-in: its address is neither an e-mail address nor a phone number; use "none"`,
      );
    }
    modes.set(purpose, mode);
  }
  const confirmed = [...modes].filter(([, mode]) => mode === 'double-opt-in').map(([purpose]) => purpose);
  const needMail = confirmed.filter((purpose) => confirmedBy(purpose) === 'mail');
  const needSms = confirmed.filter((purpose) => confirmedBy(purpose) === 'sms');
  if (!sending) return modes;
  if (needSms.length > 0 && !options.sms) {
    throw new Error(
      `${needSms.join(', ')} uses double opt-in, which sends a confirmation SMS: give the SMSC (--smpp-url and --sms-from), or turn it off with confirmation { "${needSms[0]}": "none" } (--single-opt-in ${needSms[0]})`,
    );
  }
  if (options.sms && !purposes.some((purpose) => confirmedBy(purpose) === 'sms')) {
    throw new Error(
      `SMS settings are given, but this ledger records no SMS purpose (${purposes.join(', ')}): add sms-newsletter or leave out --smpp-url`,
    );
  }
  if (needSms.length > 0 && !options.controller?.name) {
    throw new Error('confirmation SMS name the salon: give controller.name (--salon "Salon Bella")');
  }
  if (needMail.length > 0 && !options.mail) {
    throw new Error(
      `${needMail.join(', ')} uses double opt-in, which sends a confirmation mail: give mail settings ` +
        `(--smtp-url and --mail-from), or turn it off with confirmation { "${needMail[0]}": "none" } (--single-opt-in ${needMail[0]})`,
    );
  }
  if (needMail.length > 0 && !options.controller?.name) {
    throw new Error('double opt-in mails name the salon: give controller.name (--salon "Salon Bella")');
  }
  if (needMail.length > 0 && !options.linkSecret) {
    throw new Error('double opt-in signs its confirmation links: give a linkSecret (--link-secret or LINK_SECRET)');
  }
  return modes;
}

/**
 * The ledger's request handler; `close()` stops its background work (the
 * confirmation mails, retention), waiting for what is under way;
 * `nextDueAt()` says when that work next has something to do (undefined:
 * nothing planned), so a platform that closes an idle salon can open it then.
 */
export type LedgerApp = Hono & {
  close(): Promise<void>;
  nextDueAt(): number | undefined;
  /**
   * With SMS through a shared session (`sms.gateway`): an SMS to this salon's
   * number, recorded before it resolves; and the session bound (again).
   */
  receiveSms?(sms: IncomingSms): Promise<void>;
  smsBound?(): void;
};

export function createLedgerApp(options: LedgerOptions): LedgerApp {
  const { store } = options;
  const controller: Controller = options.controller ?? { name: 'the salon' };
  const limitBody = limitBodyTo(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const publicLimit =
    options.rateLimit === false
      ? undefined
      : rateLimit({
          clientAddress: (c) => clientAddress(c, options.trustProxy),
          // A store shared by several processes keeps the buckets, so the limit holds across them.
          ...(store.rateBuckets ? { buckets: store.rateBuckets } : {}),
          ...options.rateLimit,
        });
  checkLedgerSettings(options);
  const { purposes, modes, addresses, viewOptions } = ledgerDecisions(options);
  const ledger = createLedgerContext({
    store,
    purposes,
    addresses,
    registry: new TextRegistry(options.texts),
    controller,
    publicUrl: options.publicUrl,
    // Public endpoints: rate limit per address first, then the body size.
    publicGuard: publicLimit ? every(publicLimit, limitBody) : limitBody,
    limitBody,
    clientAddress: (c) => clientAddress(c, options.trustProxy),
    viewOptions,
    retention: options.retention === false ? {} : (options.retention ?? {}),
  });
  // The retention schedule: once at start, then at the interval; a failed run is tried again at the next.
  let retentionTimer: NodeJS.Timeout | undefined;
  let retentionStart: NodeJS.Timeout | undefined;
  let retentionRun: Promise<unknown> = Promise.resolve();
  if (options.retention !== false) {
    const run = () => {
      retentionRun = ledger.applyRetention({ dryRun: false }).then(
        (plans) => {
          // Counts only: the operator's log is no place for the identifiers just erased.
          const entries = plans.reduce((sum, plan) => sum + plan.seqs.length, 0);
          if (plans.length > 0) console.log(`ledger: retention erased personal data in ${entries} entries`);
        },
        (error: unknown) => {
          console.error('ledger: the retention run failed; it runs again at the next interval', error);
        },
      );
    };
    retentionStart = setTimeout(run, 0).unref();
    retentionTimer = setInterval(run, (options.retention?.intervalHours ?? 24) * 3_600_000).unref();
  }
  // The SMS side runs whenever an SMSC is given: STOP works for the SMS newsletter with or without double opt-in.
  const sms = options.sms
    ? new SmsChannel(ledger, options.sms, {
        bound: () => ledger.confirmations?.kick(),
        stopped: (replyId, address) => ledger.confirmations?.stopped(replyId, address),
        recorded: () => ledger.webhooks?.kick(),
      })
    : undefined;
  if ([...modes.values()].includes('double-opt-in') || sms) {
    ledger.confirmations = new ConfirmationSender(
      ledger,
      { mail: options.mail, sms },
      { linkSecret: options.linkSecret, publicUrl: options.publicUrl },
    );
    // Messages that were due when the ledger last stopped go out now.
    ledger.confirmations.kick();
  }
  sms?.start();
  if (options.webhooks?.endpoints.length) {
    ledger.webhooks = new WebhookDispatcher(ledger, options.webhooks, { shared: Boolean(store.rateBuckets) });
    // Events that were not acknowledged when the ledger last stopped go out now.
    ledger.webhooks.kick();
  }
  const proofLinkSecret = options.proofLinkSecret ?? crypto.randomUUID() + crypto.randomUUID();

  // Whether the chain still holds, for proofs: checked once in full, then only what was appended since
  // (the chain only grows, and an erasure changes no hash).
  const chain = new LedgerVerifier();
  let checking: Promise<boolean> | undefined;
  const chainIntact = (): Promise<boolean> =>
    (checking ??= (async () => {
      try {
        for await (const page of pagesAfter(store, chain.head.count)) {
          chain.take(page);
          if (!chain.chainHolds) return false;
        }
        return await checkpointHolds(chain.head);
      } finally {
        checking = undefined;
      }
    })());

  /**
   * The latest signed checkpoint, when there are trusted keys, must match the
   * chain where it ends (entries after it may be another process's, with a
   * checkpoint of their own: the verify endpoint reports the coverage).
   */
  const checkpointHolds = async (head: { count: number; hash: string }): Promise<boolean> => {
    const note = options.latestCheckpoint?.();
    if (!note || !options.checkpointKeys?.length) return true;
    const opened = openCheckpoint(note, options.checkpointKeys);
    if (!opened.ok) return false;
    const { size } = opened.checkpoint;
    const hashAtSize =
      size === 0 || size > head.count
        ? undefined
        : size === head.count
          ? head.hash
          : (await store.entries({ afterSeq: size - 1, limit: 1 }))[0]?.hash;
    return !checkpointMismatch(head.count, opened.checkpoint, hashAtSize);
  };

  /** The whole chain against the latest checkpoint, read a page at a time. */
  const verify = async () => {
    const checkpoint = options.latestCheckpoint?.();
    const verifier = new LedgerVerifier({
      trustedKeys: options.checkpointKeys ?? [],
      checkpoints: checkpoint ? [{ source: 'latest checkpoint', note: checkpoint }] : [],
    });
    for await (const page of pagesAfter(store, 0)) verifier.take(page);
    return verifier.report();
  };

  const proofResponse = async (c: Context, query: SubjectQuery) => {
    const view = await ledger.viewOf(query);
    const status = view.status(query, ledger.purposes);
    const proof = buildProof({
      subject: status.subject,
      status,
      history: view.history(query),
      controller,
      chainIntact: await chainIntact(),
      checkpoint: options.latestCheckpoint?.(),
    });
    if (c.req.query('format') === 'json' || c.req.header('accept')?.includes('application/json')) return c.json(proof);
    setPageHeaders(c, PROOF_PAGE.csp);
    return c.html(renderProofPage(proof));
  };

  const app = new Hono();
  // nosniff, frame and referrer defaults on every answer (see SECURITY_HEADERS).
  app.use('*', securityHeaders);
  // Without a public URL, confirmation links point where requests reach the ledger (with a URL, the base is unused).
  if (ledger.confirmations && !options.publicUrl) {
    const sender = ledger.confirmations;
    app.use('*', async (c, next) => {
      sender.noteBase(ledger.publicBase(c));
      await next();
    });
  }
  // Every write comes as a POST: it waits until a new endpoint knows where it starts (the chain's head before
  // this run's first write), and once it is answered, its changes go to the webhooks.
  if (ledger.webhooks) {
    const webhooks = ledger.webhooks;
    app.use('*', async (c, next) => {
      if (c.req.method === 'POST') await webhooks.ready.catch(() => undefined);
      await next();
      if (c.req.method === 'POST' && c.res.status < 400) webhooks.kick();
    });
  }
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('ledger: unexpected error', error);
    return fail(c, 500, 'the ledger could not handle the request; try again later');
  });
  app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  app.get(
    '/v1/health',
    describeRoute({
      ...publicOperation,
      operationId: 'getHealth',
      summary: 'Liveness',
      responses: { 200: jsonAnswer('Serving', healthSchema) },
    }),
    (c) => c.json({ ok: true }),
  );
  // Generated from the routes once, on first request (they do not change while the app runs); its server is
  // where the request came in.
  let description: Promise<Record<string, unknown>> | undefined;
  app.get(
    '/v1/openapi.json',
    describeRoute({
      ...publicOperation,
      operationId: 'getOpenApi',
      summary: 'This description',
      responses: { 200: jsonAnswer('OpenAPI 3.1', openApiDocumentSchema) },
    }),
    async (c) =>
      c.json({
        ...(await (description ??= buildOpenApi(app))),
        servers: [{ url: ledger.publicBase(c), description: 'This ledger' }],
      }),
  );
  app.route('/', intakeRoutes(ledger, new Set(options.allowedOrigins ?? [])));
  app.route('/', integrationRoutes(ledger, options.integrations ?? {}));
  app.route('/', linkRoutes(ledger, { linkSecret: options.linkSecret, proofLinkSecret }, proofResponse));
  app.route(
    '/',
    staffRoutes(ledger, {
      staffToken: options.staffToken,
      staffTokenSha256: options.staffTokenSha256,
      staffOrigins: new Set(options.staffOrigins ?? []),
      linkSecret: options.linkSecret,
      proofLinkSecret,
      proofResponse,
      verify,
    }),
  );
  return Object.assign(app, {
    close: async () => {
      clearTimeout(retentionStart);
      clearInterval(retentionTimer);
      await retentionRun;
      await ledger.confirmations?.close();
      // After the sends under way; an SMS that comes meanwhile is still recorded (the store is open).
      await sms?.close();
      await ledger.webhooks?.close();
    },
    nextDueAt: () => {
      const due = [ledger.confirmations?.nextDueAt, ledger.webhooks?.nextDueAt].filter((at) => at !== undefined);
      return due.length ? Math.min(...due) : undefined;
    },
    ...(sms && options.sms?.gateway
      ? { receiveSms: (message: IncomingSms) => sms.receive(message), smsBound: () => sms.wake() }
      : {}),
  });
}

/** The store's entries after the first `afterCount` as stored, a page at a time. */
async function* pagesAfter(store: LedgerStore, afterCount: number): AsyncGenerator<string[]> {
  for (let taken = afterCount; ;) {
    const page = await store.storedLines({ afterSeq: taken, limit: 2_000 });
    if (page.length === 0) return;
    yield page;
    taken += page.length;
  }
}
