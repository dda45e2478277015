import { expect } from '@open-wc/testing';
import { bookingForm, box, TEXT_VERSION, clickAsCustomer } from '../support/booking-form.js';
import { entriesAfterQuietPeriod, ledger, uniqueEmail } from '../support/ledger.js';

describe('<marketing-consent> in a booking form', () => {
  it('adds one entry per ticked purpose, carrying the text version', async () => {
    const { form, consent } = await bookingForm({ purposes: 'email-newsletter sms-newsletter' });
    await clickAsCustomer(box(consent, 'email-newsletter'));
    await clickAsCustomer(box(consent, 'sms-newsletter'));
    const entries = new FormData(form).getAll('marketing-consent') as string[];
    expect(entries).to.have.length(2);
    expect(entries[0]).to.match(new RegExp(`^email-newsletter;version=${TEXT_VERSION};event=[0-9a-f-]{36}$`));
    expect(entries[1]).to.match(new RegExp(`^sms-newsletter;version=${TEXT_VERSION};event=[0-9a-f-]{36}$`));
  });

  it('adds nothing when unticked, or ticked and unticked again', async () => {
    const { form, consent } = await bookingForm();
    expect(new FormData(form).has('marketing-consent')).to.equal(false);
    await clickAsCustomer(box(consent));
    await clickAsCustomer(box(consent));
    expect(new FormData(form).has('marketing-consent')).to.equal(false);
  });

  it('submits under the configured field name', async () => {
    const { form, consent } = await bookingForm();
    consent.name = 'newsletter';
    await consent.updateComplete;
    await clickAsCustomer(box(consent));
    expect(new FormData(form).getAll('newsletter')).to.have.length(1);
    expect(new FormData(form).has('marketing-consent')).to.equal(false);
  });

  it('a real submit sends the consent entry with the booking', async () => {
    const { form, consent } = await bookingForm();
    const frame = document.createElement('iframe');
    frame.name = 'booking-result';
    document.body.append(frame);
    form.action = '/test/fixtures/form-echo.html';
    form.method = 'get';
    form.target = 'booking-result';
    await clickAsCustomer(box(consent));
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    // Submit the way a customer does, past the page's own submit handler.
    HTMLFormElement.prototype.submit.call(form);
    await loaded;
    const sent = new URLSearchParams(frame.contentWindow!.location.search);
    expect(sent.get('email')).to.equal('');
    expect(sent.getAll('marketing-consent')).to.have.length(1);
    expect(sent.get('marketing-consent')).to.match(/^email-newsletter;version=2026-11-01;event=/);
    frame.remove();
  });

  it('form.reset() unticks the box and empties the entry', async () => {
    const { form, consent } = await bookingForm();
    await clickAsCustomer(box(consent));
    form.reset();
    await consent.updateComplete;
    expect(box(consent).checked).to.equal(false);
    expect(new FormData(form).has('marketing-consent')).to.equal(false);
  });

  it('a booking submitted with the box unticked goes through and posts nothing', async () => {
    const email = uniqueEmail();
    const { form } = await bookingForm({ endpoint: (await ledger()).intake, email });
    let submitted = false;
    form.addEventListener('submit', () => (submitted = true));
    form.requestSubmit();
    expect(submitted).to.equal(true);
    expect(await entriesAfterQuietPeriod(email)).to.have.length(0);
  });

  it('a disabled fieldset disables the boxes', async () => {
    const { form, consent } = await bookingForm();
    const fieldset = document.createElement('fieldset');
    form.append(fieldset);
    fieldset.append(consent);
    fieldset.disabled = true;
    await new Promise((resolve) => setTimeout(resolve));
    await consent.updateComplete;
    expect(box(consent).disabled).to.equal(true);
  });
});
