/**
 * The test booking page (test/fixtures/booking-page.html): the built bundle
 * under the strict CSP, in an iframe, so a test can submit, navigate and
 * reload it like a customer would.
 */
import { clickAsCustomer } from './booking-form.js';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';

type FixtureWindow = Window & { __ready?: boolean; __violations: string[] };

export interface BookingPage {
  frame: HTMLIFrameElement;
  win: FixtureWindow;
  doc: Document;
  consent: MarketingConsentElement;
  /** Ticks a box with a real mouse click, as the customer does. */
  tick(purpose?: string): Promise<void>;
}

async function whenReady(frame: HTMLIFrameElement): Promise<BookingPage> {
  const deadline = Date.now() + 10000;
  while (!(frame.contentWindow as FixtureWindow | null)?.__ready) {
    if (Date.now() > deadline) throw new Error('booking page did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const win = frame.contentWindow as FixtureWindow;
  const doc = frame.contentDocument!;
  const consent = doc.querySelector('marketing-consent') as MarketingConsentElement;
  const tick = (purpose = 'email-newsletter') =>
    clickAsCustomer(consent.shadowRoot!.querySelector<HTMLInputElement>(`#box-${purpose}`)!, frame);
  return { frame, win, doc, consent, tick };
}

/** Opens the booking page for a customer e-mail; `query` adds e.g. storage=blocked. */
export async function openBookingPage(email: string, query = ''): Promise<BookingPage> {
  const frame = document.createElement('iframe');
  frame.style.width = '800px';
  frame.style.height = '600px';
  document.body.append(frame);
  frame.src = `/test/fixtures/booking-page.html?email=${encodeURIComponent(email)}${query ? `&${query}` : ''}`;
  return whenReady(frame);
}

/** Reloads the page and waits until the element is ready again. */
export async function reload(page: BookingPage): Promise<BookingPage> {
  (page.win as unknown as { __ready?: boolean }).__ready = false;
  page.win.location.reload();
  await new Promise((resolve) => page.frame.addEventListener('load', resolve, { once: true }));
  return whenReady(page.frame);
}

export function loadOf(frame: HTMLIFrameElement): Promise<Event> {
  return new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
}
