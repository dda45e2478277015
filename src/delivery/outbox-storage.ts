/**
 * Where pending consent events wait until the ledger acknowledged them:
 * localStorage, so they survive a reload, a closed tab and a browser restart.
 * It is synchronous, which matters at page exit, when there is no time to
 * await anything. Where storage throws (Safari's private mode of old,
 * blocked cookies and site data, a full quota), the outbox falls back to
 * memory: the page keeps working and delivery is still attempted, for as
 * long as the page lives.
 *
 * The browser's copy is never the proof (Safari may wipe script-written
 * storage after 7 days); it only carries an event until the server has it.
 */
import type { ConsentEvent } from '../contract/consent-event.js';
import { forgetWaitingUnlessFound, LEGACY_OUTBOX_KEY, markWaiting, OUTBOX_KEY_PREFIX } from './waiting.js';

/** One event on its way to one ledger. */
export interface OutboxItem {
  endpoint: string;
  event: ConsentEvent;
  /** When it was first stored (ms since the epoch). */
  queuedAt: number;
  attempts: number;
  /** Not before this time (ms since the epoch). */
  nextAttemptAt: number;
}

export interface OutboxStorage {
  /** True when items survive this page. */
  readonly persistent: boolean;
  load(): OutboxItem[];
  /** Stores or replaces one item. */
  put(item: OutboxItem): void;
  remove(id: string): void;
}

/*
 * One key per event (OUTBOX_KEY_PREFIX + id), so that two tabs adding events
 * at the same moment never overwrite each other: each write touches its own
 * event only (one shared key with load/modify/save lost about 40 % of such
 * events). Events that earlier versions kept under LEGACY_OUTBOX_KEY are
 * taken over on load.
 */

class MemoryStorage implements OutboxStorage {
  readonly persistent = false;
  readonly #items = new Map<string, OutboxItem>();
  load(): OutboxItem[] {
    return [...this.#items.values()];
  }
  put(item: OutboxItem): void {
    this.#items.set(item.event.id, item);
  }
  remove(id: string): void {
    this.#items.delete(id);
  }
}

class LocalStorage implements OutboxStorage {
  readonly persistent = true;
  readonly #storage: Storage;
  readonly #fallback = new MemoryStorage();
  #failed = false;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  load(): OutboxItem[] {
    if (this.#failed) return this.#fallback.load();
    try {
      this.#adoptLegacy();
      const items: OutboxItem[] = [];
      for (let i = 0; i < this.#storage.length; i += 1) {
        const key = this.#storage.key(i);
        if (!key?.startsWith(OUTBOX_KEY_PREFIX)) continue;
        const item = parse(this.#storage.getItem(key));
        if (item) items.push(item);
      }
      return items.sort((a, b) => a.queuedAt - b.queuedAt);
    } catch {
      return [];
    }
  }

  put(item: OutboxItem): void {
    if (this.#failed) return this.#fallback.put(item);
    try {
      this.#storage.setItem(OUTBOX_KEY_PREFIX + item.event.id, JSON.stringify(item));
      markWaiting();
    } catch {
      // Quota exceeded or storage revoked mid-page: keep going in memory.
      this.#failed = true;
      for (const kept of this.load()) this.#fallback.put(kept);
      this.#fallback.put(item);
    }
  }

  remove(id: string): void {
    if (this.#failed) return this.#fallback.remove(id);
    try {
      this.#storage.removeItem(OUTBOX_KEY_PREFIX + id);
      forgetWaitingUnlessFound();
    } catch {
      this.#failed = true;
    }
  }

  /** Moves events a page of an earlier version left under the one shared key to keys of their own. */
  #adoptLegacy(): void {
    const legacy = this.#storage.getItem(LEGACY_OUTBOX_KEY);
    if (legacy === null) return;
    let items: unknown = [];
    try {
      items = JSON.parse(legacy);
    } catch {
      // Not ours to read; drop it below.
    }
    for (const item of Array.isArray(items) ? items.filter(isItem) : []) {
      if (this.#storage.getItem(OUTBOX_KEY_PREFIX + item.event.id) === null) {
        this.#storage.setItem(OUTBOX_KEY_PREFIX + item.event.id, JSON.stringify(item));
      }
    }
    this.#storage.removeItem(LEGACY_OUTBOX_KEY);
  }
}

function parse(text: string | null): OutboxItem | undefined {
  try {
    const item: unknown = JSON.parse(text ?? 'null');
    return isItem(item) ? item : undefined;
  } catch {
    return undefined;
  }
}

/** Survives foreign or corrupted entries under our keys. */
function isItem(value: unknown): value is OutboxItem {
  const item = value as Partial<OutboxItem> | null;
  return typeof item?.endpoint === 'string' && typeof item.event?.id === 'string' && typeof item.queuedAt === 'number';
}

/** localStorage when it works here, else memory. */
export function openOutboxStorage(): OutboxStorage {
  try {
    const storage = window.localStorage;
    const probe = 'marketing-consent:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return new LocalStorage(storage);
  } catch {
    return new MemoryStorage();
  }
}
