/**
 * The outbox: every consent event is stored before its first send and
 * removed only when the ledger acknowledged it (or refused it for good).
 * Sends are retried with backoff, resumed when the browser comes back online
 * or the page becomes visible, handed to `sendBeacon` at page exit, and
 * picked up by the next page that loads the element with the same endpoint.
 * Resends carry the same event id, which ledgers treat as an idempotency key:
 * however often an event is sent, it is one record.
 */
import type { ConsentEvent, ConsentReceipt } from '../contract/consent-event.js';
import { openOutboxStorage, type OutboxItem, type OutboxStorage } from './outbox-storage.js';
import { beaconConsentEvent, postConsentEvent, type AttemptResult } from './post-consent-event.js';
import { retryDelay, verdictFor } from './retry-policy.js';

/** How delivering one event ended. */
export type DeliveryOutcome =
  { ok: true; receipt: ConsentReceipt } | { ok: false; reason: string; status: number | undefined };

/** Dispatched on the outbox for every event that reaches an end. */
export interface OutboxOutcomeDetail {
  event: ConsentEvent;
  outcome: DeliveryOutcome;
  /** True for events an earlier page left pending (no `deliver()` call in this page waits for them). */
  fromEarlierPage: boolean;
}

/** At most this many events wait; beyond it the oldest is dropped (and reported). */
export const OUTBOX_MAX_ITEMS = 50;
/** Events older than this are dropped (and reported): a consent delivered weeks late is doubtful proof. */
export const OUTBOX_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** Sends in flight at once per endpoint. */
const MAX_PARALLEL_SENDS = 4;

let sharedStorage: OutboxStorage | undefined;
/** Queue times are kept distinct, so events stored in one millisecond keep their order. */
let lastQueuedAt = 0;
const outboxes = new Map<string, ConsentOutbox>();

export class ConsentOutbox extends EventTarget {
  readonly endpoint: string;
  readonly #storage: OutboxStorage;
  readonly #inFlight = new Set<string>();
  readonly #beaconed = new Set<string>();
  readonly #waiters = new Map<string, ((outcome: DeliveryOutcome) => void)[]>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** The page's one outbox for an endpoint (resolved to an absolute URL). */
  static for(endpoint: string): ConsentOutbox {
    const url = new URL(endpoint, document.baseURI).href;
    let outbox = outboxes.get(url);
    if (!outbox) {
      sharedStorage ??= openOutboxStorage();
      outbox = new ConsentOutbox(url, sharedStorage);
      outboxes.set(url, outbox);
      // First use on this page: send what earlier pages left pending. After
      // the caller subscribed, so it hears about those too.
      queueMicrotask(() => outbox!.flush());
    }
    return outbox;
  }

  private constructor(endpoint: string, storage: OutboxStorage) {
    super();
    this.endpoint = endpoint;
    this.#storage = storage;
    window.addEventListener('online', () => this.flush());
    // Page exit: pagehide for navigation and closing, hidden for mobile
    // browsers that discard background tabs without a pagehide.
    window.addEventListener('pagehide', () => this.#handOff());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.#handOff();
      else {
        this.#beaconed.clear();
        this.flush();
      }
    });
  }

  /** True when pending events survive a reload here (false where storage is blocked). */
  get persistent(): boolean {
    return this.#storage.persistent;
  }

  /** Events still waiting for this endpoint. */
  pending(): ConsentEvent[] {
    return this.#items().map((item) => item.event);
  }

  /**
   * Stores the event, then sends it. Resolves when the ledger acknowledged it
   * (after as many retries as that takes) or refused it for good.
   */
  deliver(event: ConsentEvent): Promise<DeliveryOutcome> {
    const outcome = new Promise<DeliveryOutcome>((resolve) => {
      this.#waiters.set(event.id, [...(this.#waiters.get(event.id) ?? []), resolve]);
    });
    this.adopt(event);
    return outcome;
  }

  /**
   * Stores the event, then sends it, with nobody on this page waiting for
   * it: an event made from an act an earlier page kept (see kept-acts.ts).
   * Its outcome is dispatched like those of events earlier pages stored.
   */
  adopt(event: ConsentEvent): void {
    const now = (lastQueuedAt = Math.max(Date.now(), lastQueuedAt + 1));
    this.#change((items) =>
      items.some((item) => item.event.id === event.id)
        ? items
        : [...items, { endpoint: this.endpoint, event, queuedAt: now, attempts: 0, nextAttemptAt: now }],
    );
    this.#sendDue();
  }

  /** Sends every waiting event now, whatever its backoff says. */
  flush(): void {
    const now = Date.now();
    // The bounds apply on the way: an event left pending weeks ago is dropped, not sent.
    this.#change((items) => items.map((item) => (item.nextAttemptAt > now ? { ...item, nextAttemptAt: now } : item)));
    this.#sendDue();
  }

  /**
   * Starts the sends that are due, a few at a time: after an outage, fifty
   * waiting events should not become fifty requests at once (WebKit has been
   * seen to stall under that). Events never tried go first: the consent
   * just given matters most while the page may be about to leave.
   */
  #sendDue(): void {
    const now = Date.now();
    const due = this.#items()
      .filter((item) => item.nextAttemptAt <= now && !this.#inFlight.has(item.event.id))
      .sort((a, b) => Number(a.attempts > 0) - Number(b.attempts > 0) || a.queuedAt - b.queuedAt);
    for (const item of due.slice(0, Math.max(0, MAX_PARALLEL_SENDS - this.#inFlight.size))) void this.#attempt(item);
    this.#schedule();
  }

  async #attempt(item: OutboxItem): Promise<void> {
    const id = item.event.id;
    this.#inFlight.add(id);
    const result = await postConsentEvent(this.endpoint, item.event);
    this.#inFlight.delete(id);
    try {
      this.#conclude(item, result);
    } finally {
      this.#sendDue();
    }
  }

  #conclude(item: OutboxItem, result: AttemptResult): void {
    const id = item.event.id;
    // A 2xx without a receipt is not the ledger (say, a captive portal): retry.
    const verdict = result.receipt
      ? 'delivered'
      : result.status && result.status < 300
        ? 'retry'
        : verdictFor(result.status);
    if (verdict === 'retry') {
      const attempts = item.attempts + 1;
      const nextAttemptAt = Date.now() + retryDelay(attempts, result.retryAfter);
      this.#change((items) =>
        items.map((other) => (other.event.id === id ? { ...other, attempts, nextAttemptAt } : other)),
      );
      return;
    }
    this.#change((items) => items.filter((other) => other.event.id !== id));
    this.#settle(
      item.event,
      result.receipt
        ? { ok: true, receipt: result.receipt }
        : { ok: false, reason: result.message, status: result.status },
    );
  }

  /** Items for this endpoint, oldest first. */
  #items(): OutboxItem[] {
    return this.#storage.load().filter((item) => item.endpoint === this.endpoint);
  }

  /**
   * Applies a change to this endpoint's items and enforces the bounds,
   * reporting what they drop. `update` returns the items it leaves alone as
   * the same objects, so only the changed ones are written.
   */
  #change(update: (items: OutboxItem[]) => OutboxItem[]): void {
    const before = this.#items();
    const mine = update(before);
    const oldestAllowed = Date.now() - OUTBOX_MAX_AGE_MS;
    const fresh = mine.filter((item) => item.queuedAt >= oldestAllowed);
    const kept = fresh.slice(Math.max(0, fresh.length - OUTBOX_MAX_ITEMS));
    // Write only what changed, item by item: another tab's events are never touched.
    for (const item of kept) if (!before.includes(item)) this.#storage.put(item);
    for (const item of before) if (!kept.some((k) => k.event.id === item.event.id)) this.#storage.remove(item.event.id);
    for (const item of mine) {
      if (kept.includes(item)) continue;
      const reason =
        item.queuedAt < oldestAllowed
          ? `dropped after ${OUTBOX_MAX_AGE_MS / 86_400_000} days undelivered`
          : `dropped: more than ${OUTBOX_MAX_ITEMS} consents were waiting for delivery`;
      this.#settle(item.event, { ok: false, reason, status: undefined });
    }
  }

  #settle(event: ConsentEvent, outcome: DeliveryOutcome): void {
    const waiters = this.#waiters.get(event.id) ?? [];
    this.#waiters.delete(event.id);
    for (const resolve of waiters) resolve(outcome);
    this.dispatchEvent(
      new CustomEvent<OutboxOutcomeDetail>('outcome', {
        detail: { event, outcome, fromEarlierPage: waiters.length === 0 },
      }),
    );
  }

  /** One timer for the earliest retry still waiting. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const waiting = this.#items()
      .filter((item) => !this.#inFlight.has(item.event.id))
      .map((item) => item.nextAttemptAt);
    if (waiting.length === 0) return;
    this.#timer = setTimeout(() => this.#sendDue(), Math.max(0, Math.min(...waiting) - Date.now()));
  }

  /**
   * Page exit: give everything still waiting to the browser's beacon queue,
   * including what is in flight: a keepalive fetch is meant to survive the
   * navigation, but WebKit has been seen to lose one now and then. A
   * duplicate costs one request; the ledger stores the id once.
   */
  #handOff(): void {
    for (const item of this.#items()) {
      const id = item.event.id;
      if (this.#beaconed.has(id)) continue;
      if (beaconConsentEvent(this.endpoint, item.event)) this.#beaconed.add(id);
    }
  }
}
