/**
 * The act of consent, kept from the moment the booking is made until its
 * event is in the outbox. Making the event takes a SHA-256 (asynchronous)
 * and the recording code (loaded late); a page left at once, on a slow
 * phone, may end before either. So the code that shows the boxes keeps the
 * act itself, synchronously, in localStorage, and the next page with the
 * element for the same endpoint (the confirmation page's deliverPending, or
 * the next visit) makes the event from it and sends it: late, not lost.
 */
import type { ConsentSubject } from '../contract/consent-event.js';
import { forgetWaitingUnlessFound, KEPT_ACT_PREFIX, markWaiting } from './waiting.js';

/** A ticked consent as the element knows it when the booking is made. */
export interface ConsentToRecord {
  id: string;
  /** The purposes ticked, in the order offered. */
  purposes: readonly string[];
  textVersion: string;
  /** The language and the canonical full text shown (see composeWidgetText). */
  locale: string;
  text: string;
  subject: ConsentSubject;
  bookingRef?: string | undefined;
  /** The customer's clock when the booking was made. */
  clientTime: string;
  /** Origin and path only: query strings on booking pages often carry personal data. */
  pageUrl: string;
}

/**
 * Keeps the act for `endpoint` (an absolute URL), or with no act, forgets
 * the act `id`: its event is in the outbox now (or can never be made). Where
 * storage is blocked, the page's own send is all there is.
 */
export function keepAct(id: string, kept?: { endpoint: string; act: ConsentToRecord }): void {
  try {
    if (kept) {
      localStorage.setItem(KEPT_ACT_PREFIX + id, JSON.stringify(kept));
      markWaiting();
    } else {
      localStorage.removeItem(KEPT_ACT_PREFIX + id);
      forgetWaitingUnlessFound();
    }
  } catch {
    // blocked or full: nothing to keep it in
  }
}
