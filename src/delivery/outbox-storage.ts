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
  save(items: readonly OutboxItem[]): void;
}

const KEY = 'marketing-consent:outbox:v1';

class MemoryStorage implements OutboxStorage {
  readonly persistent = false;
  #items: OutboxItem[] = [];
  load(): OutboxItem[] {
    return [...this.#items];
  }
  save(items: readonly OutboxItem[]): void {
    this.#items = [...items];
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
      const items: unknown = JSON.parse(this.#storage.getItem(KEY) ?? '[]');
      return Array.isArray(items) ? (items as OutboxItem[]).filter(isItem) : [];
    } catch {
      return [];
    }
  }

  save(items: readonly OutboxItem[]): void {
    if (this.#failed) return this.#fallback.save(items);
    try {
      if (items.length === 0) this.#storage.removeItem(KEY);
      else this.#storage.setItem(KEY, JSON.stringify(items));
    } catch {
      // Quota exceeded or storage revoked mid-page: keep going in memory.
      this.#failed = true;
      this.#fallback.save(items);
    }
  }
}

/** Survives foreign or corrupted entries under our key. */
function isItem(value: unknown): value is OutboxItem {
  const item = value as Partial<OutboxItem> | null;
  return typeof item?.endpoint === 'string' && typeof item.event?.id === 'string' && typeof item.queuedAt === 'number';
}

/** localStorage when it works here, else memory. */
export function openOutboxStorage(): OutboxStorage {
  try {
    const storage = window.localStorage;
    const probe = `${KEY}:probe`;
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return new LocalStorage(storage);
  } catch {
    return new MemoryStorage();
  }
}
