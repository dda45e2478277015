import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MarketingConsentElement } from '../../src/elements/marketing-consent/marketing-consent.component.js';
import { bookingForm, box, clickAsCustomer } from '../support/booking-form.js';
import { ledger, uniqueEmail } from '../support/ledger.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
  link: string;
}

/** The confirmation mails the double opt-in ledger sent to an address, once `count` have arrived. */
async function mailsTo(address: string, count = 1): Promise<Mail[]> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const mails = (await executeServerCommand('mails-to', { address })) as Mail[];
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hint = (consent: MarketingConsentElement) =>
  consent.shadowRoot!.querySelector<HTMLElement>('[part="confirmation-hint"]')!;

async function signUp(options: { lang?: string; ledgerUrl?: string } = {}) {
  const email = uniqueEmail();
  const base = options.ledgerUrl ?? (await ledger()).doubleOptIn;
  const { form, consent } = await bookingForm({
    endpoint: `${base}/v1/consent-events`,
    email,
    ...(options.lang ? { lang: options.lang } : {}),
  });
  await clickAsCustomer(box(consent));
  return { email, form, consent };
}

describe('<marketing-consent> with double opt-in', () => {
  it('tells the customer where the confirmation mail went, in their language, and fires a typed event', async () => {
    const { email, form, consent } = await signUp({ lang: 'fr' });
    const pending = oneEvent(consent, 'marketing-consent-confirmation-pending');
    form.requestSubmit();
    const { detail } = await pending;
    expect(detail.purposes).to.deep.equal(['email-newsletter']);
    expect(detail.email).to.equal(email);
    expect(detail.receipt.pendingConfirmation).to.deep.equal(['email-newsletter']);
    await consent.updateComplete;
    expect(hint(consent).getAttribute('role')).to.equal('status');
    expect(hint(consent).textContent).to.equal(
      `Presque terminé : si cette adresse n'est pas encore confirmée, nous envoyons à ${email} un e-mail avec un lien de confirmation. Vous ne recevrez la newsletter qu'après votre confirmation.`,
    );
    await expect(consent).to.be.accessible();

    const [mail, ...more] = await mailsTo(email);
    expect(more).to.have.length(0);
    expect(mail!.subject).to.equal('Merci de confirmer : Newsletter par e-mail de Salon Bella');
    // This ledger has no register of published texts: the mail names the version instead of quoting the post.
    expect(mail!.text).to.include(
      'Le texte applicable est celui publié par le salon sur sa page de réservation (version 2026-11-01).',
    );
    expect(mail!.link).to.match(/\/v1\/confirm\?g=[0-9a-f-]{36}&p=email-newsletter&m=/);
  });

  it('says nothing and fires no such event where the ledger counts the tick at once', async () => {
    const { form, consent } = await signUp({ ledgerUrl: (await ledger()).url });
    let pendingFired = false;
    consent.addEventListener('marketing-consent-confirmation-pending', () => (pendingFired = true));
    const recorded = oneEvent(consent, 'marketing-consent-recorded');
    form.requestSubmit();
    const { detail } = await recorded;
    expect(detail.receipt.pendingConfirmation).to.equal(undefined);
    await consent.updateComplete;
    expect(pendingFired).to.equal(false);
    expect(hint(consent).textContent).to.equal('');
  });

  it('no-confirmation-hint leaves the line to the page, the event still comes', async () => {
    const { form, consent } = await signUp();
    consent.setAttribute('no-confirmation-hint', '');
    const pending = oneEvent(consent, 'marketing-consent-confirmation-pending');
    form.requestSubmit();
    await pending;
    await consent.updateComplete;
    expect(hint(consent).textContent).to.equal('');
  });
});
