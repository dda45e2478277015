/**
 * A salon booking form with the opt-in inside, as a page would write it, for
 * tests. Configured through HTML (attributes and <template data-text>).
 */
import { fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import '../../src/elements/marketing-consent/marketing-consent.js';

export const TEXT_VERSION = '2026-11-01';
export const PRIVACY_URL = 'https://salon-bella.example/datenschutz';

export const TEXTS = {
  de: {
    'email-newsletter':
      'Ja, ich möchte den Newsletter von Salon Bella mit Angeboten und Neuigkeiten per E-Mail erhalten.',
    'sms-newsletter': 'Ja, ich möchte Angebote von Salon Bella per SMS erhalten.',
    notice: 'Sie können Ihre Einwilligung jederzeit widerrufen, z. B. über den Abmeldelink in jeder Nachricht.',
  },
  fr: {
    'email-newsletter': 'Oui, je souhaite recevoir la newsletter de Salon Bella par e-mail.',
    'sms-newsletter': 'Oui, je souhaite recevoir les offres de Salon Bella par SMS.',
    notice: 'Vous pouvez retirer votre consentement à tout moment.',
  },
  it: {
    'email-newsletter': 'Sì, desidero ricevere la newsletter di Salon Bella via e-mail.',
    'sms-newsletter': 'Sì, desidero ricevere le offerte di Salon Bella via SMS.',
    notice: 'Può revocare il consenso in qualsiasi momento.',
  },
  en: {
    'email-newsletter': 'Yes, I would like to receive the newsletter of Salon Bella by e-mail.',
    'sms-newsletter': 'Yes, I would like to receive offers from Salon Bella by SMS.',
    notice: 'You can withdraw your consent at any time.',
  },
};

export interface BookingFormOptions {
  endpoint?: string;
  email?: string;
  purposes?: string;
  lang?: string;
}

/** Renders <form> with e-mail and phone fields and the opt-in; returns both. */
export async function bookingForm(options: BookingFormOptions = {}) {
  const form = await fixture<HTMLFormElement>(html`
    <form lang=${options.lang ?? 'de'} action="#" @submit=${(event: Event) => event.preventDefault()}>
      <input name="name" value="Anna Muster" />
      <input name="email" type="email" value=${options.email ?? ''} />
      <input name="phone" type="tel" value="+41 79 123 45 67" />
      <marketing-consent
        endpoint=${options.endpoint ?? ''}
        salon="Salon Bella"
        purposes=${options.purposes ?? 'email-newsletter'}
        text-version=${TEXT_VERSION}
        privacy-url=${PRIVACY_URL}
        .texts=${TEXTS}
      ></marketing-consent>
      <button type="submit">Buchen</button>
    </form>
  `);
  const consent = form.querySelector('marketing-consent') as MarketingConsentElement;
  await consent.updateComplete;
  return { form, consent };
}

/** The inner checkbox for a purpose. */
export function box(consent: MarketingConsentElement, purpose = 'email-newsletter'): HTMLInputElement {
  const input = consent.shadowRoot?.querySelector<HTMLInputElement>(`#box-${purpose}`);
  if (!input) throw new Error(`no checkbox for ${purpose}`);
  return input;
}

/**
 * Clicks an element as the customer does: a real mouse click through the
 * browser's input pipeline (a trusted event), not a script's click(), which
 * the element refuses to count as consent. `frame`: the iframe the element
 * lives in, whose offset the click needs.
 */
export async function clickAsCustomer(element: Element, frame?: HTMLIFrameElement): Promise<void> {
  element.scrollIntoView({ block: 'center' });
  frame?.scrollIntoView({ block: 'nearest' });
  const rect = element.getBoundingClientRect();
  const offset = frame?.getBoundingClientRect() ?? { left: 0, top: 0 };
  await sendMouse({
    type: 'click',
    position: [
      Math.round(offset.left + rect.left + rect.width / 2),
      Math.round(offset.top + rect.top + rect.height / 2),
    ],
  });
}

/** For captureConsole: wait until a message containing `part` was logged (the element words its messages lazily). */
export const saying = (part: string) => ({
  until: (calls: readonly string[]) => calls.some((call) => call.includes(part)),
});

/**
 * Records console calls of one level while `run` executes, and after it
 * until `until` holds (at most 5 s): the element's words for its
 * console are loaded on demand, so their message comes a moment after the render.
 */
export async function captureConsole(
  level: 'error' | 'warn' | 'info',
  run: () => Promise<void> | void,
  { until = () => true }: { until?: (calls: readonly string[]) => boolean } = {},
) {
  const calls: string[] = [];
  const original = console[level];
  console[level] = (...args: unknown[]) => calls.push(args.map(String).join(' '));
  try {
    await run();
    const deadline = Date.now() + 5000;
    while (!until(calls) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    // Whatever the same render reports besides arrives in the same task.
    await new Promise((resolve) => setTimeout(resolve));
  } finally {
    console[level] = original;
  }
  return calls;
}
