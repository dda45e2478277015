import { expect, fixture, html } from '@open-wc/testing';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
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

describe('<marketing-consent> starts unticked, always', () => {
  it('renders every configured box unticked', async () => {
    const { consent } = await bookingForm({ purposes: 'email-newsletter sms-newsletter' });
    expect(box(consent, 'email-newsletter').checked).to.equal(false);
    expect(box(consent, 'sms-newsletter').checked).to.equal(false);
    expect(consent.checked).to.equal(false);
  });

  it('ignores a checked attribute and warns once', async () => {
    let consent!: MarketingConsentElement;
    const warnings = await captureConsole(
      'warn',
      async () => {
        consent = await fixture<MarketingConsentElement>(html`
          <marketing-consent
            checked
            salon="Salon Bella"
            text-version=${TEXT_VERSION}
            privacy-url=${PRIVACY_URL}
            .texts=${TEXTS}
          ></marketing-consent>
        `);
        await consent.updateComplete;
        consent.setAttribute('checked', '');
        await consent.updateComplete;
      },
      saying('checked attribute'),
    );
    expect(box(consent).checked).to.equal(false);
    expect(consent.checked).to.equal(false);
    expect(warnings.filter((w) => w.includes('checked attribute'))).to.have.length(1);
    expect(warnings[0]).to.contain('Planet49');
  });

  it('ignores a script setting checked = true and warns', async () => {
    const { consent } = await bookingForm();
    const warnings = await captureConsole(
      'warn',
      async () => {
        (consent as unknown as { checked: boolean }).checked = true;
        await consent.updateComplete;
      },
      saying('checked property was set by a script'),
    );
    expect(box(consent).checked).to.equal(false);
    expect(warnings.join()).to.contain('checked property was set by a script');
  });

  it('stays unticked when the form state is restored after back-navigation', async () => {
    const { consent } = await bookingForm();
    await clickAsCustomer(box(consent));
    await consent.updateComplete;
    expect(consent.checked).to.equal(true);
    const restored = new FormData();
    restored.append('marketing-consent', 'email-newsletter');
    consent.formStateRestoreCallback();
    await consent.updateComplete;
    expect(box(consent).checked).to.equal(false);
  });

  it('unticks when the page comes back from the back-forward cache', async () => {
    const { consent } = await bookingForm();
    await clickAsCustomer(box(consent));
    await consent.updateComplete;
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await consent.updateComplete;
    expect(box(consent).checked).to.equal(false);
    expect(consent.checked).to.equal(false);
  });

  it('keeps browser autofill away from the box', async () => {
    const { consent } = await bookingForm();
    expect(box(consent).getAttribute('autocomplete')).to.equal('off');
  });

  it('is never required and never blocks form validation', async () => {
    const { form, consent } = await bookingForm();
    expect(box(consent).required).to.equal(false);
    expect(form.checkValidity()).to.equal(true);
  });
});
