import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { MarketingConsentFailedEvent } from '../../src/events/marketing-consent-failed.js';
import { ConsentOutbox, OUTBOX_MAX_AGE_MS, OUTBOX_MAX_ITEMS } from '../../src/delivery/consent-outbox.js';
import { openOutboxStorage } from '../../src/delivery/outbox-storage.js';
import { LEGACY_OUTBOX_KEY } from '../../src/delivery/waiting.js';
import { bookingForm } from '../support/booking-form.js';
import { makeConsentEvent } from '../support/consent-events.js';
import { faults } from '../support/faults.js';
import { entriesAfterQuietPeriod, ledger, uniqueEmail, waitForEntries } from '../support/ledger.js';

/** Where earlier versions kept every waiting event under one key. */
const OUTBOX_KEY = LEGACY_OUTBOX_KEY;

describe('the outbox is bounded', () => {
  afterEach(() => faults.reset());

  it(`keeps at most ${OUTBOX_MAX_ITEMS} events, drops the oldest first and reports it`, async function () {
    // Draining 50 events after an outage may wait out a backoff or two.
    this.timeout(60_000);
    // The ledger answers 503 to everything while the outbox fills up.
    await faults.mode({ kind: 'status', status: 503 });
    // Its own endpoint (a query the ledger ignores), so other tests' outbox is untouched.
    const outbox = ConsentOutbox.for(`${(await ledger()).intake}?bounds=${Date.now()}`);
    const emails = Array.from({ length: OUTBOX_MAX_ITEMS + 1 }, () => uniqueEmail());
    const events = await Promise.all(emails.map((email) => makeConsentEvent(email)));
    const outcomes = events.map((event) => outbox.deliver(event));
    const first = await outcomes[0]!;
    expect(first.ok).to.equal(false);
    expect(first.ok ? '' : first.reason).to.contain(`more than ${OUTBOX_MAX_ITEMS}`);
    expect(outbox.pending().map((event) => event.id)).to.deep.equal(events.slice(1).map((event) => event.id));
    // The oldest was already on its way when it was dropped: let that send meet the 503 before healing.
    await waitUntil(async () => (await faults.attemptsFor(events[0]!.id)).length > 0, 'the first send', {
      timeout: 10_000,
    });
    await faults.mode({ kind: 'pass' });
    outbox.flush();
    const rest = await Promise.all(outcomes.slice(1));
    expect(rest.every((outcome) => outcome.ok)).to.equal(true);
    expect(await entriesAfterQuietPeriod(emails[0]!, 300)).to.have.length(0);
    expect(await waitForEntries(emails[OUTBOX_MAX_ITEMS]!)).to.have.length(1);
  });

  it('drops an event left undelivered for too long, and the element reports it', async () => {
    const endpoint = `${(await ledger()).intake}?age=${Date.now()}`;
    const email = uniqueEmail();
    const stale = await makeConsentEvent(email);
    const longAgo = Date.now() - OUTBOX_MAX_AGE_MS - 60_000;
    const absolute = new URL(endpoint, document.baseURI).href;
    // Left by an earlier page, as its outbox stores events.
    openOutboxStorage().put({
      endpoint: absolute,
      event: stale,
      queuedAt: longAgo,
      attempts: 3,
      nextAttemptAt: longAgo,
    });
    // A page that loads the element with that endpoint picks the outbox up.
    const failed = oneEvent(document, 'marketing-consent-failed') as Promise<MarketingConsentFailedEvent>;
    const { consent } = await bookingForm({ endpoint });
    const { detail } = await failed;
    expect(detail.event?.id).to.equal(stale.id);
    expect(detail.reason).to.contain('dropped after 30 days');
    expect(ConsentOutbox.for(consent.endpoint!).pending()).to.have.length(0);
    expect(await entriesAfterQuietPeriod(email)).to.have.length(0);
  });

  it('a page that loads the element sends what a page of an earlier version left pending', async () => {
    const endpoint = `${(await ledger()).intake}?next-visit=${Date.now()}`;
    const email = uniqueEmail();
    const left = await makeConsentEvent(email);
    const stored = JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]') as unknown[];
    const absolute = new URL(endpoint, document.baseURI).href;
    stored.push({
      endpoint: absolute,
      event: left,
      queuedAt: Date.now() - 60_000,
      attempts: 1,
      nextAttemptAt: Date.now() + 600_000,
    });
    localStorage.setItem(OUTBOX_KEY, JSON.stringify(stored));
    // A browser where this version never ran: nothing marks that something waits.
    localStorage.removeItem('marketing-consent:waiting');
    const recorded = oneEvent(document, 'marketing-consent-recorded');
    await bookingForm({ endpoint });
    const { detail } = await recorded;
    expect(detail.receipt.id).to.equal(left.id);
    expect(await waitForEntries(email)).to.have.length(1);
  });
});
