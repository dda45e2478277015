/**
 * A booking page view costs the recording code only when it is needed: the
 * customer ticks, or an earlier page left something waiting to be sent.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { OutboxItem } from '../../src/delivery/outbox-storage.js';
import { OUTBOX_KEY_PREFIX } from '../../src/delivery/waiting.js';
import { openBookingPage } from '../support/booking-page.js';
import { makeConsentEvent } from '../support/consent-events.js';
import { ledger, uniqueEmail, waitForEntries } from '../support/ledger.js';

/** True once the page fetched the chunk with the recording code. */
const recordingFetched = (win: Window) =>
  win.performance.getEntriesByType('resource').some((entry) => entry.name.includes('consent-recording'));

/** Longer than the element's idle wait (at most 1 s), so a fetch it starts would have started. */
const pastIdle = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** Nothing of ours in this origin's storage: what other tests left would count as waiting. */
function clearStorage(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('marketing-consent:')) localStorage.removeItem(key);
}

describe('the recording code is fetched only when needed', () => {
  beforeEach(clearStorage);
  afterEach(clearStorage);

  it('a page view where nobody ticks and nothing waits never fetches it; the tick does, and records', async () => {
    const email = uniqueEmail();
    const { frame, win, consent, tick } = await openBookingPage(email);
    await pastIdle();
    expect(recordingFetched(win)).to.equal(false);
    await tick();
    await waitUntil(() => recordingFetched(win), 'the tick fetches the recording code');
    expect(await consent.record()).to.include({ id: consent.consentId });
    expect(await waitForEntries(email)).to.have.length(1);
    // Delivered: the next view has nothing waiting and fetches nothing again.
    const next = await openBookingPage(uniqueEmail());
    await pastIdle();
    expect(recordingFetched(next.win)).to.equal(false);
    frame.remove();
    next.frame.remove();
  });

  it('an event an earlier version left in the outbox, with no mark beside it, is found and sent without a tick', async () => {
    const email = uniqueEmail();
    const event = await makeConsentEvent(email);
    const now = Date.now();
    const item: OutboxItem = {
      endpoint: (await ledger()).intake,
      event,
      queuedAt: now,
      attempts: 1,
      nextAttemptAt: now,
    };
    localStorage.setItem(OUTBOX_KEY_PREFIX + event.id, JSON.stringify(item));
    const { frame, win } = await openBookingPage(uniqueEmail());
    const entries = await waitForEntries(email);
    expect(entries.map((entry) => entry.event.id)).to.deep.equal([event.id]);
    expect(recordingFetched(win)).to.equal(true);
    await waitUntil(() => !Object.keys(localStorage).some((key) => key.startsWith(OUTBOX_KEY_PREFIX)));
    frame.remove();
  });
});
