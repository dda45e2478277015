import { expect, fixture, html } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import { isAllowedHref } from '../../src/legal-text/legal-markup.js';
import {
  PRIVACY_URL,
  TEXTS,
  TEXT_VERSION,
  bookingForm,
  box,
  captureConsole,
  saying,
  clickAsCustomer,
} from '../support/booking-form.js';
import { entriesAfterQuietPeriod, ledger, uniqueEmail } from '../support/ledger.js';

describe('<marketing-consent> counts only the customer’s own act', () => {
  it('a script’s click() or dispatched change ticks nothing, records nothing, and warns once', async () => {
    const { form, consent } = await bookingForm();
    const warnings = await captureConsole(
      'warn',
      async () => {
        box(consent).click();
        box(consent).checked = true;
        box(consent).dispatchEvent(new Event('change', { bubbles: true }));
        box(consent).dispatchEvent(new MouseEvent('click', { bubbles: true }));
        await consent.updateComplete;
      },
      saying('a script clicked or changed the box'),
    );
    expect(box(consent).checked).to.equal(false);
    expect(consent.checked).to.equal(false);
    expect(consent.grantedPurposes).to.deep.equal([]);
    expect(new FormData(form).getAll('marketing-consent')).to.deep.equal([]);
    expect(await consent.record({ subject: { email: 'a@example.ch' } })).to.equal(null);
    expect(warnings.filter((w) => w.includes('a script clicked or changed the box'))).to.have.length(1);
    // The customer's own click still works afterwards.
    await clickAsCustomer(box(consent));
    expect(consent.grantedPurposes).to.deep.equal(['email-newsletter']);
  });

  const scriptedActs: [string, (consent: MarketingConsentElement) => void][] = [
    ['click() on the box', (consent) => box(consent).click()],
    ['click() on the label', (consent) => consent.shadowRoot!.querySelector<HTMLElement>('label')!.click()],
    [
      'a dispatched click on the box',
      (consent) => box(consent).dispatchEvent(new MouseEvent('click', { bubbles: true })),
    ],
    [
      'checked set, then a dispatched change',
      (consent) => {
        box(consent).checked = true;
        box(consent).dispatchEvent(new Event('change', { bubbles: true }));
      },
    ],
  ];
  for (const [act, run] of scriptedActs) {
    it(`${act} from a page script leaves the box unticked, the form value empty and posts nothing`, async () => {
      const email = uniqueEmail();
      const { form, consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
      await captureConsole('warn', async () => {
        run(consent);
        await consent.updateComplete;
      });
      // The box is read after the browser's own change event has had its turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(box(consent).checked, 'the box shows ticked').to.equal(false);
      expect(consent.grantedPurposes).to.deep.equal([]);
      expect(new FormData(form).getAll('marketing-consent')).to.deep.equal([]);
      form.requestSubmit();
      expect(await entriesAfterQuietPeriod(email)).to.deep.equal([]);
    });
  }

  it('checked set before the element loaded is taken off: it reports the customer’s ticks only, with a warning', async () => {
    const name = `pre-upgrade-${Math.random().toString(36).slice(2)}`;
    const element = document.createElement('div');
    element.innerHTML = `<form><${name} salon="Salon Bella" text-version="${TEXT_VERSION}" privacy-url="${PRIVACY_URL}"></${name}></form>`;
    document.body.append(element);
    const early = element.querySelector(name) as unknown as { checked: boolean; grantedPurposes: string[] };
    early.checked = true;
    early.grantedPurposes = ['email-newsletter'];
    const { MarketingConsentElement } =
      await import('../../src/elements/marketing-consent/marketing-consent.component.js');
    const warnings = await captureConsole(
      'warn',
      async () => {
        customElements.define(name, class extends MarketingConsentElement {});
        const upgraded = early as unknown as MarketingConsentElement;
        upgraded.texts = TEXTS;
        await upgraded.updateComplete;
      },
      saying('the checked property was set before the element loaded'),
    );
    const consent = early as unknown as MarketingConsentElement;
    expect(consent.checked).to.equal(false);
    expect(consent.grantedPurposes).to.deep.equal([]);
    expect(warnings.join()).to.contain('the checked property was set before the element loaded');
    const input = consent.shadowRoot!.querySelector('input')!;
    await clickAsCustomer(input);
    expect(consent.checked).to.equal(true);
    await clickAsCustomer(input);
    expect(consent.checked).to.equal(false);
    expect(consent.grantedPurposes).to.deep.equal([]);
    element.remove();
  });
});

describe('<marketing-consent> checks what the customer reads', () => {
  const render = (texts: unknown, lang = 'de', purposes = 'email-newsletter sms-newsletter') =>
    fixture<MarketingConsentElement>(html`
      <marketing-consent
        lang=${lang}
        salon="Salon Bella"
        purposes=${purposes}
        text-version=${TEXT_VERSION}
        privacy-url=${PRIVACY_URL}
        .texts=${texts}
      ></marketing-consent>
    `);

  it('warns once when the notice says nothing about withdrawal, naming the language and a fix', async () => {
    const texts = { de: { ...TEXTS.de, notice: 'Wir freuen uns auf Sie.' } };
    const warnings = await captureConsole(
      'warn',
      async () => {
        const element = await render(texts);
        element.requestUpdate();
        await element.updateComplete;
      },
      { until: (calls) => calls.some((w) => w.includes('texts.de.notice')) },
    );
    const mine = warnings.filter((w) => w.includes('texts.de.notice does not say how to withdraw'));
    expect(mine).to.have.length(1);
    expect(mine[0]).to.contain('Widerruf jederzeit');
  });

  it('a language with a missing text falls back to the first complete one; the record names the language shown', async () => {
    const texts = { de: TEXTS.de, fr: { ...TEXTS.fr, 'sms-newsletter': '' } };
    let element!: MarketingConsentElement;
    const warnings = await captureConsole(
      'warn',
      async () => {
        element = await render(texts, 'fr');
      },
      { until: (calls) => calls.some((w) => w.includes('has settings to fix')) },
    );
    expect(element.shadowRoot!.querySelectorAll('input[type=checkbox]')).to.have.length(2);
    expect(element.shadowRoot!.querySelector('fieldset')!.getAttribute('lang')).to.equal('de');
    const message = warnings.join('\n');
    expect(message).to.contain('texts.fr.sms-newsletter is missing');
    expect(message).to.contain('<template data-text="sms-newsletter" lang="fr">');
    expect(message).to.contain('customers reading fr see the texts in de');
    // German pages are not blanked by a French gap.
    const german = await render(texts, 'de');
    expect(german.shadowRoot!.querySelectorAll('input[type=checkbox]')).to.have.length(2);
  });

  it('shows no box only when no language is complete, and names each gap by language and purpose', async () => {
    let element!: MarketingConsentElement;
    const errors = await captureConsole(
      'error',
      async () => {
        element = await render({ de: { ...TEXTS.de, 'sms-newsletter': '' }, fr: { ...TEXTS.fr, notice: '' } });
      },
      { until: (calls) => calls.length > 0 },
    );
    expect(element.shadowRoot!.querySelectorAll('input[type=checkbox]')).to.have.length(0);
    expect(errors.join()).to.contain('texts.de.sms-newsletter is missing');
    expect(errors.join()).to.contain('texts.fr.notice is missing');
  });

  it('same-site links are paths with one leading slash and no backslash', () => {
    expect(isAllowedHref('/datenschutz')).to.equal(true);
    for (const href of ['/\\evil.example/login', '//evil.example', '/\\/evil.example', '/a\\b', 'http://x.example']) {
      expect(isAllowedHref(href), href).to.equal(false);
    }
  });

  it('a backslash link in a legal text is a settings error, never rendered as a link', async () => {
    let element!: MarketingConsentElement;
    const errors = await captureConsole(
      'error',
      async () => {
        element = await render({ de: { ...TEXTS.de, notice: `${TEXTS.de.notice} [Login](/\\evil.example/login)` } });
      },
      { until: (calls) => calls.length > 0 },
    );
    expect(element.shadowRoot!.querySelector('a[href*="evil"]')).to.equal(null);
    expect(errors.join()).to.contain('texts.de.notice links to "/\\evil.example/login", which is not allowed');
  });
});
