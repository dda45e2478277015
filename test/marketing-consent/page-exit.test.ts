import { expect } from '@open-wc/testing';
import { loadOf, openBookingPage } from '../support/booking-page.js';
import { uniqueEmail, waitForEntries } from '../support/ledger.js';

/**
 * Books `runs` times, each submitted the moment the box is ticked, and
 * expects one record per booking: the booking page's own send, or the
 * confirmation page's, which sends what the booking page left (as the README
 * recommends for salon sites).
 */
async function bookAndLeave(runs: number, { waitMs = 8000, chunkDelayMs = 0 } = {}): Promise<void> {
  for (let run = 0; run < runs; run += 1) {
    const email = uniqueEmail();
    const slow = `/self-hosted/${crypto.randomUUID()}/${chunkDelayMs}/marketing-consent.bundle.js`;
    const { frame, doc, tick } = await openBookingPage(email, chunkDelayMs ? `bundle=${slow}` : '');
    await tick();
    const navigated = loadOf(frame);
    doc.querySelector('form')!.requestSubmit();
    await navigated;
    expect(frame.contentWindow!.location.pathname).to.equal('/test/fixtures/thank-you.html');
    expect(await waitForEntries(email, 1, waitMs), `run ${run}`).to.have.length(1);
    frame.remove();
  }
}

/** Keeps every core busy with other work while `work` runs (at most `ms`), as on a slow phone or a loaded machine. */
async function whileBusy<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const workers = Array.from(
    { length: navigator.hardwareConcurrency || 2 },
    () => new Worker(`/test/fixtures/busy-worker.js?ms=${ms}`),
  );
  try {
    return await work();
  } finally {
    for (const worker of workers) worker.terminate();
  }
}

describe('<marketing-consent> delivers when the page navigates away', () => {
  it('a booking submitted with the box ticked is recorded although the page navigates at once (10 runs)', async () => {
    await bookAndLeave(10);
  });

  it('the same holds when the recording code arrives only after the page was left (a slow connection, 5 runs)', async function () {
    this.timeout(120_000);
    // The booking page's chunks take 4 s; the customer books at once and the page is gone before they arrive.
    await bookAndLeave(5, { waitMs: 20_000, chunkDelayMs: 4_000 });
  });

  it('the same holds on a busy machine: every core taken by other work (5 runs)', async function () {
    this.timeout(150_000);
    await whileBusy(120_000, () => bookAndLeave(5, { waitMs: 20_000 }));
  });
});

describe('<marketing-consent> under a strict Content-Security-Policy', () => {
  it('renders, records and reports not a single violation', async () => {
    const email = uniqueEmail();
    const { frame, win, doc, consent, tick } = await openBookingPage(email);
    expect(consent.shadowRoot!.querySelectorAll('input[type=checkbox]')).to.have.length(2);
    await tick('sms-newsletter');
    const receipt = await consent.record();
    expect(receipt?.id).to.equal(consent.consentId);
    await waitForEntries(email);
    expect(win.__violations).to.deep.equal([]);
    // The policy is really in force: an eval is refused and reported.
    expect(() => (win as unknown as { eval: (code: string) => unknown }).eval('1')).to.throw();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(win.__violations.length).to.equal(1);
    expect(doc.querySelector('form')).to.not.equal(null);
    frame.remove();
  });
});
