/**
 * When to try a consent delivery again, and how long to wait. A real mobile
 * network drops requests, and a ledger restarts; a bad request, though, is a
 * bug to surface, not to hammer.
 */

/** What an answer (or its absence) means for the delivery. */
export type AttemptVerdict = 'delivered' | 'retry' | 'give-up';

/**
 * 2xx: delivered. Network errors (no status), 408, 429 and 5xx: try again.
 * Every other status (400, 403, 409, 413, 415 …) will not change by
 * repeating the same request: give up and report the ledger's message.
 */
export function verdictFor(status: number | undefined): AttemptVerdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'give-up';
}

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 5 * 60_000;

/**
 * Exponential backoff with full jitter (attempt 1 waits up to 1 s, then 2 s,
 * 4 s … capped at 5 min), so many pages recovering from one outage do not
 * return in step. A Retry-After header (seconds or an HTTP date) is a floor.
 */
export function retryDelay(attempt: number, retryAfter: string | null = null, random = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling * random());
  return Math.max(jittered, retryAfterMs(retryAfter));
}

/** Retry-After as milliseconds from now; 0 when absent or unreadable. Capped like any delay. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_MAX_MS) : 0;
}
