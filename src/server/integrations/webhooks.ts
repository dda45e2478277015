/**
 * Webhooks out: every change of a customer's decision, POSTed to each of the
 * salon's endpoints as a CloudEvents 1.0 event in structured JSON mode,
 * signed per Standard Webhooks.
 *
 * The chain is the queue. Each endpoint has a cursor (the last entry whose
 * events it acknowledged) kept durably beside the chain (LedgerStore.writeState),
 * so a crash after a record was acknowledged delivers its events after the
 * restart: at least once, never lost. Events go out one at a time in chain
 * order, so one customer's events arrive in order; a failing endpoint holds
 * its own queue (a withdrawal must never overtake the grant it withdraws)
 * and is tried again after 5 s, 30 s, 2 min, … up to every 6 hours, with
 * the same `webhook-id` for every attempt. Lapses, which no entry records,
 * are sent at their time, in order with the entries around it.
 *
 * An erasure destroys the addresses the tool must delete, so they are kept
 * aside as a notice just before the erasure is written, sent with the
 * `.erased` events, and deleted once every endpoint has them: afterwards
 * nothing of the customer is left, in the chain or in the queue.
 *
 * The log names endpoints by their origin and says what failed; never a
 * customer's address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CloudEvent, HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import type { ChainEntry, ConsentWebhookData, ErasureRecord } from '../../contract/ledger-records.js';
import { isRecord } from '../../contract/ledger-records.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { addressPrefix } from '../consent/addresses.js';
import { WIDGET_VERSION } from '../../version.js';
import { addressOfKey, decisionChangesAt, lapsedSince, type DecisionChange } from './decision-changes.js';

export interface WebhookEndpoint {
  url: string;
  /** The Standard Webhooks secret, `whsec_<base64>`. */
  secret: string;
}

export interface WebhookSettings {
  endpoints: readonly WebhookEndpoint[];
  /** The salon the events are about, named in each event's data: its id on a platform, and its name. */
  salon: { id?: string; name: string };
  /** Waits after failed attempts (ms); the last one repeats. Default 5 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h. */
  retryDelaysMs?: readonly number[];
  /** How long one delivery may take. Default 10 s. */
  timeoutMs?: number;
  /** How often a ledger whose store other processes write to looks for their entries. Default 10 s. */
  pollMs?: number;
  now?: () => number;
}

/** The CloudEvents type of each change: `marketing-consent.decision.granted`, … */
export const WEBHOOK_EVENT_TYPE_PREFIX = 'marketing-consent.decision.';

const DEFAULT_RETRY_DELAYS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000];
/** While events flow, an endpoint's cursor is written at most this long after an acknowledgement. */
const SAVE_EVERY_MS = 200;
/** A pass hands its endpoint on after this long, so that other processes and endpoints get their turn. */
const PASS_MS = 30_000;

/** Where the events of one endpoint stand, kept beside the chain. Holds no personal data. */
interface EndpointState {
  /** Every event of the entries up to here is acknowledged. */
  cursor: number;
  /** Events of the entry after the cursor already acknowledged. */
  done: number;
  /** Sign-ups that lapse unless confirmed: their grant's seq, purpose and address key's digest. */
  lapses: { seq: number; purpose: string; keyDigest: string; at: number }[];
  delivered: number;
  lastDeliveredAt?: string;
  /** The event being retried. */
  failing?: { id: string; attempts: number; since: string; lastError: string; nextAt: number };
}

/** What staff see of an endpoint (GET /v1/staff/webhooks). */
export interface WebhookEndpointStatus {
  id: string;
  /** The URL with its query left out (it may hold a key). */
  url: string;
  deliveredThrough: number;
  backlog: number;
  delivered: number;
  lastDeliveredAt?: string;
  failing?: { since: string; attempts: number; lastError: string; nextAttemptAt: string; eventId: string };
}

/** One event ready to go, and how the endpoint's state moves once it is acknowledged. */
interface Due {
  id: string;
  type: DecisionChange;
  time: string;
  data: ConsentWebhookData;
  acknowledge(state: EndpointState): void;
}

/** A notice kept aside until every endpoint has an erasure's events. */
interface ErasureNotice {
  erasureId: string;
  madeAt: string;
  addresses: { purpose: string; address: string }[];
}

const NOTICE_PREFIX = 'webhook-erasure:';

/** A short, stable name for an endpoint (its state's name, the staff API's id). */
export const endpointId = (url: string): string => createHash('sha256').update(url).digest('hex').slice(0, 16);

/** The URL as staff and logs may show it: no query, no user or password. */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
}

/** Throws, naming the fix, for a URL events must not go to: https only, plain http on loopback addresses. */
export function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`webhook "${url}" is not an absolute URL: give https://… (--webhook)`);
  }
  const loopback = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) return;
  throw new Error(
    `webhook ${shownUrl(url)} must use https (plain http only to a loopback address such as 127.0.0.1): ` +
      `events carry customers' addresses`,
  );
}

/** A new Standard Webhooks secret: 32 random bytes, `whsec_<base64>`. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Throws, naming the fix, for a secret that is not a Standard Webhooks secret. */
export function checkWebhookSecret(secret: string | undefined): asserts secret is string {
  if (!secret || !/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(secret)) {
    throw new Error(
      'webhooks are signed with a secret in the form whsec_<base64> (at least 24 bytes) in ' +
        'MARKETING_CONSENT_WEBHOOK_SECRET; "marketing-consent-ledger webhook-secret" makes one',
    );
  }
}

export class WebhookDispatcher {
  readonly #ledger: LedgerContext;
  readonly #settings: WebhookSettings;
  readonly #delays: readonly number[];
  readonly #now: () => number;
  readonly #signers = new Map<string, Webhook>();
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #poll: NodeJS.Timeout | undefined;
  #nextAt: number | undefined;
  #closed = false;
  /** The events of the entry being delivered (an entry may hold several). */
  #current: { seq: number; hash: string; events: Due[] } | undefined;
  /**
   * Settles once every endpoint has its state: a new one starts at the
   * chain's head as it is now, so a write must wait for it (see `ready`).
   */
  readonly #ready: Promise<void>;

  constructor(ledger: LedgerContext, settings: WebhookSettings, options: { shared: boolean }) {
    for (const endpoint of settings.endpoints) {
      checkWebhookUrl(endpoint.url);
      checkWebhookSecret(endpoint.secret);
      this.#signers.set(endpoint.url, new Webhook(endpoint.secret));
    }
    this.#ledger = ledger;
    this.#settings = settings;
    this.#delays = settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
    this.#now = settings.now ?? Date.now;
    // Other processes append to a shared store without telling this one: look now and then.
    this.#poll = options.shared ? setInterval(() => this.kick(), settings.pollMs ?? 10_000).unref() : undefined;
    this.#ready = (async () => {
      for (const { url } of settings.endpoints) await this.#state(url);
    })();
    // Should the store fail now, the passes make the states when they first look (and say what failed).
    this.#ready.catch(() => undefined);
  }

  /**
   * Settles once each endpoint knows where it starts. The ledger's writes
   * wait for it, so no record of this run falls before a new endpoint's start.
   */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** New entries may be there: deliver soon; a pass already running goes round once more. */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#pass()
      .catch((error: unknown) => console.error('ledger: webhook delivery stopped; it is tried again', error))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        } else if (this.#nextAt !== undefined) {
          this.#timer = setTimeout(() => this.kick(), Math.max(0, this.#nextAt - this.#now())).unref();
        }
      });
  }

  /** When there is next something to send (now while a pass runs), for a platform that closes idle salons. */
  get nextDueAt(): number | undefined {
    return this.#running ? this.#now() : this.#nextAt;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    await this.#running;
  }

  /**
   * Before erasures are written: keeps the addresses they take from the
   * ledger for good, per purpose, so the `.erased` events can name them.
   * An address still named by a record the erasure keeps is not taken.
   */
  async beforeErase(records: readonly ErasureRecord[]): Promise<void> {
    if (this.#settings.endpoints.length === 0) return;
    for (const record of records) {
      const erasing = new Set(record.erasedSeqs);
      const subjects = [];
      for (const seq of record.erasedSeqs) {
        const [entry] = await this.#ledger.store.entries({ afterSeq: seq - 1, limit: 1 });
        if (entry && isRecord(entry)) subjects.push(entry.event.subject);
      }
      const keys = new Set(subjects.flatMap((subject) => this.#ledger.addresses.keysOf(subject)));
      const kept = await this.#ledger.store.customerEntries([...keys]);
      for (const entry of kept) {
        if (!erasing.has(entry.seq) && isRecord(entry))
          for (const key of this.#ledger.addresses.keysOf(entry.event.subject)) keys.delete(key);
      }
      const addresses = this.#ledger.purposes.flatMap((purpose) =>
        [...keys]
          .filter((key) => key.startsWith(addressPrefix(purpose)) && !key.startsWith('customer:'))
          .sort()
          .map((key) => ({ purpose, address: addressOfKey(key) })),
      );
      if (addresses.length === 0) continue;
      const notice: ErasureNotice = { erasureId: record.id, madeAt: new Date(this.#now()).toISOString(), addresses };
      await this.#ledger.store.writeState(`${NOTICE_PREFIX}${record.id}`, JSON.stringify(notice));
    }
  }

  /** Each endpoint's state, for staff. */
  async status(): Promise<WebhookEndpointStatus[]> {
    const head = await this.#head();
    const answer: WebhookEndpointStatus[] = [];
    for (const { url } of this.#settings.endpoints) {
      const state = await this.#state(url);
      answer.push({
        id: endpointId(url),
        url: shownUrl(url),
        deliveredThrough: state.cursor,
        backlog: Math.max(0, head - state.cursor) + state.lapses.filter((lapse) => lapse.at <= this.#now()).length,
        delivered: state.delivered,
        ...(state.lastDeliveredAt ? { lastDeliveredAt: state.lastDeliveredAt } : {}),
        ...(state.failing
          ? {
              failing: {
                since: state.failing.since,
                attempts: state.failing.attempts,
                lastError: state.failing.lastError,
                nextAttemptAt: new Date(state.failing.nextAt).toISOString(),
                eventId: state.failing.id,
              },
            }
          : {}),
      });
    }
    return answer;
  }

  /**
   * Sends an endpoint the events of the entries from `fromSeq` on again (with
   * their ids), at once; false for an unknown endpoint id.
   */
  async replay(id: string, fromSeq: number): Promise<boolean> {
    const endpoint = this.#settings.endpoints.find((candidate) => endpointId(candidate.url) === id);
    if (!endpoint) return false;
    // Applied by the next pass over the endpoint, which holds it alone (in every process).
    await this.#ledger.store.writeState(`${this.#stateName(endpoint.url)}-replay`, String(fromSeq));
    this.kick();
    return true;
  }

  #stateName(url: string): string {
    return `webhook-${endpointId(url)}`;
  }

  /** The last entry's seq, found by probing single entries (seqs have no gaps): doubling, then halving. */
  async #head(): Promise<number> {
    const exists = async (seq: number) =>
      (await this.#ledger.store.entries({ afterSeq: seq - 1, limit: 1 })).length > 0;
    let step = 1;
    while (await exists(step * 2)) step *= 2;
    if (!(await exists(step))) return 0;
    let head = step;
    for (let half = step / 2; half >= 1; half /= 2) if (await exists(head + half)) head += half;
    return head;
  }

  /** The endpoint's state; a new endpoint starts at the chain's head (what came before is the audience's). */
  async #state(url: string): Promise<EndpointState> {
    const stored = await this.#ledger.store.readState(this.#stateName(url));
    if (stored) return JSON.parse(stored) as EndpointState;
    const state: EndpointState = { cursor: await this.#head(), done: 0, lapses: [], delivered: 0 };
    await this.#ledger.store.writeState(this.#stateName(url), JSON.stringify(state));
    return state;
  }

  async #pass(): Promise<void> {
    let nextAt: number | undefined;
    for (const endpoint of this.#settings.endpoints) {
      let due: number | undefined;
      const ran = await this.#ledger.store.alone(this.#stateName(endpoint.url), async () => {
        due = await this.#deliver(endpoint);
      });
      // Another process is delivering to this endpoint: look again after its pass.
      if (!ran) due = this.#now() + PASS_MS;
      if (due !== undefined) nextAt = Math.min(nextAt ?? Infinity, due);
    }
    await this.#forgetDeliveredNotices();
    // Nothing of a customer stays in memory between passes (an erasure may come in between).
    this.#current = undefined;
    this.#nextAt = nextAt;
  }

  /** Delivers what is due to one endpoint, in order, until it fails or nothing is due; says when to come back. */
  async #deliver(endpoint: WebhookEndpoint): Promise<number | undefined> {
    const state = await this.#state(endpoint.url);
    const replayName = `${this.#stateName(endpoint.url)}-replay`;
    const replayFrom = await this.#ledger.store.readState(replayName);
    if (replayFrom !== undefined) {
      state.cursor = Math.max(0, Number(replayFrom) - 1);
      state.done = 0;
      delete state.failing;
      await this.#ledger.store.writeState(this.#stateName(endpoint.url), JSON.stringify(state));
      await this.#ledger.store.writeState(replayName, undefined);
    }
    const started = this.#now();
    if (state.failing && state.failing.nextAt > started) return state.failing.nextAt;
    let savedAt = this.#now();
    const save = async () => {
      await this.#ledger.store.writeState(this.#stateName(endpoint.url), JSON.stringify(state));
      savedAt = this.#now();
    };
    for (;;) {
      if (this.#closed) {
        await save();
        return undefined;
      }
      if (this.#now() - started > PASS_MS) {
        await save();
        return this.#now();
      }
      const next = await this.#nextDue(state);
      if (!next.due) {
        await save();
        return next.wakeAt;
      }
      const error = await this.#send(endpoint, next.due);
      if (error) {
        const attempts = state.failing?.id === next.due.id ? state.failing.attempts + 1 : 1;
        const wait = this.#delays[Math.min(attempts, this.#delays.length) - 1]!;
        state.failing = {
          id: next.due.id,
          attempts,
          since: state.failing?.id === next.due.id ? state.failing.since : new Date(this.#now()).toISOString(),
          lastError: error,
          nextAt: this.#now() + wait,
        };
        await save();
        console.error(
          `ledger: webhook to ${shownUrl(endpoint.url)} failed (${error}); attempt ${attempts}, next in ${Math.round(wait / 1000)} s`,
        );
        return state.failing.nextAt;
      }
      next.due.acknowledge(state);
      delete state.failing;
      state.delivered += 1;
      state.lastDeliveredAt = new Date(this.#now()).toISOString();
      // The cursor is kept at most SAVE_EVERY_MS behind: a crash in between sends those few events again
      // (with their ids), which at-least-once allows, and a busy endpoint is not held to two fsyncs an event.
      if (this.#now() - savedAt >= SAVE_EVERY_MS) await save();
    }
  }

  /**
   * The next event for an endpoint: a lapse whose time came before the next
   * entry's, else the next event of the entries after the cursor (entries
   * that change nothing move the cursor on). Without one, when to look again.
   */
  async #nextDue(state: EndpointState): Promise<{ due?: Due; wakeAt?: number }> {
    const now = this.#now();
    for (;;) {
      const [entry] = await this.#ledger.store.entries({ afterSeq: state.cursor, limit: 1 });
      const horizon = Math.min(now, entry ? Date.parse(entry.receivedAt) : Infinity);
      state.lapses.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const lapse = state.lapses[0];
      if (lapse && lapse.at <= horizon) {
        const due = await this.#lapseDue(state, lapse);
        if (due) return { due };
        state.lapses.shift();
        continue;
      }
      if (!entry) return lapse ? { wakeAt: lapse.at } : {};
      // An entry with several events is looked at once, not once per event.
      if (this.#current?.seq !== entry.seq || this.#current.hash !== entry.hash)
        this.#current = { seq: entry.seq, hash: entry.hash, events: await this.#eventsOf(entry) };
      const events = this.#current.events;
      if (state.done < events.length) return { due: events[state.done]! };
      state.cursor = entry.seq;
      state.done = 0;
    }
  }

  /** The `.lapsed` event of a sign-up still unconfirmed when it lapsed, or undefined. */
  async #lapseDue(state: EndpointState, lapse: EndpointState['lapses'][number]): Promise<Due | undefined> {
    const [grant] = await this.#ledger.store.entries({ afterSeq: lapse.seq - 1, limit: 1 });
    if (!grant || !isRecord(grant)) return undefined;
    const key = this.#ledger.addresses
      .keysOf(grant.event.subject)
      .find((candidate) => this.#digest(candidate) === lapse.keyDigest);
    if (!key || !(await lapsedSince(this.#ledger, grant, lapse.purpose, key, lapse.at, state.cursor))) return undefined;
    return {
      id: `${lapse.seq}-lapsed-${lapse.purpose}`,
      type: 'lapsed',
      time: new Date(lapse.at).toISOString(),
      data: this.#data(lapse.purpose, addressOfKey(key), lapse.seq),
      acknowledge: (moved) => {
        moved.lapses = moved.lapses.filter((other) => other !== lapse);
      },
    };
  }

  /** The events of one entry, in a fixed order: its decision changes, or an erasure's notice. */
  async #eventsOf(entry: ChainEntry): Promise<Due[]> {
    // Acknowledging an entry's last event moves the cursor past the entry.
    const numbered = (
      events: Omit<Due, 'id' | 'acknowledge'>[],
      also?: (index: number, state: EndpointState) => void,
    ) =>
      events.map((due, index): Due => ({
        ...due,
        id: `${entry.seq}-${index + 1}`,
        acknowledge: (state) => {
          also?.(index, state);
          state.done = index + 1;
          if (state.done === events.length) {
            state.cursor = entry.seq;
            state.done = 0;
          }
        },
      }));
    if (entry.event.method === 'erasure') {
      const stored = await this.#ledger.store.readState(`${NOTICE_PREFIX}${entry.event.id}`);
      const notice = stored ? (JSON.parse(stored) as ErasureNotice) : undefined;
      return numbered(
        (notice?.addresses ?? []).map(({ purpose, address }) => ({
          type: 'erased' as const,
          time: entry.receivedAt,
          data: { ...this.#data(purpose, address, entry.seq), reason: (entry.event as ErasureRecord).reason },
        })),
      );
    }
    const changes = await decisionChangesAt(this.#ledger, entry);
    return numbered(
      changes.map((change) => ({
        type: change.change,
        time: entry.receivedAt,
        data: {
          ...this.#data(change.purpose, addressOfKey(change.key), entry.seq),
          ...(isRecord(entry) ? { method: entry.event.method } : {}),
          ...(change.lapsesAt ? { lapsesAt: new Date(change.lapsesAt).toISOString() } : {}),
        },
      })),
      // A sign-up the tool was told is pending: its lapse is watched, to be sent at its time.
      (index, state) => {
        const change = changes[index]!;
        if (change.lapsesAt === undefined) return;
        state.lapses.push({
          seq: entry.seq,
          purpose: change.purpose,
          keyDigest: this.#digest(change.key),
          at: change.lapsesAt,
        });
      },
    );
  }

  #digest(key: string): string {
    return this.#ledger.store.identifierDigest(key);
  }

  #data(purpose: string, address: string, seq: number): ConsentWebhookData {
    return { salon: this.#settings.salon, purpose, address, seq };
  }

  /** One delivery: undefined once the endpoint acknowledged it (2xx), else what went wrong. */
  async #send(endpoint: WebhookEndpoint, due: Due): Promise<string | undefined> {
    const salon = this.#settings.salon;
    const event = new CloudEvent({
      specversion: '1.0',
      id: due.id,
      source: salon.id ? `/salons/${salon.id}` : '/ledger',
      type: `${WEBHOOK_EVENT_TYPE_PREFIX}${due.type}`,
      time: due.time,
      datacontenttype: 'application/json',
      data: due.data,
    });
    const message = HTTP.structured(event);
    const body = message.body as string;
    const at = new Date(this.#now());
    // The id names the event, the same in every attempt; the timestamp and signature are the attempt's.
    const signature = this.#signers.get(endpoint.url)!.sign(due.id, at, body);
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          ...(message.headers as Record<string, string>),
          'user-agent': `marketing-consent/${WIDGET_VERSION}`,
          'webhook-id': due.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#settings.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
      if ((error as Error).name === 'TimeoutError') return 'no answer in time';
      return cause?.code ?? cause?.message ?? (error as Error).message;
    }
  }

  /** Erasure notices every endpoint is past are deleted, and those of erasures that never came after an hour. */
  async #forgetDeliveredNotices(): Promise<void> {
    const names = await this.#ledger.store.stateNames(NOTICE_PREFIX);
    if (names.length === 0) return;
    const cursors = await Promise.all(this.#settings.endpoints.map(async ({ url }) => (await this.#state(url)).cursor));
    const passed = Math.min(...cursors);
    for (const name of names) {
      const stored = await this.#ledger.store.readState(name);
      if (!stored) continue;
      const notice = JSON.parse(stored) as ErasureNotice;
      const entry = await this.#ledger.store.entryById(notice.erasureId);
      const stale = !entry && this.#now() - Date.parse(notice.madeAt) > 3_600_000;
      if (stale || (entry && entry.seq <= passed)) await this.#ledger.store.writeState(name, undefined);
    }
  }
}
