import { expect } from '@open-wc/testing';
import { loadOf, openBookingPage } from '../support/booking-page.js';
import { uniqueEmail, waitForEntries } from '../support/ledger.js';

describe('<marketing-consent> delivers when the page navigates away', () => {
  it('a booking submitted with the box ticked is recorded although the page navigates at once (10 runs)', async () => {
    for (let run = 0; run < 10; run += 1) {
      const email = uniqueEmail();
      const { frame, doc, tick } = await openBookingPage(email);
      await tick();
      const navigated = loadOf(frame);
      doc.querySelector('form')!.requestSubmit();
      await navigated;
      expect(frame.contentWindow!.location.pathname).to.equal('/test/fixtures/thank-you.html');
      const entries = await waitForEntries(email);
      expect(entries, `run ${run}`).to.have.length(1);
      frame.remove();
    }
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
