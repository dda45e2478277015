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
 * waits for it), and the others one after another in the background. What
 * changed in the registry since it was last read is read when the registry
 * says so (PostgreSQL), every `refreshMs`, and at once for an id not yet
 * known: a salon added by the CLI is served within a moment, a disabled one
 * stops answering (its records are kept), changed settings (a new staff
 * token) take effect. A salon that cannot be opened answers 503 and is tried
 * again after a while; the log says its cause once, not at every try.
 */
import { Hono, type Context } from 'hono';
import { fail } from '../app/http.js';
import { checkLedgerSettings, createLedgerApp, type LedgerApp, type LedgerOptions } from '../app/ledger-app.js';
import type { LedgerStore } from '../store/ledger-store.js';
import type { ConfirmationMailSettings } from '../double-opt-in/confirmation-sender.js';
import type { CountryCode } from '../consent/addresses.js';
import { SALON_ID, type SalonRegistry, type SalonSettings } from './salon-registry.js';
import type { SmsSettings } from '../sms/sms-channel.js';
import { parseSmppUrl, SmppGateway, type IncomingSms } from '../sms/smpp-gateway.js';
import { smsNumberKey } from '../sms/sms-messages.js';

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
  'webhooks',
  'integrations',
] as const satisfies readonly (keyof LedgerOptions)[];

export type SharedLedgerOptions = Pick<LedgerOptions, (typeof SHARED_SETTINGS)[number]> & {
  /** The mail server every salon sends through; each salon's mails come from its own `mailFrom`. */
  mail?: Omit<ConfirmationMailSettings, 'from'>;
  /**
   * The SMSC every salon sends through, on one session the platform binds;
   * each salon's SMS come from its own `smsFrom`, and a reply reaches the
   * salon whose number it was sent to.
   */
  sms?: Omit<SmsSettings, 'from'>;
};

/** The platform's part of single-salon ledger options (a salon's own settings come from the registry). */
export function sharedLedgerOptions(options: Omit<LedgerOptions, 'store'>): SharedLedgerOptions {
  const shared: SharedLedgerOptions = {};
  for (const key of SHARED_SETTINGS) if (options[key] !== undefined) Object.assign(shared, { [key]: options[key] });
  if (options.mail) {
    const { from: _salonsOwn, ...mail } = options.mail;
    shared.mail = mail;
  }
  if (options.sms) {
    const { from: _salonsOwn, ...sms } = options.sms;
    shared.sms = sms;
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
  /** A salon nobody asked for this long (ms) is closed (its files and memory freed). Default 10 minutes. */
  idleMs?: number;
  /**
   * At most this many salons open at once: opening one more closes the one
   * asked for least recently that is not answering a request. Default 500
   * (about five files each).
   */
  maxOpen?: number;
  /** How often every salon is opened in the background for its retention run (ms). Default a day. */
  maintenanceMs?: number;
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
  const { mail, sms, publicUrl, webhooks, integrations, ...rest } = shared;
  // The platform's own endpoints and tools see every salon; the salon's own see only it.
  const endpoints = [...(webhooks?.endpoints ?? []), ...(salon.webhooks ?? [])];
  return {
    ...rest,
    ...(endpoints.length
      ? { webhooks: { ...webhooks, endpoints, salon: { id: salon.id, name: salon.controller.name } } }
      : {}),
    integrations: {
      ...integrations,
      tokenSha256s: [
        ...(integrations?.tokenSha256s ?? []),
        ...(salon.integrationTokenSha256 ? [salon.integrationTokenSha256] : []),
      ],
    },
    allowedOrigins: salon.origins,
    staffOrigins: salon.staffOrigins,
    staffTokenSha256: salon.staffTokenSha256,
    texts: salon.texts,
    linkSecret: salon.linkSecret,
    controller: salon.controller,
    phoneCountry: salon.phoneCountry as CountryCode | undefined,
    confirmation: Object.fromEntries(salon.singleOptIn.map((purpose) => [purpose, 'none'])),
    ...(mail && salon.mailFrom ? { mail: { ...mail, from: salon.mailFrom } } : {}),
    ...(sms && salon.smsFrom ? { sms: { ...sms, from: salon.smsFrom } } : {}),
    ...(publicUrl ? { publicUrl: `${publicUrl.replace(/\/$/, '')}${salonPath(salon.id)}` } : {}),
  };
}

interface Served {
  settings: string;
  app: Hono;
  ledgerApp: LedgerApp;
  /** When a request last reached it, and how many are being answered (their bodies still streaming included). */
  lastUsed: number;
  inFlight: number;
  /** Whether a request has reached it since it opened (not only the background). */
  asked: boolean;
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

/** The answers a ledger streams (the audience as CSV or JSON lines): their bodies outlive the handler. */
const STREAMED = /^(text\/csv|application\/jsonl)\b/;

/**
 * A salon's answer to a request, counted as under way until it is made, and
 * a streamed one until its body has been read to the end or given up: a
 * salon is never closed under a request. (Only streamed bodies are wrapped:
 * the Node adapter sends a plain answer faster as it is.)
 */
async function answer(served: Served, request: Request, env: unknown, answered: () => void): Promise<Response> {
  served.inFlight += 1;
  let done = false;
  const release = () => {
    if (done) return;
    done = true;
    served.inFlight -= 1;
    served.lastUsed = Date.now();
    answered();
  };
  served.asked = true;
  let response: Response;
  try {
    response = await served.app.fetch(request, env);
  } catch (error) {
    release();
    throw error;
  }
  if (!response.body || !STREAMED.test(response.headers.get('content-type') ?? '')) {
    release();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, response);
}

/** Salons opened at once in the background (a request's own salon does not wait for them). */
const WARM_UP_CONCURRENCY = 2;
/** While requests come, the background opens one salon at most this often (ms). */
const WARM_UP_BUSY_MS = 500;
/** A salon that could not be opened is tried again, when asked for, after this long (ms). */
const RETRY_BROKEN_MS = 30_000;
/** How long a request waits for room under --max-open-salons before its salon opens over the cap (ms). */
const ROOM_WAIT_MS = 10_000;

/**
 * Why salons cannot be served, for the operator's log: each salon's cause
 * said once, however often the salon is tried again, and again only when
 * the cause changes or the salon was served in between. A system error's
 * cause is its code (EMFILE names a different file at each try), any other
 * error's its message.
 */
class ProblemLog {
  readonly #said = new Map<string, string>();
  /** The cap on open salons, named in the fix for a process out of files. */
  readonly #maxOpen: number;

  constructor(maxOpen: number) {
    this.#maxOpen = maxOpen;
  }

  say(salon: string, error: NodeJS.ErrnoException): void {
    const cause = error.code ?? error.message;
    if (this.#said.get(salon) === cause) return;
    this.#said.set(salon, cause);
    const fix =
      error.code === 'EMFILE' || error.code === 'ENFILE'
        ? `: the process may open no more files; raise its limit (ulimit -n, LimitNOFILE) or lower --max-open-salons (${this.#maxOpen}, about five files each)`
        : '';
    console.error(`ledger: salon ${salon} cannot be served: ${error.message}${fix}`);
  }

  /** The salon is served: a later failure is said again. */
  served(salon: string): void {
    this.#said.delete(salon);
  }
}

export function createPlatformApp(options: PlatformOptions): PlatformApp {
  const { registry } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const maxOpen = options.maxOpen ?? 500;
  /** Salons being closed: a request for one waits, then opens it again. */
  const closing = new Map<string, Promise<void>>();
  /** When a closed salon's background work is due again, it is opened then. */
  const wakeUps = new Map<string, ReturnType<typeof setTimeout>>();
  const ledgers = new Map<string, Promise<SalonLedger>>();
  const apps = new Map<string, Served>();
  /** The enabled salons of the registry as last read. */
  const known = new Map<string, SalonSettings>();
  /** Salons being opened (or re-served with new settings): a request for one waits for it. */
  const opening = new Map<string, Promise<void>>();
  /** Salons not opened yet, for the background to open one after another. */
  const toWarm = new Set<string>();
  let warming = 0;
  /** Salons that cannot be served, and when they were last tried (why is in `problems`). */
  const broken = new Map<string, number>();
  const problems = new ProblemLog(maxOpen);
  let refreshing: Promise<void> | undefined;
  /** Where the registry was last read to (see SalonRegistry.changes). */
  let cursor: string | undefined;
  let closed = false;

  /**
   * One SMPP session for every salon: a reply goes to the salon whose number
   * it was sent to (opened for it if closed), and is acknowledged to the SMSC
   * once that salon recorded it; a reply to no salon's number is acknowledged
   * and dropped. When the session binds (again), every open salon sends what
   * waited; a closed one is opened when its next pass is due (see stopSalon).
   */
  const smsTo = async (sms: IncomingSms) => {
    const to = smsNumberKey(sms.to);
    const salons = [...known.values()].filter((s) => s.smsFrom && smsNumberKey(s.smsFrom) === to);
    // Two salons with one number (the CLI refuses it; a hand-edited registry may not): neither may read the
    // other's replies, so the SMSC is asked to deliver it again once the operator gave each its own.
    if (salons.length > 1) throw new Error(`salons ${salons.map((s) => s.id).join(' and ')} share one SMS number`);
    const salon = salons[0];
    if (!salon) return;
    await closing.get(salon.id);
    if (!apps.has(salon.id)) await open(salon);
    const served = apps.get(salon.id);
    if (!served?.ledgerApp.receiveSms) throw new Error(`salon ${salon.id} cannot take SMS now`);
    served.inFlight += 1;
    try {
      await served.ledgerApp.receiveSms(sms);
    } finally {
      served.inFlight -= 1;
      served.lastUsed = Date.now();
    }
  };
  const sharedSms = options.shared?.sms;
  const gateway = sharedSms
    ? new SmppGateway(parseSmppUrl(sharedSms.smppUrl), {
        onMessage: smsTo,
        onBound: () => {
          for (const served of apps.values()) served.ledgerApp.smsBound?.();
        },
      })
    : undefined;
  const shared: SharedLedgerOptions | undefined =
    gateway && options.shared ? { ...options.shared, sms: { ...sharedSms!, gateway } } : options.shared;

  /** Closes a salon's store (one that failed to open has nothing to close). */
  const closeLedger = async (id: string) => {
    const ledger = ledgers.get(id);
    ledgers.delete(id);
    await (await ledger?.catch(() => undefined))?.store.close();
  };

  const stopSalon = (id: string): Promise<void> => {
    const under = closing.get(id);
    if (under) return under;
    const stopping = (async () => {
      await opening.get(id);
      const served = apps.get(id);
      apps.delete(id);
      // Its mails waiting for a retry are sent when they are due: the salon is opened again then.
      const due = served?.ledgerApp.nextDueAt();
      await served?.ledgerApp.close();
      await closeLedger(id);
      if (due !== undefined && !closed && known.has(id)) wakeUpAt(id, due);
    })().finally(() => {
      closing.delete(id);
      roomMayBeFree();
    });
    closing.set(id, stopping);
    return stopping;
  };

  const wakeUpAt = (id: string, at: number) => {
    clearTimeout(wakeUps.get(id));
    const timer = setTimeout(
      () => {
        wakeUps.delete(id);
        toWarm.add(id);
        warmUp();
      },
      Math.min(Math.max(at - Date.now(), 0), 86_400_000),
    );
    timer.unref();
    wakeUps.set(id, timer);
  };

  /**
   * Closes salons idle for `idleMs`, and the least recently asked for beyond
   * `maxOpen` with `room` more to open (never one answering). For the
   * background (`forBackground`), only salons no request needed since they
   * opened, or idle ones, make room.
   */
  const closeIdle = async (room = 0, forBackground = false) => {
    const now = Date.now();
    const idle = [...apps.entries()]
      .filter(([id, served]) => served.inFlight === 0 && !opening.has(id) && !closing.has(id))
      .filter(([, served]) => !forBackground || !served.asked || now - served.lastUsed >= idleMs)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    let over = apps.size + room - maxOpen;
    const stopping: Promise<void>[] = [];
    for (const [id, served] of idle) {
      if (now - served.lastUsed < idleMs && over <= 0) break;
      over -= 1;
      stopping.push(stopSalon(id));
    }
    await Promise.all(stopping);
  };
  const idleTimer = setInterval(() => void closeIdle(), Math.max(50, Math.min(idleMs / 2, 30_000)));
  idleTimer.unref();

  const serveSalon = async (salon: SalonSettings) => {
    const settings = JSON.stringify(salon);
    if (apps.get(salon.id)?.settings === settings) return;
    try {
      const ledgerOptions = salonLedgerOptions(salon, shared);
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
      apps.set(salon.id, {
        settings,
        app,
        ledgerApp,
        lastUsed: Date.now(),
        inFlight: previous?.inFlight ?? 0,
        asked: previous?.asked ?? false,
      });
      broken.delete(salon.id);
      problems.served(salon.id);
      await previous?.ledgerApp.close();
    } catch (error) {
      problems.say(salon.id, error as NodeJS.ErrnoException);
      broken.set(salon.id, Date.now());
      // A salon served before keeps its store for the app still serving it.
      if (!apps.has(salon.id)) await closeLedger(salon.id);
    }
  };

  /** Salons being opened that are not served yet: they count against the cap. */
  let reserved = 0;
  /** Opens waiting for room under the cap: told when a salon stops answering, closes or is opened. */
  let waitingForRoom: (() => void)[] = [];
  const roomMayBeFree = () => {
    if (waitingForRoom.length === 0) return;
    const waiting = waitingForRoom;
    waitingForRoom = [];
    for (const wake of waiting) wake();
  };

  /**
   * Room for one more open salon under the cap, made by closing idle ones.
   * A request waits while every open salon is answering (the cap holds
   * however many salons are asked for at once), up to ROOM_WAIT_MS, then
   * opens over the cap rather than fail; the background does not wait.
   */
  const roomFor = async (forBackground: boolean): Promise<boolean> => {
    const deadline = Date.now() + ROOM_WAIT_MS;
    for (;;) {
      if (apps.size + reserved < maxOpen) break;
      await closeIdle(reserved + 1, forBackground);
      if (apps.size + reserved < maxOpen) break;
      if (forBackground) return false;
      if (Date.now() >= deadline) break;
      await new Promise<void>((resolve) => {
        waitingForRoom.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
    reserved += 1;
    return true;
  };

  /**
   * Opens (or re-serves) a salon once, however many ask at the same time; one
   * being closed is let close first. Room is made under the cap first; the
   * background (`forBackground`) opens only where it can make room without
   * closing a salon requests use, and otherwise leaves the salon closed (see
   * warmUp: it waits its turn).
   */
  const open = (salon: SalonSettings, forBackground = false): Promise<void> => {
    let pending = opening.get(salon.id);
    if (!pending) {
      clearTimeout(wakeUps.get(salon.id));
      wakeUps.delete(salon.id);
      const isNew = !apps.has(salon.id);
      pending = (async () => {
        await closing.get(salon.id);
        if (!isNew) return serveSalon(salon);
        if (!(await roomFor(forBackground))) return;
        try {
          await serveSalon(salon);
        } finally {
          reserved -= 1;
          roomMayBeFree();
        }
      })().finally(() => opening.delete(salon.id));
      opening.set(salon.id, pending);
    }
    return pending;
  };

  /** Whether to try opening a salon: not one that failed a moment ago (it is tried again after a while). */
  const mayTry = (id: string) => {
    const failedAt = broken.get(id);
    return failedAt === undefined || Date.now() - failedAt >= RETRY_BROKEN_MS;
  };

  /** Requests being answered now, and when the last one ended: the background gives way to them. */
  let answering = 0;
  let lastAnswered = 0;
  let lastWarmUp = 0;
  /** The background found no room under the cap: it tries again then. */
  let noRoomUntil = 0;
  let warmUpLater: ReturnType<typeof setTimeout> | undefined;
  const warmUpAfter = (ms: number) => {
    warmUpLater ??= setTimeout(() => {
      warmUpLater = undefined;
      warmUp();
    }, ms);
    warmUpLater.unref();
  };

  /**
   * Opens the salons not asked for yet until none is left: two at a time
   * while no request came for a moment, and one every WARM_UP_BUSY_MS while
   * requests come (so it ends even on a platform never idle, and never takes
   * more than a sliver of the time requests need).
   */
  const warmUp = () => {
    if (closed || toWarm.size === 0) return;
    const now = Date.now();
    if (now < noRoomUntil) return warmUpAfter(noRoomUntil - now);
    const busy = answering > 0 || now - lastAnswered < 50;
    if (busy && (warming > 0 || now - lastWarmUp < WARM_UP_BUSY_MS)) {
      warmUpAfter(warming === 0 ? WARM_UP_BUSY_MS - (now - lastWarmUp) : 50);
      return;
    }
    while (!closed && warming < (busy ? 1 : WARM_UP_CONCURRENCY) && toWarm.size > 0) {
      const id = toWarm.values().next().value!;
      toWarm.delete(id);
      const salon = known.get(id);
      if (!salon || apps.has(id) || !mayTry(id)) continue;
      warming += 1;
      lastWarmUp = Date.now();
      void open(salon, true).finally(() => {
        warming -= 1;
        // No room under the cap (every open salon is in use): the salon waits its turn, and the background a second.
        if (!apps.has(id) && !broken.has(id) && known.has(id)) {
          toWarm.add(id);
          noRoomUntil = Date.now() + 1_000;
        }
        warmUp();
      });
    }
  };

  /** Takes in what changed in the registry (everything at the first read); opens none itself (see warmUp). */
  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      try {
        const first = cursor === undefined;
        const changed = await registry.changes(cursor);
        cursor = changed.cursor;
        if (closed) return;
        for (const salon of changed.salons) {
          const { id } = salon;
          broken.delete(id);
          if (salon.disabledAt) {
            known.delete(id);
            toWarm.delete(id);
            if (ledgers.has(id) || apps.has(id)) await stopSalon(id);
            continue;
          }
          known.set(id, salon);
          // Served ones take changed settings now; new ones are opened in the background (or when asked for).
          if (apps.has(id)) await open(salon);
          else if (first || !wakeUps.has(id)) toWarm.add(id);
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
    answering += 1;
    try {
      return await answerFor(c);
    } finally {
      answering -= 1;
      lastAnswered = Date.now();
    }
  });
  const answerFor = async (c: Context) => {
    const id = c.req.param('salon')!;
    if (!SALON_ID.test(id)) return fail(c, 404, `no salon "${id}" here`);
    // A salon added a moment ago: read what changed in the registry now rather than at the next interval.
    if (!known.has(id)) await refresh();
    // Its own salon first: a request does not wait for the background to reach it; one closing is opened again.
    const salon = known.get(id);
    await closing.get(id);
    if (salon && !apps.has(id) && mayTry(id)) {
      await open(salon);
      // The background was opening it, and left it closed for want of room: open it for this request.
      if (!apps.has(id) && !broken.has(id)) await open(salon);
    }
    const served = apps.get(id);
    if (served) return answer(served, c.req.raw, c.env, roomMayBeFree);
    if (broken.has(id))
      return fail(c, 503, `the ledger of salon "${id}" cannot be served now; the operator's log says why`);
    return fail(c, 404, `no salon "${id}" here`);
  };
  app.notFound((c) => fail(c, 404, `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`));

  // Every salon opened once in a while in the background, for its retention run (it closes again when idle).
  const maintenance = setInterval(
    () => {
      for (const id of known.keys()) toWarm.add(id);
      warmUp();
    },
    Math.min(options.maintenanceMs ?? 86_400_000, 2 ** 31 - 1),
  );
  maintenance.unref();

  return Object.assign(app, {
    async start() {
      registry.watch?.(() => void refresh());
      await refresh();
      // Bound once the salons are known, so that a reply finds its salon.
      gateway?.start();
    },
    served: () => [...apps.keys()].sort(),
    registered: () => [...known.keys()].sort(),
    async close() {
      closed = true;
      clearInterval(timer);
      clearInterval(idleTimer);
      clearInterval(maintenance);
      clearTimeout(warmUpLater);
      for (const wakeUp of wakeUps.values()) clearTimeout(wakeUp);
      toWarm.clear();
      await refreshing;
      await Promise.all(opening.values());
      for (const id of [...ledgers.keys()]) await stopSalon(id);
      await gateway?.close();
      await registry.close();
    },
  });
}
