/**
 * One attempt to hand a consent event to the ledger: a keepalive fetch, or a
 * beacon at page exit.
 *
 * The body is JSON sent as `text/plain`: a CORS-safelisted content type, so a
 * cross-origin post needs no preflight. That saves a round trip on a slow
 * mobile network and keeps `keepalive` requests and beacons simple (browsers
 * handle a preflighted keepalive request poorly or not at all). Ledgers
 * accept the same JSON as `application/json` too.
 */
import type { ConsentEvent, ConsentReceipt } from '../contract/consent-event.js';

const CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Browsers cap the bodies of keepalive requests in flight at 64 KiB per page
 * (Fetch standard, "keepalive"), and reject beyond it. Many pending events
 * at once (say, after an outage) go without keepalive instead: the page is
 * not leaving, and at page exit the beacon hand-off covers them.
 */
const KEEPALIVE_BUDGET = 60 * 1024;
let keepaliveBytesInFlight = 0;

/** What one attempt got back. */
export interface AttemptResult {
  /** HTTP status; undefined when the request never got an answer (network error). */
  status: number | undefined;
  /** The ledger's receipt, when the answer carried one for this event. */
  receipt: ConsentReceipt | undefined;
  /** In words: the ledger's error message, or what went wrong. */
  message: string;
  retryAfter: string | null;
}

export async function postConsentEvent(endpoint: string, event: ConsentEvent): Promise<AttemptResult> {
  const payload = JSON.stringify(event);
  // UTF-16 length × 3 bounds the UTF-8 size without encoding twice.
  const size = payload.length * 3;
  const keepalive = keepaliveBytesInFlight + size <= KEEPALIVE_BUDGET;
  if (keepalive) keepaliveBytesInFlight += size;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      // keepalive: the request outlives the page, so the navigation to the
      // booking confirmation right after submit does not cancel it.
      keepalive,
      credentials: 'omit',
      headers: { 'content-type': CONTENT_TYPE },
      body: payload,
    });
  } catch (error) {
    return {
      status: undefined,
      receipt: undefined,
      message: `network error: ${(error as Error).message}`,
      retryAfter: null,
    };
  } finally {
    if (keepalive) keepaliveBytesInFlight -= size;
  }
  const body: unknown = await response.json().catch(() => undefined);
  const error = (body as { error?: unknown } | undefined)?.error;
  return {
    status: response.status,
    receipt: isReceiptFor(event, body)
      ? {
          id: body.id,
          seq: body.seq,
          receivedAt: body.receivedAt,
          ...(typeof body.checkpoint === 'string' ? { checkpoint: body.checkpoint } : {}),
          ...(Array.isArray(body.pendingConfirmation)
            ? { pendingConfirmation: body.pendingConfirmation.filter((p) => typeof p === 'string') }
            : {}),
        }
      : undefined,
    message: typeof error === 'string' ? error : `the ledger answered HTTP ${response.status}`,
    retryAfter: response.headers.get('retry-after'),
  };
}

/**
 * Queues the event with the browser at page exit. No answer comes back: the
 * event stays in the outbox until a later fetch gets its receipt (the ledger
 * answers a repeat with the same receipt).
 */
export function beaconConsentEvent(endpoint: string, event: ConsentEvent): boolean {
  try {
    return navigator.sendBeacon(endpoint, new Blob([JSON.stringify(event)], { type: CONTENT_TYPE }));
  } catch {
    return false;
  }
}

/**
 * A receipt names the event it acknowledges. Checked by hand rather than with
 * consentReceiptSchema: the schema module would bring every format validator
 * of the contract into the browser bundle for three fields.
 */
function isReceiptFor(event: ConsentEvent, body: unknown): body is ConsentReceipt {
  const receipt = body as Partial<ConsentReceipt> | undefined;
  return (
    receipt?.id === event.id &&
    Number.isInteger(receipt.seq) &&
    typeof receipt.receivedAt === 'string' &&
    !Number.isNaN(Date.parse(receipt.receivedAt))
  );
}
