import { expect, fixture, html } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import { PRIVACY_URL, TEXTS, TEXT_VERSION, captureConsole, clickAsCustomer, saying } from '../support/booking-form.js';

interface Case {
  name: string;
  attributes: Record<string, string>;
  texts?: unknown;
  /** What the one console message must name. */
  mentions: string[];
  /** Whether a box may still be offered. */
  boxShown: boolean;
}

const complete = { salon: 'Salon Bella', 'text-version': TEXT_VERSION, 'privacy-url': PRIVACY_URL, lang: 'de' };

const cases: Case[] = [
  {
    name: 'missing salon',
    attributes: { ...complete, salon: '' },
    mentions: ['salon is missing', 'salon="Salon Bella"'],
    boxShown: false,
  },
  {
    name: 'missing text-version',
    attributes: { ...complete, 'text-version': '' },
    mentions: ['text-version is missing', 'text-version="2026-11-01"'],
    boxShown: false,
  },
  {
    name: 'missing privacy-url',
    attributes: { ...complete, 'privacy-url': '' },
    mentions: ['privacy-url is missing'],
    boxShown: false,
  },
  {
    name: 'an http privacy-url',
    attributes: { ...complete, 'privacy-url': 'http://salon.example/dsgvo' },
    mentions: ['privacy-url is not an https URL'],
    boxShown: false,
  },
  {
    name: 'an unknown purpose',
    attributes: { ...complete, purposes: 'email-newsletter fax-newsletter' },
    mentions: ['purposes.1 names the unknown purpose "fax-newsletter"', 'sms-newsletter'],
    boxShown: false,
  },
  {
    name: 'a purpose named twice',
    attributes: { ...complete, purposes: 'email-newsletter email-newsletter' },
    mentions: ['purposes names a purpose twice'],
    boxShown: false,
  },
  {
    name: 'no texts at all',
    attributes: complete,
    texts: null,
    mentions: ['texts are missing', '<template data-text="email-newsletter"'],
    boxShown: false,
  },
  {
    name: 'a missing notice',
    attributes: complete,
    texts: { de: { 'email-newsletter': 'Ja, Salon Bella.' } },
    mentions: ['texts.de.notice is missing'],
    boxShown: false,
  },
  {
    name: 'a language without the SMS text',
    attributes: { ...complete, purposes: 'email-newsletter sms-newsletter' },
    texts: { ...TEXTS, fr: { 'email-newsletter': 'Oui', notice: 'Retrait' } },
    // The other languages are complete: French readers see the first of them instead of no box.
    mentions: [
      'texts.fr.sms-newsletter is missing',
      '<template data-text="sms-newsletter" lang="fr">',
      'see the texts in de',
    ],
    boxShown: true,
  },
  {
    name: 'a javascript: link',
    attributes: complete,
    texts: { de: { ...TEXTS.de, notice: '[x](javascript:alert(1))' } },
    mentions: ['texts.de.notice links to "javascript:alert(1', 'https://'],
    boxShown: false,
  },
  {
    name: 'an http endpoint off localhost',
    attributes: { ...complete, endpoint: 'http://consent.salon.example/v1/consent-events' },
    mentions: ['endpoint is not an https URL', '(https; http only on localhost)'],
    boxShown: true,
  },
  {
    name: 'a bad locale',
    attributes: { ...complete, locale: 'deutsch!' },
    mentions: ['locale is not a language tag'],
    boxShown: true,
  },
];

async function render(testCase: Case) {
  const element = document.createElement('marketing-consent') as MarketingConsentElement;
  for (const [name, value] of Object.entries(testCase.attributes)) if (value) element.setAttribute(name, value);
  if (testCase.texts !== null) element.texts = (testCase.texts ?? TEXTS) as MarketingConsentElement['texts'];
  const host = await fixture(html`<div></div>`);
  host.append(element);
  await element.updateComplete;
  return element;
}

describe('<marketing-consent> explains each bad setting', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: one console message naming the setting and the fix`, async () => {
      let element!: MarketingConsentElement;
      const level = testCase.boxShown ? 'warn' : 'error';
      const messages = await captureConsole(
        level,
        async () => {
          element = await render(testCase);
          element.requestUpdate();
          await element.updateComplete;
        },
        { until: (calls) => calls.length > 0 },
      );
      expect(messages, messages.join('\n')).to.have.length(1);
      for (const mention of testCase.mentions) expect(messages[0]).to.contain(mention);
      const box = element.shadowRoot!.querySelector('input[type=checkbox]');
      if (testCase.boxShown) expect(box).to.not.equal(null);
      else expect(box, 'no tickable box without complete information').to.equal(null);
    });
  }

  it('without an endpoint the box still works as a form field, and says so once', async () => {
    let form!: HTMLFormElement;
    const infos = await captureConsole(
      'info',
      async () => {
        form = await fixture<HTMLFormElement>(html`
          <form lang="de">
            <marketing-consent
              salon="Salon Bella"
              text-version="1"
              privacy-url=${PRIVACY_URL}
              .texts=${TEXTS}
            ></marketing-consent>
          </form>
        `);
        await (form.firstElementChild as MarketingConsentElement).updateComplete;
      },
      saying('no endpoint'),
    );
    const element = form.firstElementChild as MarketingConsentElement;
    await clickAsCustomer(element.shadowRoot!.querySelector<HTMLInputElement>('input')!);
    expect(new FormData(form).getAll('marketing-consent')).to.have.length(1);
    expect(infos.join()).to.contain('no endpoint');
  });
});
