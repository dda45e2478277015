import { expect, oneEvent } from '@open-wc/testing';
import * as z from 'zod/mini';
import { consentEventSchema } from '../../src/contract/consent-event.js';
import { sha256Hex } from '../../src/contract/fingerprint.js';
import { plainText } from '../../src/legal-text/legal-markup.js';
import { bookingForm, box, TEXT_VERSION, clickAsCustomer } from '../support/booking-form.js';
import { entriesAfterQuietPeriod, ledger, uniqueEmail, waitForEntries } from '../support/ledger.js';

/** What the customer sees in the widget, as one normalized string. */
function visibleText(root: ShadowRoot): string {
  const parts = [...root.querySelectorAll('legend, label, .text')].map((node) => node.textContent ?? '');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

describe('<marketing-consent> records the consent in the ledger', () => {
  it('posts one event on submit that passes the shared schema and proves the text shown', async () => {
    const email = uniqueEmail();
    const { form, consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
    await clickAsCustomer(box(consent));
    const recorded = oneEvent(consent, 'marketing-consent-recorded');
    form.requestSubmit();
    const { detail } = await recorded;
    const [entry, ...more] = await waitForEntries(email);
    expect(more).to.have.length(0);
    const event = z.parse(consentEventSchema, entry!.event);
    expect(event.id).to.equal(detail.receipt.id);
    expect(detail.receipt.seq).to.equal(entry!.seq);
    expect(event.subject).to.deep.equal({ email, phone: '+41 79 123 45 67' });
    expect(event.purposes).to.deep.equal([{ purpose: 'email-newsletter', granted: true }]);
    expect(event.method).to.equal('online-booking');
    expect(event.notice.textVersion).to.equal(TEXT_VERSION);
    expect(event.notice.locale).to.equal('de');
    expect(event.source.pageUrl).to.equal(location.origin + location.pathname);
    expect(event.source.widget.name).to.equal('marketing-consent');
    expect(await sha256Hex(event.notice.text)).to.equal(event.notice.sha256);
    expect(plainText(event.notice.text).replace(/\s+/g, ' ')).to.equal(visibleText(consent.shadowRoot!));
    expect(Math.abs(Date.parse(event.clientTime) - Date.now())).to.be.below(60_000);
  });

  it('records the ticked purposes only', async () => {
    const email = uniqueEmail();
    const { consent } = await bookingForm({
      endpoint: (await ledger()).intake,
      email,
      purposes: 'email-newsletter sms-newsletter',
    });
    await clickAsCustomer(box(consent, 'sms-newsletter'));
    await consent.record({ bookingRef: 'B-1042' });
    const [entry] = await waitForEntries(email);
    expect(entry!.event.purposes).to.deep.equal([{ purpose: 'sms-newsletter', granted: true }]);
    expect(entry!.event.bookingRef).to.equal('B-1042');
  });

  it('record() serves booking flows without a form submit, and returns the receipt', async () => {
    const email = uniqueEmail();
    const { consent } = await bookingForm({ endpoint: (await ledger()).intake });
    await clickAsCustomer(box(consent));
    const receipt = await consent.record({ bookingRef: 'B-7', subject: { email } });
    expect(receipt?.id).to.equal(consent.consentId);
    expect((await waitForEntries(email))[0]!.event.subject.email).to.equal(email);
  });

  it('one tick never makes two records: submit twice, record() too', async () => {
    const email = uniqueEmail();
    const { form, consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
    await clickAsCustomer(box(consent));
    form.requestSubmit();
    form.requestSubmit();
    const [first, second] = await Promise.all([consent.record(), consent.record()]);
    expect(first).to.deep.equal(second);
    expect(await entriesAfterQuietPeriod(email)).to.have.length(1);
  });

  it('a new tick after recording is a new act with a new id', async () => {
    const email = uniqueEmail();
    const { consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
    await clickAsCustomer(box(consent));
    const first = await consent.record();
    await clickAsCustomer(box(consent));
    await clickAsCustomer(box(consent));
    const second = await consent.record();
    expect(second?.id).to.not.equal(first?.id);
    expect(await waitForEntries(email, 2)).to.have.length(2);
  });

  it('posts nothing when nothing is ticked', async () => {
    const email = uniqueEmail();
    const { consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
    expect(await consent.record()).to.equal(null);
    expect(await entriesAfterQuietPeriod(email)).to.have.length(0);
  });

  it("fires marketing-consent-failed with the ledger's message on a rejected event", async () => {
    const { consent } = await bookingForm({ endpoint: (await ledger()).intake, email: 'not-an-address' });
    await clickAsCustomer(box(consent));
    const failed = oneEvent(consent, 'marketing-consent-failed');
    void consent.record();
    const { detail } = await failed;
    expect(detail.status).to.equal(400);
    expect(detail.reason).to.contain('subject.email');
  });

  it('fires marketing-consent-failed naming the field settings when no identifier is found', async () => {
    const { form, consent } = await bookingForm({ endpoint: (await ledger()).intake });
    (form.querySelector('input[name=phone]') as HTMLInputElement).value = '';
    await clickAsCustomer(box(consent));
    const failed = oneEvent(consent, 'marketing-consent-failed');
    void consent.record();
    const { detail } = await failed;
    expect(detail.reason).to.contain('email-field');
  });
});
