/**
 * The bundle as salons' sites serve it: renamed (cache busting, a CMS media
 * library, a bundler that re-hashes names), in a sub-folder, with its
 * chunks/ beside it, or without them.
 */
import { expect } from '@open-wc/testing';
import type { MarketingConsentFailedDetail } from '../../src/events/marketing-consent-failed.js';
import { loadOf, openBookingPage } from '../support/booking-page.js';
import { entriesFor, uniqueEmail, waitForEntries } from '../support/ledger.js';

/** The booking page's query that loads the bundle from `path`, its chunks arriving after `chunks` ms or missing. */
const hostedAt = (path: string, chunks: number | 'missing' = 0) =>
  `bundle=/self-hosted/${crypto.randomUUID()}/${chunks}/${path}`;

describe('<marketing-consent> served under any name', () => {
  for (const path of [
    'js/consent-v3.js',
    'assets/vendor/marketing-consent/marketing-consent.bundle.js',
    'marketing-consent.bundle.3f9a1c.js',
  ]) {
    it(`records a consent from /${path}, its chunks/ beside it`, async () => {
      const email = uniqueEmail();
      const { frame, consent, tick } = await openBookingPage(email, hostedAt(path));
      await tick();
      const receipt = await consent.record();
      expect(receipt?.id).to.equal(consent.consentId);
      expect(await waitForEntries(email)).to.have.length(1);
      frame.remove();
    });
  }

  it('without its chunks: names the file and the fix, keeps the consent, and records it once the chunk loads', async () => {
    const email = uniqueEmail();
    const { frame, win, doc, consent, tick } = await openBookingPage(email, hostedAt('js/consent-v3.js', 'missing'));
    const errors: string[] = [];
    (win as unknown as typeof globalThis).console.error = (...args: unknown[]) =>
      void errors.push(args.map(String).join(' '));
    const failed = new Promise<MarketingConsentFailedDetail>((resolve) =>
      consent.addEventListener('marketing-consent-failed', (event) => resolve(event.detail), { once: true }),
    );
    await tick();
    expect(await consent.record()).to.equal(null);
    const missing =
      /\/js\/chunks\/marketing-consent-consent-recording-[\w-]+\.js could not be loaded .*serve chunks\/ beside the bundle/;
    expect((await failed).reason).to.match(missing);
    expect(
      errors.some((error) => missing.test(error)),
      errors.join('\n'),
    ).to.equal(true);
    // Kept in this browser, not recorded yet.
    expect(Object.keys(win.localStorage).filter((key) => key.endsWith(consent.consentId!))).to.have.length(1);
    expect(await entriesFor(email)).to.deep.equal([]);
    // The confirmation page loads the bundle with its chunks: the kept consent goes out from there, as itself.
    const consentId = consent.consentId;
    const navigated = loadOf(frame);
    doc.querySelector('form')!.requestSubmit();
    await navigated;
    const entries = await waitForEntries(email, 1, 15_000);
    expect(entries.map((entry) => entry.event.id)).to.deep.equal([consentId]);
    frame.remove();
  });
});
