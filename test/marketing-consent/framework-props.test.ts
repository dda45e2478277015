/**
 * How frameworks hand settings over: React 19 and Vue set properties when
 * the element has them, with the strings a template wrote; React 19 builds
 * `<template>` children by script, so their text lands on the template
 * element instead of its content.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import '../../src/elements/marketing-consent/marketing-consent.js';

const labels = (consent: MarketingConsentElement) =>
  [...consent.shadowRoot!.querySelectorAll('label')].map((label) => label.textContent?.trim());

/** A template built the way React 19 builds it: the text as the template element's own child. */
function scriptedTemplate(key: string, lang: string, text: string): HTMLTemplateElement {
  const template = document.createElement('template');
  template.dataset['text'] = key;
  template.setAttribute('lang', lang);
  template.appendChild(document.createTextNode(text));
  return template;
}

describe('<marketing-consent> set up by a framework', () => {
  it('takes purposes as a space- or comma-separated string property, as JSX and Vue templates pass it', async () => {
    const consent = await fixture<MarketingConsentElement>(html`
      <marketing-consent
        lang="de"
        salon="Salon Bella"
        text-version="2026-11-01"
        privacy-url="/datenschutz"
        .texts=${{
          de: {
            'email-newsletter': 'Ja, Newsletter per E-Mail.',
            'sms-newsletter': 'Ja, Angebote per SMS.',
            notice: 'Widerruf jederzeit über den Abmeldelink.',
          },
        }}
      ></marketing-consent>
    `);
    (consent as unknown as { purposes: string }).purposes = 'email-newsletter sms-newsletter';
    await consent.updateComplete;
    expect(consent.purposes).to.deep.equal(['email-newsletter', 'sms-newsletter']);
    expect(labels(consent)).to.deep.equal(['Newsletter per E-Mail', 'Neuigkeiten per SMS']);
    (consent as unknown as { purposes: string }).purposes = 'sms-newsletter,email-newsletter';
    await consent.updateComplete;
    expect(labels(consent)).to.deep.equal(['Neuigkeiten per SMS', 'Newsletter per E-Mail']);
  });

  it('reads legal texts from <template> children built by script (React 19)', async () => {
    const consent = document.createElement('marketing-consent') as MarketingConsentElement;
    consent.setAttribute('lang', 'de');
    consent.setAttribute('salon', 'Salon Bella');
    consent.setAttribute('text-version', '2026-11-01');
    consent.setAttribute('privacy-url', '/datenschutz');
    consent.append(
      scriptedTemplate('email-newsletter', 'de', 'Ja, ich möchte den Newsletter per E-Mail.'),
      scriptedTemplate('notice', 'de', 'Widerruf jederzeit über den Abmeldelink.'),
    );
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.append(consent);
    await consent.updateComplete;
    expect(labels(consent)).to.deep.equal(['Newsletter per E-Mail']);
    expect(consent.shadowRoot!.querySelector('#text-email-newsletter')?.textContent).to.equal(
      'Ja, ich möchte den Newsletter per E-Mail.',
    );
  });
});
