import { expect, fixture, html } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import { PRIVACY_URL, TEXTS, TEXT_VERSION, bookingForm, box, clickAsCustomer } from '../support/booking-form.js';

const part = (consent: MarketingConsentElement, selector: string) =>
  consent.shadowRoot!.querySelector<HTMLElement>(selector)!;

describe("<marketing-consent> shows the salon's legal text", () => {
  const expected = {
    de: {
      heading: 'Neuigkeiten von Salon Bella (freiwillig)',
      label: 'Newsletter per E-Mail',
      privacy: 'Datenschutzerklärung',
    },
    fr: {
      heading: 'Actualités de Salon Bella (facultatif)',
      label: 'Newsletter par e-mail',
      privacy: 'Déclaration de confidentialité',
    },
    it: {
      heading: 'Novità da Salon Bella (facoltativo)',
      label: 'Newsletter via e-mail',
      privacy: 'Informativa sulla privacy',
    },
    en: { heading: 'News from Salon Bella (optional)', label: 'Newsletter by e-mail', privacy: 'Privacy notice' },
  } as const;

  for (const [lang, strings] of Object.entries(expected)) {
    it(`renders the ${lang} texts and interface strings from the form's lang`, async () => {
      const { consent } = await bookingForm({ lang });
      expect(part(consent, 'legend').textContent!.trim()).to.equal(strings.heading);
      expect(part(consent, 'label').textContent!.trim()).to.equal(strings.label);
      expect(part(consent, '#text-email-newsletter').textContent!.trim()).to.equal(
        TEXTS[lang as keyof typeof TEXTS]['email-newsletter'],
      );
      const link = part(consent, '#notice a');
      expect(link.textContent).to.equal(strings.privacy);
      expect(link.getAttribute('href')).to.equal(PRIVACY_URL);
    });
  }

  it('follows a language switch on the page', async () => {
    const { form, consent } = await bookingForm({ lang: 'de' });
    form.setAttribute('lang', 'fr');
    await new Promise((resolve) => setTimeout(resolve));
    await consent.updateComplete;
    expect(part(consent, '#text-email-newsletter').textContent!.trim()).to.equal(TEXTS.fr['email-newsletter']);
  });

  it('falls back from de-CH to the de text', async () => {
    const { consent } = await bookingForm({ lang: 'de-CH' });
    expect(part(consent, '#text-email-newsletter').textContent!.trim()).to.equal(TEXTS.de['email-newsletter']);
  });

  it('makes the legal text and the notice the description of the box', async () => {
    const { consent } = await bookingForm();
    const input = box(consent);
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('Newsletter per E-Mail');
    expect(input.getAttribute('aria-describedby')).to.equal('text-email-newsletter notice');
  });

  it('shows HTML and script in a text as text, never as markup', async () => {
    const hostile = {
      de: {
        'email-newsletter':
          'Salon Bella <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <b>fett</b>',
        notice: 'Widerruf jederzeit. [Klick](javascript:alert(1)) [ok](https://salon-bella.example/)',
      },
    };
    const consent = await fixture<MarketingConsentElement>(html`
      <marketing-consent
        lang="de"
        salon="Salon Bella"
        text-version="1"
        privacy-url=${PRIVACY_URL}
        .texts=${hostile}
      ></marketing-consent>
    `);
    // A javascript: link is a configuration error: no box is offered at all.
    expect(consent.shadowRoot!.querySelector('input')).to.equal(null);
    hostile.de.notice = 'Widerruf jederzeit. [ok](https://salon-bella.example/)';
    consent.texts = { ...hostile };
    await consent.updateComplete;
    const text = part(consent, '#text-email-newsletter');
    expect(text.textContent).to.equal(hostile.de['email-newsletter']);
    expect(text.querySelector('img, script, b')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('reads texts from <template data-text> children: configuration with HTML alone', async () => {
    const consent = await fixture<MarketingConsentElement>(html`
      <marketing-consent salon="Salon Bella" text-version=${TEXT_VERSION} privacy-url="/datenschutz" locale="en">
        <template data-text="email-newsletter" lang="en">
          Yes, send me the Salon Bella newsletter.
          <b>Bold</b> stays text. Read the [terms](https://salon-bella.example/terms).
        </template>
        <template data-text="notice" lang="en">Withdraw any time.</template>
      </marketing-consent>
    `);
    await consent.updateComplete;
    const text = part(consent, '#text-email-newsletter');
    expect(text.textContent).to.equal('Yes, send me the Salon Bella newsletter. Bold stays text. Read the terms.');
    const link = text.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://salon-bella.example/terms');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('rel')).to.equal('noopener noreferrer');
  });

  it('gives each checkbox a target of at least 24 by 24 CSS pixels', async () => {
    const { consent } = await bookingForm({ purposes: 'email-newsletter sms-newsletter' });
    for (const purpose of ['email-newsletter', 'sms-newsletter']) {
      const rect = box(consent, purpose).getBoundingClientRect();
      expect(rect.width).to.be.at.least(24);
      expect(rect.height).to.be.at.least(24);
    }
  });

  it('inherits the page font', async () => {
    const { form, consent } = await bookingForm();
    form.style.fontFamily = 'serif';
    expect(getComputedStyle(part(consent, '#text-email-newsletter')).fontFamily).to.equal('serif');
  });

  it('passes axe, unticked and ticked, with two purposes', async () => {
    const { consent } = await bookingForm({ purposes: 'email-newsletter sms-newsletter' });
    await expect(consent).to.be.accessible();
    await clickAsCustomer(box(consent));
    await consent.updateComplete;
    await expect(consent).to.be.accessible();
  });
});
