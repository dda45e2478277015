/**
 * One deployment for many salons: each salon's ledger is the same app a
 * single salon runs (createLedgerApp), on its own chain and with its own
 * settings, reached under /salons/ID/. Nothing is shared between two
 * salons' apps but the process: a request reaches exactly one salon's app,
 * chosen by the id in its path, and that app knows only its own store,
 * staff token, origins and link secret. So another salon's token, link or
 * sequence number finds nothing there.
 *
 * The platform answers as soon as it has read the registry: a salon is
 * opened when it is first asked for (a request that comes while it opens
 * waits for it), and the others one after another in the background. The
 * registry is read again every `refreshMs`, and at once for an id not yet
 * known: a salon added by the CLI is served within a moment, a disabled one
 * stops answering (its records are kept), changed settings (a new staff
 * token) take effect.
 */
import { Hono } from 'hono';
import { fail } from '../app/http.js';
import { checkLedgerSettings, createLedgerApp, type LedgerApp, type LedgerOptions } from '../app/ledger-app.js';
import type { LedgerStore } from '../store/ledger-store.js';
import type { ConfirmationMailSettings } from '../double-opt-in/confirmation-sender.js';
import type { CountryCode } from '../consent/addresses.js';
import { SALON_ID, type SalonRegistry, type SalonSettings } from './salon-registry.js';

/** What the salons of a platform share; everything else is each salon's own (see SalonSettings). */
const SHARED_SETTINGS = [
  'purposes',
  'maxBodyBytes',
  'publicUrl',
  'proofLinkSecret',
  'rateLimit',
  'trustProxy',
  'confirmationLapseDays',
  'retention',
  'now',
] as const satisfies readonly (keyof LedgerOptions)[];

export type SharedLedgerOptions = Pick<LedgerOptions, (typeof SHARED_SETTINGS)[number]> & {
  /** The mail server every salon sends through; each salon's mails come from its own `mailFrom`. */
  mail?: Omit<ConfirmationMailSettings, 'from'>;
};

/** The platform's part of single-salon ledger options (a salon's own settings come from the registry). */
export function sharedLedgerOptions(options: Omit<LedgerOptions, 'store'>): SharedLedgerOptions {
  const shared: SharedLedgerOptions = {};
  for (const key of SHARED_SETTINGS) if (options[key] !== undefined) Object.assign(shared, { [key]: options[key] });
  if (options.mail) {
    const { from: _salonsOwn, ...mail } = options.mail;
    shared.mail = mail;
  }
  return shared;
}

export interface SalonLedger {
  store: LedgerStore & { readonly lastCheckpoint?: string | undefined };
  /** Verifier keys whose checkpoints this salon's verify endpoint trusts. */
  checkpointKeys?: readonly string[];
}

export interface PlatformOptions {
  registry: SalonRegistry;
  /** Opens one salon's chain (made on first open); closed when the salon is disabled or the platform closes. */
  openSalon(id: string): Promise<SalonLedger>;
  shared?: SharedLedgerOptions;
  /** How often the registry is read again (ms). Default 5 s. */
  refreshMs?: number;
}

/** The path every route of a salon's ledger starts with. */
export function salonPath(id: string): string {
  return `/salons/${id}`;
}

/** A salon's ledger options: its own settings over what the platform shares. */
export function salonLedgerOptions(
  salon: SalonSettings,
  shared: SharedLedgerOptions = {},
): Omit<LedgerOptions, 'store'> {
  const { mail, publicUrl, ...rest } = shared;
  return {
    ...rest,
    allowedOrigins: salon.origins,
    staffOrigins: salon.staffOrigins,
    staffTokenSha256: salon.staffTokenSha256,
    texts: salon.texts,
    linkSecret: salon.linkSecret,
    controller: salon.controller,
    phoneCountry: salon.phoneCountry as CountryCode | undefined,
    confirmation: Object.fromEntries(salon.singleOptIn.map((purpose) => [purpose, 'none'])),
    ...(mail && salon.mailFrom ? { mail: { ...mail, from: salon.mailFrom } } : {}),
    ...(publicUrl ? { publicUrl: `${publicUrl.replace(/\/$/, '')}${salonPath(salon.id)}` } : {}),
  };
}

interface Served {
  settings: string;
  app: Hono;
  ledgerApp: LedgerApp;
}

export type PlatformApp = Hono & {
  /**
   * Reads the registry and returns: salons are opened when first asked for,
   * and the others one after another in the background (their retention and
   * waiting confirmation mails start then), so the platform answers at once
   * whatever the number of salons.
   */
  start(): Promise<void>;
  close(): Promise<void>;
  /** The ids of the salons open now. */
  served(): string[];
  /** The ids of the enabled salons in the registry. */
  registered(): string[];
};

/** Salons opened at once in the background (a request's own salon does not wait for them). */
const WARM_UP_CONCURRENCY = 2;

export function createPlatformApp(options: PlatformOptions): PlatformApp {
  const { registry } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const ledgers = new Map<string, Promise<SalonLedger>>();
  const apps = new Map<string, Served>();
  /** The enabled salons of the registry as last read. */
  const known = new Map<string, SalonSettings>();
  /** Salons being opened (or re-served with new settings): a request for one waits for it. */
  const opening = new Map<string, Promise<void>>();
  /** Salons not opened yet, for the background to open one after another. */
  const toWarm = new Set<string>();
  let warming = 0;
  /** Salons that cannot be served, and why (for the operator's log, said once). */
  const broken = new Map<string, string>();
  let refreshing: Promise<void> | undefined;
  let lastRefresh = 0;
  let closed = false;

  /** Closes a salon's store (one that failed to open has nothing to close). */
  const closeLedger = async (id: string) => {
    const ledger = ledgers.get(id);
    ledgers.delete(id);
    await (await ledger?.catch(() => undefined))?.store.close();
  };

  const stopSalon = async (id: string) => {
    await opening.get(id);
    const served = apps.get(id);
    apps.delete(id);
    await served?.ledgerApp.close();
    await closeLedger(id);
  };

  const serveSalon = async (salon: SalonSettings) => {
    const settings = JSON.stringify(salon);
    if (apps.get(salon.id)?.settings === settings) return;
    try {
      const ledgerOptions = salonLedgerOptions(salon, options.shared);
      checkLedgerSettings(ledgerOptions);
      if (!ledgers.has(salon.id)) ledgers.set(salon.id, options.openSalon(salon.id));
      const ledger = await ledgers.get(salon.id)!;
      const ledgerApp = createLedgerApp({
        ...ledgerOptions,
        store: ledger.store,
        checkpointKeys: ledger.checkpointKeys ?? [],
        latestCheckpoint: () => ledger.store.lastCheckpoint,
      });
      const app = new Hono().route(salonPath(salon.id), ledgerApp);
      app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));
      const previous = apps.get(salon.id);
      apps.set(salon.id, { settings, app, ledgerApp });
      broken.delete(salon.id);
      await previous?.ledgerApp.close();
    } catch (error) {
      const reason = (error as Error).message;
      if (broken.get(salon.id) !== reason) console.error(`ledger: salon ${salon.id} cannot be served: ${reason}`);
      broken.set(salon.id, reason);
      // A salon served before keeps its store for the app still serving it.
      if (!apps.has(salon.id)) await closeLedger(salon.id);
    }
  };

  /** Opens (or re-serves) a salon once, however many ask at the same time. */
  const open = (salon: SalonSettings): Promise<void> => {
    let pending = opening.get(salon.id);
    if (!pending) {
      pending = serveSalon(salon).finally(() => opening.delete(salon.id));
      opening.set(salon.id, pending);
    }
    return pending;
  };

  /** Opens the salons not asked for yet, a few at a time, until none is left. */
  const warmUp = () => {
    while (!closed && warming < WARM_UP_CONCURRENCY && toWarm.size > 0) {
      const id = toWarm.values().next().value!;
      toWarm.delete(id);
      const salon = known.get(id);
      // A salon that could not be served is tried again (its cause is logged once).
      if (!salon || apps.has(id)) continue;
      warming += 1;
      void open(salon).finally(() => {
        warming -= 1;
        warmUp();
      });
    }
  };

  /** Brings the served salons in line with the registry; opens none itself (see warmUp). */
  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      try {
        const salons = await registry.list();
        lastRefresh = Date.now();
        if (closed) return;
        const enabled = new Map(salons.filter((salon) => !salon.disabledAt).map((salon) => [salon.id, salon]));
        known.clear();
        for (const [id, salon] of enabled) known.set(id, salon);
        for (const id of [...ledgers.keys()]) if (!enabled.has(id)) await stopSalon(id);
        for (const id of [...broken.keys()]) if (!enabled.has(id)) broken.delete(id);
        for (const salon of enabled.values()) {
          // Served ones take changed settings now; the others are opened in the background (or when asked for).
          if (apps.has(salon.id)) await open(salon);
          else toWarm.add(salon.id);
        }
        warmUp();
      } catch (error) {
        console.error('ledger: could not read the salon registry; serving the salons as they were', error);
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();

  const app = new Hono();
  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.all('/salons/:salon/*', async (c) => {
    const id = c.req.param('salon');
    if (!SALON_ID.test(id)) return fail(c, 404, `no salon "${id}" here`);
    // A salon added a moment ago: read the registry now rather than at the next interval (at most once a second).
    if (!known.has(id) && Date.now() - lastRefresh > 1_000) await refresh();
    // Its own salon first: a request does not wait for the background to reach it.
    const salon = known.get(id);
    if (salon && !apps.has(id) && !broken.has(id)) await open(salon);
    const served = apps.get(id);
    if (served) return served.app.fetch(c.req.raw, c.env);
    if (broken.has(id))
      return fail(c, 503, `the ledger of salon "${id}" cannot be served now; the operator's log says why`);
    return fail(c, 404, `no salon "${id}" here`);
  });
  app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  return Object.assign(app, {
    start: () => refresh(),
    served: () => [...apps.keys()].sort(),
    registered: () => [...known.keys()].sort(),
    async close() {
      closed = true;
      clearInterval(timer);
      toWarm.clear();
      await refreshing;
      await Promise.all(opening.values());
      for (const id of [...ledgers.keys()]) await stopSalon(id);
      await registry.close();
    },
  });
}
