/**
 * Sends one consent event to the ledger.
 *
 * The body is JSON sent as `text/plain`: a CORS-safelisted content type, so a
 * cross-origin post needs no preflight. That saves a round trip on a slow
 * mobile network and keeps `keepalive` requests simple (browsers handle a
 * preflighted keepalive request poorly or not at all). Ledgers accept the
 * same JSON as `application/json` too.
 */
import type { ConsentEvent, ConsentReceipt } from '../contract/consent-event.js';

export type DeliveryResult =
  { ok: true; receipt: ConsentReceipt } | { ok: false; reason: string; status: number | undefined };

export async function postConsentEvent(endpoint: string, event: ConsentEvent): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      // keepalive: the request outlives the page, so the navigation to the
      // booking confirmation right after submit does not cancel it.
      keepalive: true,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(event),
    });
  } catch (error) {
    return { ok: false, reason: `network error: ${(error as Error).message}`, status: undefined };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as { error?: unknown } | undefined)?.error;
    return {
      ok: false,
      status: response.status,
      reason: typeof message === 'string' ? message : `the ledger answered HTTP ${response.status}`,
    };
  }
  if (!isReceiptFor(event, body)) {
    return { ok: false, status: response.status, reason: 'the ledger answered without a receipt for this event' };
  }
  return { ok: true, receipt: { id: body.id, seq: body.seq, receivedAt: body.receivedAt } };
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
