import { expect, oneEvent } from '@open-wc/testing';
import { beaconConsentEvent, postConsentEvent } from '../../src/delivery/post-consent-event.js';
import { bookingForm, box, clickAsCustomer } from '../support/booking-form.js';
import { openBookingPage, reload } from '../support/booking-page.js';
import { makeConsentEvent } from '../support/consent-events.js';
import { faults } from '../support/faults.js';
import { entriesAfterQuietPeriod, ledger, uniqueEmail, waitForEntries } from '../support/ledger.js';

import { OUTBOX_KEY_PREFIX } from '../../src/delivery/waiting.js';

/** The events a page's outbox holds in its storage, one key each. */
function storedOutbox(storage: Storage): unknown[] {
  return Object.keys(storage)
    .filter((key) => key.startsWith(OUTBOX_KEY_PREFIX))
    .map((key) => JSON.parse(storage.getItem(key)!));
}

/** A ticked booking form posting through the fault layer. */
async function tickedForm(email: string) {
  const { form, consent } = await bookingForm({ endpoint: (await ledger()).intake, email });
  await clickAsCustomer(box(consent));
  return { form, consent };
}

describe('consent delivery against faults', () => {
  afterEach(async () => {
    await faults.startLedger().catch(() => undefined);
    await faults.reset();
  });

  it('the ledger is down when the customer books; when it is back, the record arrives once', async () => {
    const email = uniqueEmail();
    await faults.stopLedger();
    const { consent } = await tickedForm(email);
    const recording = consent.record();
    // Let a first attempt fail against the stopped ledger.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await faults.attemptsFor(consent.consentId!)).length).to.be.at.least(1);
    expect(storedOutbox(localStorage)).to.have.length(1);
    await faults.startLedger();
    window.dispatchEvent(new Event('online'));
    const receipt = await recording;
    expect(receipt?.id).to.equal(consent.consentId);
    expect(await entriesAfterQuietPeriod(email)).to.have.length(1);
    expect(storedOutbox(localStorage)).to.have.length(0);
  });

  it('503 three times, then success: one record, after backing off', async () => {
    const email = uniqueEmail();
    await faults.queue([503, 503, 503].map((status) => ({ kind: 'status', status })));
    const { consent } = await tickedForm(email);
    const receipt = await consent.record();
    expect(receipt).to.not.equal(null);
    const attempts = await faults.attemptsFor(consent.consentId!);
    expect(attempts.map((a) => a.status)).to.deep.equal([503, 503, 503, 201]);
    expect(await waitForEntries(email)).to.have.length(1);
  });

  it('honours Retry-After on 429', async () => {
    const email = uniqueEmail();
    await faults.queue([{ kind: 'status', status: 429, headers: { 'retry-after': '2' } }]);
    const { consent } = await tickedForm(email);
    await consent.record();
    const [first, second] = await faults.attemptsFor(consent.consentId!);
    expect(second!.at - first!.at).to.be.at.least(1900);
    expect(second!.status).to.equal(201);
  });

  it('a response lost after the ledger stored the event: the resend gets the same receipt, one record', async () => {
    const email = uniqueEmail();
    await faults.queue([{ kind: 'drop-response' }]);
    const { consent } = await tickedForm(email);
    const receipt = await consent.record();
    const attempts = await faults.attemptsFor(consent.consentId!);
    expect(attempts.map((a) => [a.fault, a.status])).to.deep.equal([
      ['drop-response', 201],
      ['pass', 200],
    ]);
    const entries = await waitForEntries(email);
    expect(entries).to.have.length(1);
    expect(receipt).to.deep.equal({
      id: entries[0]!.event.id,
      seq: entries[0]!.seq,
      receivedAt: entries[0]!.receivedAt,
    });
  });

  it("a 400 is not retried, and the failed event carries the ledger's message", async () => {
    const email = uniqueEmail();
    const message = 'purposes.0.purpose: unknown purpose fax-newsletter';
    await faults.queue([{ kind: 'status', status: 400, body: JSON.stringify({ error: message }) }]);
    const { consent } = await tickedForm(email);
    const failed = oneEvent(consent, 'marketing-consent-failed');
    const recording = consent.record();
    const { detail } = await failed;
    expect(detail.status).to.equal(400);
    expect(detail.reason).to.equal(message);
    expect(detail.event?.id).to.equal(consent.consentId);
    expect(await recording).to.equal(null);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await faults.attemptsFor(consent.consentId!)).to.have.length(1);
    expect(storedOutbox(localStorage)).to.have.length(0);
  });

  it('the same event sent three ways at once (two fetches and a beacon): one record, the same receipt', async () => {
    const email = uniqueEmail();
    const event = await makeConsentEvent(email);
    const { intake } = await ledger();
    expect(beaconConsentEvent(intake, event)).to.equal(true);
    const [a, b] = await Promise.all([postConsentEvent(intake, event), postConsentEvent(intake, event)]);
    expect(a.receipt).to.deep.equal(b.receipt);
    expect([a.status, b.status].sort()).to.satisfy((statuses: number[]) =>
      statuses.every((s) => s === 200 || s === 201),
    );
    const entries = await entriesAfterQuietPeriod(email);
    expect(entries).to.have.length(1);
    expect(entries[0]!.seq).to.equal(a.receipt!.seq);
  });

  it('a reload while a record is pending: the reloaded page delivers it', async () => {
    const email = uniqueEmail();
    await faults.stopLedger();
    let page = await openBookingPage(email);
    await page.tick();
    void page.consent.record();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(storedOutbox(page.win.localStorage)).to.have.length(1);
    page = await reload(page);
    expect(page.consent.checked).to.equal(false);
    await faults.startLedger();
    expect(await waitForEntries(email, 1, 10000)).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(storedOutbox(page.win.localStorage)).to.have.length(0);
    page.frame.remove();
  });

  it('storage blocked: the booking page still works and the consent is still delivered', async () => {
    const email = uniqueEmail();
    const page = await openBookingPage(email, 'storage=blocked');
    expect(() => page.win.localStorage).to.throw();
    await page.tick();
    const receipt = await page.consent.record();
    expect(receipt?.id).to.equal(page.consent.consentId);
    expect(await waitForEntries(email)).to.have.length(1);
    page.frame.remove();
  });
});
