import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { bookingForm, box, clickAsCustomer } from '../support/booking-form.js';

function centerOf(element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
}

describe('<marketing-consent> toggling', () => {
  it('ticks and unticks on a click on the box', async () => {
    const { consent } = await bookingForm();
    await sendMouse({ type: 'click', position: centerOf(box(consent)) });
    expect(box(consent).checked).to.equal(true);
    expect(consent.grantedPurposes).to.deep.equal(['email-newsletter']);
    await sendMouse({ type: 'click', position: centerOf(box(consent)) });
    expect(box(consent).checked).to.equal(false);
    expect(consent.grantedPurposes).to.deep.equal([]);
  });

  it('ticks on a click on the label', async () => {
    const { consent } = await bookingForm();
    const label = consent.shadowRoot!.querySelector('label')!;
    await sendMouse({ type: 'click', position: centerOf(label) });
    expect(box(consent).checked).to.equal(true);
  });

  it('ticks with the keyboard: Tab to the box, then Space', async () => {
    const { form, consent } = await bookingForm();
    (form.querySelector('input[name=phone]') as HTMLInputElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(consent.shadowRoot!.activeElement).to.equal(box(consent));
    await sendKeys({ press: ' ' });
    expect(box(consent).checked).to.equal(true);
    await sendKeys({ press: ' ' });
    expect(box(consent).checked).to.equal(false);
  });

  it('fires change on the element once per user toggle', async () => {
    const { consent } = await bookingForm();
    let changes = 0;
    consent.addEventListener('change', () => (changes += 1));
    const changed = oneEvent(consent, 'change');
    await sendMouse({ type: 'click', position: centerOf(box(consent)) });
    await changed;
    expect(changes).to.equal(1);
  });

  it('fires no change on programmatic changes: reset, pre-tick attempts', async () => {
    const { form, consent } = await bookingForm();
    await clickAsCustomer(box(consent));
    await consent.updateComplete;
    let changes = 0;
    consent.addEventListener('change', () => (changes += 1));
    form.reset();
    (consent as unknown as { checked: boolean }).checked = true;
    consent.setAttribute('checked', '');
    await consent.updateComplete;
    expect(changes).to.equal(0);
  });

  it('gives each purpose its own box (e-mail and SMS are separate consents)', async () => {
    const { consent } = await bookingForm({ purposes: 'email-newsletter sms-newsletter' });
    await sendMouse({ type: 'click', position: centerOf(box(consent, 'sms-newsletter')) });
    expect(consent.grantedPurposes).to.deep.equal(['sms-newsletter']);
    expect(box(consent, 'email-newsletter').checked).to.equal(false);
  });
});
