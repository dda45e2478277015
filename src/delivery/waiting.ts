/**
 * Whether anything waits in this browser to be sent to a ledger: an event in
 * the outbox (outbox-storage.ts) or an act kept at a booking (kept-acts.ts).
 * The first bundle asks this on every page view, and fetches the recording
 * code only when the answer is yes or the customer ticks: so the answer must
 * cost one key look-up, not a walk over the storage.
 *
 * One key says it: '1' when something may wait, '0' when nothing does. A
 * browser that has no such key yet (a first visit, or storage an earlier
 * version wrote) has its keys' names walked once to set it.
 */

/** One key per waiting event: `OUTBOX_KEY_PREFIX + event id`. */
export const OUTBOX_KEY_PREFIX = 'marketing-consent:outbox:v2:';
/** Where earlier versions kept all waiting events under one key. */
export const LEGACY_OUTBOX_KEY = 'marketing-consent:outbox:v1';
/** One key per kept act: `KEPT_ACT_PREFIX + act id`. */
export const KEPT_ACT_PREFIX = 'marketing-consent:act:v1:';
const WAITING_KEY = 'marketing-consent:waiting';
/** Matches each of the keys above, whatever their version. */
const WAITING_ITEM = /^marketing-consent:(outbox|act):/;

/** True when an event or a kept act may wait here for a ledger. */
export function somethingWaits(): boolean {
  try {
    const marked = localStorage.getItem(WAITING_KEY);
    return marked === null ? forgetWaitingUnlessFound() : marked === '1';
  } catch {
    return false; // No storage: nothing an earlier page could have left.
  }
}

/** Says that something waits: called after it was written, never before (see forgetWaitingUnlessFound). */
export function markWaiting(): void {
  try {
    localStorage.setItem(WAITING_KEY, '1');
  } catch {
    // Blocked or full: the next tick still loads the recording code and finds it.
  }
}

/**
 * Called after something was taken out. Another tab may be writing at the
 * same moment: it writes its item before its mark, and the mark here is
 * cleared before the walk, so either the walk sees that item or that tab's
 * mark comes after the clearing. Returns whether something still waits.
 */
export function forgetWaitingUnlessFound(): boolean {
  try {
    localStorage.setItem(WAITING_KEY, '0');
    for (let i = 0; i < localStorage.length; i += 1) {
      if (WAITING_ITEM.test(localStorage.key(i) ?? '')) {
        markWaiting();
        return true;
      }
    }
  } catch {
    // Blocked: nothing can wait here.
  }
  return false;
}
