import { expect } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import { uniqueEmail, waitForEntries } from '../support/ledger.js';

type FixtureWindow = Window & { __ready?: boolean; __violations: string[] };

/** Opens the strict-CSP booking page (it loads the built bundle) in an iframe. */
async function openBookingPage(email: string) {
  const frame = document.createElement('iframe');
  frame.style.width = '800px';
  frame.style.height = '600px';
  document.body.append(frame);
  frame.src = `/test/fixtures/booking-page.html?email=${encodeURIComponent(email)}`;
  const win = () => frame.contentWindow as FixtureWindow;
  const deadline = Date.now() + 10000;
  while (!win()?.__ready) {
    if (Date.now() > deadline) throw new Error('booking page did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const doc = frame.contentDocument!;
  const consent = doc.querySelector('marketing-consent') as MarketingConsentElement;
  return { frame, win: win(), doc, consent };
}

function loadOf(frame: HTMLIFrameElement) {
  return new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
}

describe('<marketing-consent> delivers when the page navigates away', () => {
  it('a booking submitted with the box ticked is recorded although the page navigates at once (10 runs)', async () => {
    for (let run = 0; run < 10; run += 1) {
      const email = uniqueEmail();
      const { frame, doc, consent } = await openBookingPage(email);
      consent.shadowRoot!.querySelector<HTMLInputElement>('#box-email-newsletter')!.click();
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
    const { frame, win, doc, consent } = await openBookingPage(email);
    expect(consent.shadowRoot!.querySelectorAll('input[type=checkbox]')).to.have.length(2);
    consent.shadowRoot!.querySelector<HTMLInputElement>('#box-sms-newsletter')!.click();
    const receipt = await consent.record();
    expect(receipt?.id).to.equal(consent.consentId);
    await waitForEntries(email);
    expect(win.__violations).to.deep.equal([]);
    // The policy is really in force: an eval is refused and reported.
    expect(() => (win as unknown as { eval: (code: string) => unknown }).eval('1')).to.throw();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(win.__violations.length).to.equal(1);
    expect(doc.querySelector('form')).to.exist;
    frame.remove();
  });
});
