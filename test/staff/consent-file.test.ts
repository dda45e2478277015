import { executeServerCommand } from '@web/test-runner-commands';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { MarketingConsentFileElement } from '../../src/elements/marketing-consent-file/marketing-consent-file.component.js';
import type { MarketingConsentAudienceElement } from '../../src/elements/marketing-consent-audience/marketing-consent-audience.component.js';
import '../../src/staff-elements.js';
import { makeConsentEvent } from '../support/consent-events.js';
import { faults } from '../support/faults.js';
import { ledger, uniqueEmail } from '../support/ledger.js';

async function staffHeaders() {
  return { authorization: `Bearer ${(await ledger()).staffToken}` };
}

async function staffPost(path: string, body: unknown) {
  const { url } = await ledger();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...(await staffHeaders()), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
}

/** A customer who ticked the e-mail box in an online booking. */
async function bookedCustomer() {
  const email = uniqueEmail();
  const event = await makeConsentEvent(email);
  const response = await fetch((await ledger()).intake, { method: 'POST', body: JSON.stringify(event) });
  expect(response.status).to.equal(201);
  return { email, event };
}

async function openFile(
  email: string,
  options: { headers?: Record<string, string>; lang?: string; ledgerUrl?: string } = {},
) {
  const url = options.ledgerUrl ?? (await ledger()).url;
  const element = await fixture<MarketingConsentFileElement>(html`
    <marketing-consent-file
      lang=${options.lang ?? 'en'}
      ledger=${url}
      email=${email}
      staff-name="Lea Meier"
      .headers=${options.headers ?? (await staffHeaders())}
    ></marketing-consent-file>
  `);
  await until(() => element.shadowRoot!.querySelector('.purposes, .error'));
  return element;
}

async function until<T>(probe: () => T | null | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const card = (element: MarketingConsentFileElement, purpose: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(`section[aria-labelledby="purpose-${purpose}"]`)!;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<marketing-consent-file>', () => {
  afterEach(async () => {
    await faults.startLedger();
    await faults.reset();
  });

  it('shows a consent from the online booking: status, time, method, text version and the exact text', async () => {
    const { email, event } = await bookedCustomer();
    const element = await openFile(email);
    const emailCard = card(element, 'email-newsletter');
    expect(text(emailCard.querySelector('.badge'))).to.equal('Consent on record');
    expect(text(emailCard)).to.contain('ticked by the customer in the online booking');
    expect(text(emailCard)).to.contain('Text version 2026-11-01 (en)');
    expect(text(emailCard.querySelector('blockquote'))).to.equal(
      'News from Salon Bella (optional) Newsletter by e-mail Yes, send me the newsletter. Withdraw any time. Privacy notice (/privacy)',
    );
    expect(event.notice.text).to.contain('[Privacy notice](/privacy)');
    expect(text(card(element, 'sms-newsletter').querySelector('.badge'))).to.equal('No consent');
    expect(text(card(element, 'sms-newsletter'))).to.contain('left out of campaigns');
    await expect(element).to.be.accessible();
  });

  it('shows a withdrawal and the history, newest first', async () => {
    const { email } = await bookedCustomer();
    await staffPost('/v1/staff/withdrawals', {
      subject: { email },
      purposes: ['email-newsletter'],
      staffName: 'Tom Keller',
      reason: 'asked by phone',
    });
    const element = await openFile(email, { lang: 'de' });
    expect(text(card(element, 'email-newsletter').querySelector('.badge'))).to.equal('Widerrufen');
    const items = [...element.shadowRoot!.querySelectorAll('.timeline li')].map(text);
    expect(items).to.have.length(2);
    expect(items[0]).to.contain('Widerrufen').and.contain('Tom Keller').and.contain('asked by phone');
    expect(items[1]).to.contain('Einwilligung liegt vor').and.contain('Onlinebuchung');
  });

  it('refuses a staff entry without evidence, says why, and records nothing', async () => {
    const email = uniqueEmail();
    const element = await openFile(email);
    const form = element.shadowRoot!.querySelector<HTMLFormElement>('form[aria-labelledby="grant-title"]')!;
    form.querySelector<HTMLInputElement>('input[name=purpose][value=email-newsletter]')!.click();
    form.querySelector<HTMLInputElement>('input[name=agreed]')!.click();
    form.requestSubmit();
    await element.updateComplete;
    const errors = element.shadowRoot!.querySelector('#grant-errors')!;
    expect(errors.hasAttribute('hidden')).to.equal(false);
    expect(text(errors)).to.contain('Please fill in “Evidence”');
    expect(element.shadowRoot!.activeElement).to.equal(errors);
    expect(form.querySelector('input[name=evidence]')!.getAttribute('aria-invalid')).to.equal('true');
    expect(form.querySelector('input[name=staffName]')!.getAttribute('aria-invalid')).to.equal('false');
    const { url } = await ledger();
    const history = await (
      await fetch(`${url}/v1/staff/history?email=${email}`, { headers: await staffHeaders() })
    ).json();
    expect(history.entries).to.have.length(0);
  });

  it('records a staff entry with evidence, and shows it as staff-entered with its evidence', async () => {
    const email = uniqueEmail();
    const element = await openFile(email);
    const form = element.shadowRoot!.querySelector<HTMLFormElement>('form[aria-labelledby="grant-title"]')!;
    form.querySelector<HTMLInputElement>('input[name=purpose][value=email-newsletter]')!.click();
    form.querySelector<HTMLInputElement>('input[name=evidence]')!.value = 'signed form, 2026-11-20, folder 12';
    form.querySelector<HTMLInputElement>('input[name=agreed]')!.click();
    const changed = oneEvent(element, 'marketing-consent-file-changed');
    form.requestSubmit();
    const { detail } = await changed;
    expect(detail.status?.purposes[0]?.state).to.equal('granted');
    await element.updateComplete;
    const emailCard = card(element, 'email-newsletter');
    expect(text(emailCard.querySelector('.badge'))).to.equal('Consent on record');
    expect(text(emailCard)).to.contain('entered by staff: Lea Meier');
    expect(text(emailCard)).to.contain('Evidence: signed form, 2026-11-20, folder 12');
  });

  it('records a withdrawal from the form', async () => {
    const { email } = await bookedCustomer();
    const element = await openFile(email);
    const form = element.shadowRoot!.querySelector<HTMLFormElement>('form[aria-labelledby="withdraw-title"]')!;
    form.querySelector<HTMLInputElement>('input[name=purpose][value=email-newsletter]')!.click();
    form.querySelector<HTMLInputElement>('input[name=reason]')!.value = 'no longer wants mail';
    const changed = oneEvent(element, 'marketing-consent-file-changed');
    form.requestSubmit();
    await changed;
    await element.updateComplete;
    expect(text(card(element, 'email-newsletter').querySelector('.badge'))).to.equal('Withdrawn');
  });

  it('erases the customer’s personal data on request, with a reason and a confirmation, and shows the result', async () => {
    const { email } = await bookedCustomer();
    const element = await openFile(email);
    const form = element.shadowRoot!.querySelector<HTMLFormElement>('form.erase')!;
    expect(text(form)).to.contain('This cannot be undone.');
    const historyOf = async () =>
      (
        await (
          await fetch(`${(await ledger()).url}/v1/staff/history?email=${email}`, { headers: await staffHeaders() })
        ).json()
      ).entries;

    // Without the confirmation nothing happens, and the form says what is missing.
    form.requestSubmit();
    await element.updateComplete;
    const errors = element.shadowRoot!.querySelector('#erase-errors')!;
    expect(errors.hasAttribute('hidden')).to.equal(false);
    expect(text(errors)).to.contain('I have checked that this request comes from this customer');
    expect(element.shadowRoot!.activeElement).to.equal(errors);
    expect(await historyOf()).to.have.length(1);

    form.querySelector<HTMLSelectElement>('select[name=reason]')!.value = 'customer-request';
    form.querySelector<HTMLInputElement>('input[name=note]')!.value = 'letter of 24 November';
    form.querySelector<HTMLInputElement>('input[name=agreed]')!.click();
    const changed = oneEvent(element, 'marketing-consent-file-changed');
    form.requestSubmit();
    const { detail } = await changed;
    expect(detail.status?.erasure?.reason).to.equal('customer-request');
    await element.updateComplete;
    expect(text(card(element, 'email-newsletter').querySelector('.badge'))).to.equal('Data erased');
    expect(text(element.shadowRoot!.querySelector('.erasure-note'))).to.match(
      /This customer’s personal data was erased on .+ \(The customer asked for erasure\)/,
    );
    expect(text(element.shadowRoot!.querySelector('.status-line'))).to.equal('Erased: 1 record is no longer readable.');
    expect(element.shadowRoot!.querySelector('form.erase'), 'nothing left to erase').to.equal(null);
    expect(await historyOf()).to.deep.equal([]);
  });

  it('says so clearly when the ledger cannot be reached, and recovers on retry', async () => {
    const { email } = await bookedCustomer();
    await faults.stopLedger();
    const element = await openFile(email);
    const error = element.shadowRoot!.querySelector('.error')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.contain('The consent ledger cannot be reached. Nothing was changed.');
    await faults.startLedger();
    error.querySelector('button')!.click();
    await until(() => element.shadowRoot!.querySelector('.purposes'));
    expect(element.shadowRoot!.querySelector('.error')).to.equal(null);
  });

  it('says so clearly without a valid staff token, and shows no data', async () => {
    const { email } = await bookedCustomer();
    const element = await openFile(email, { headers: { authorization: 'Bearer not-the-token' } });
    expect(text(element.shadowRoot!.querySelector('.error'))).to.contain('Not authorised');
    expect(element.shadowRoot!.querySelector('.purposes')).to.equal(null);
  });

  it('keeps the token out of the markup', async () => {
    const { email } = await bookedCustomer();
    const element = await openFile(email);
    const { staffToken } = await ledger();
    expect(element.outerHTML).to.not.contain(staffToken);
    expect(element.shadowRoot!.innerHTML).to.not.contain(staffToken);
  });
});

describe('<marketing-consent-audience>', () => {
  it('counts who receives a campaign and who is left out, and why', async () => {
    const { url } = await ledger();
    const element = await fixture<MarketingConsentAudienceElement>(html`
      <marketing-consent-audience lang="en" ledger=${url} .headers=${await staffHeaders()}></marketing-consent-audience>
    `);
    await until(() => element.shadowRoot!.querySelector('.count'));
    const before = Number(text(element.shadowRoot!.querySelector('.count')).split(' ')[0]);
    const { email } = await bookedCustomer();
    await element.reload();
    await element.updateComplete;
    expect(Number(text(element.shadowRoot!.querySelector('.count')).split(' ')[0])).to.equal(before + 1);
    const rows = [...element.shadowRoot!.querySelectorAll('tbody tr')].map(text);
    expect(rows.some((row) => row.includes(email.toLowerCase()))).to.equal(true);
    await staffPost('/v1/staff/withdrawals', { subject: { email }, purposes: ['email-newsletter'], staffName: 'Lea' });
    await element.reload();
    await element.updateComplete;
    expect(Number(text(element.shadowRoot!.querySelector('.count')).split(' ')[0])).to.equal(before);
    expect(text(element.shadowRoot!.querySelector('[part=summary]'))).to.contain(
      'Why is the list smaller than expected?',
    );
    element.totalCustomers = 100_000;
    await element.updateComplete;
    expect(text(element.shadowRoot!.querySelector('[part=summary]'))).to.match(
      /\d+ more customers without any consent/,
    );
    await expect(element).to.be.accessible();
  });
});

describe('<marketing-consent-file> with double opt-in', () => {
  it('shows the sign-up waiting for its confirmation, the mail sent, and refuses a second mail right away', async () => {
    const { doubleOptIn } = await ledger();
    const email = uniqueEmail();
    const event = await makeConsentEvent(email);
    const posted = await fetch(`${doubleOptIn}/v1/consent-events`, { method: 'POST', body: JSON.stringify(event) });
    expect(posted.status).to.equal(201);
    let element = await openFile(email, { ledgerUrl: doubleOptIn, lang: 'de' });
    // The mail goes out right after the receipt: wait for its record.
    for (let i = 0; i < 40 && !text(card(element, 'email-newsletter')).includes('versandt'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      element.remove();
      element = await openFile(email, { ledgerUrl: doubleOptIn, lang: 'de' });
    }
    const emailCard = card(element, 'email-newsletter');
    expect(text(emailCard.querySelector('.badge'))).to.equal('Wartet auf Bestätigung');
    expect(text(emailCard)).to.contain(`${email}: wartet bis`);
    expect(text(emailCard)).to.contain('Bestätigungs-E-Mail versandt am');
    await expect(element).to.be.accessible();

    const resend = [...emailCard.querySelectorAll('button')].find(
      (b) => text(b) === 'Bestätigungs-E-Mail erneut senden',
    )!;
    resend.click();
    const alert = await until(() => element.shadowRoot!.querySelector('.error[role="alert"]'));
    expect(text(alert)).to.contain('Die letzte Bestätigungs-E-Mail ist eben erst verschickt worden. Bitte in 15 Min.');
  });
});

describe('<marketing-consent-file> with SMS double opt-in', () => {
  it('shows the SMS sent and the reply awaited, then the confirmation by reply, then the STOP', async () => {
    const { doubleOptIn } = await ledger();
    const email = uniqueEmail();
    const phone = `+4179${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const event = await makeConsentEvent(email);
    const grant = { ...event, subject: { email, phone }, purposes: [{ purpose: 'sms-newsletter', granted: true }] };
    const posted = await fetch(`${doubleOptIn}/v1/consent-events`, { method: 'POST', body: JSON.stringify(grant) });
    expect(posted.status).to.equal(201);
    const smsCard = async () => {
      const element = await openFile(email, { ledgerUrl: doubleOptIn, lang: 'de' });
      const found = text(card(element, 'sms-newsletter'));
      element.remove();
      return found;
    };
    let shown = await smsCard();
    for (let i = 0; i < 40 && !shown.includes('versandt'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      shown = await smsCard();
    }
    expect(shown).to.contain('Wartet auf Bestätigung');
    expect(shown).to.contain(`${phone}: wartet bis`);
    expect(shown).to.contain('auf die Antwort JA / OUI / SI / YES auf die Bestätigungs-SMS');
    expect(shown).to.contain('Bestätigungs-SMS versandt am');
    expect(shown).not.to.contain('erneut senden');
    const sent = (await executeServerCommand('sms-to', { number: phone })) as { text: string }[];
    expect(sent).to.have.length(1);
    expect(sent[0]!.text).to.contain('reply YES');

    expect(await executeServerCommand('sms-reply', { from: phone, text: 'Yes' })).to.equal(0);
    const element = await openFile(email, { ledgerUrl: doubleOptIn, lang: 'de' });
    const confirmed = text(card(element, 'sms-newsletter'));
    expect(confirmed).to.contain('Einwilligung liegt vor');
    expect(confirmed).to.contain('per Antwort auf die Bestätigungs-SMS bestätigt (Double-Opt-in)');
    await expect(element).to.be.accessible();
    element.remove();

    expect(await executeServerCommand('sms-reply', { from: phone, text: 'STOP' })).to.equal(0);
    const stopped = await smsCard();
    expect(stopped).to.contain('Widerrufen');
    expect(stopped).to.contain('per SMS mit STOP abgemeldet');
  });
});

describe('the staff elements set up by a framework', () => {
  it('take purposes as the attribute’s string set as a property, as React 19 and Vue templates pass it', async () => {
    const { url } = await ledger();
    const { email } = await bookedCustomer();
    const file = await openFile(email);
    (file as unknown as { purposes: string }).purposes = 'sms-newsletter, email-newsletter';
    await file.updateComplete;
    expect(file.purposes).to.deep.equal(['sms-newsletter', 'email-newsletter']);
    const offered = [...file.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=purpose]')].map((i) => i.value);
    expect(offered.slice(0, 2)).to.deep.equal(['sms-newsletter', 'email-newsletter']);
    const audience = await fixture<MarketingConsentAudienceElement>(html`
      <marketing-consent-audience lang="de" ledger=${url} .headers=${await staffHeaders()}></marketing-consent-audience>
    `);
    (audience as unknown as { purposes: string }).purposes = 'email-newsletter';
    await audience.updateComplete;
    await until(() => audience.shadowRoot!.querySelector('.count'));
    expect([...audience.shadowRoot!.querySelectorAll('option')].map((option) => option.value)).to.deep.equal([
      'email-newsletter',
    ]);
  });
});

describe('the staff elements at 320 CSS px (WCAG 1.4.10 reflow)', () => {
  it('a long address without break points and the longest erasure reason fit a 320 px column in every engine', async () => {
    // 40 characters with no hyphen: nothing but overflow-wrap lets it break.
    const email = `annamariamustermann${crypto.randomUUID().slice(0, 8)}@example.ch`;
    const event = await makeConsentEvent(email);
    expect((await fetch((await ledger()).intake, { method: 'POST', body: JSON.stringify(event) })).status).to.equal(
      201,
    );
    for (const lang of ['de', 'fr', 'it', 'en']) {
      const column = await fixture<HTMLDivElement>(html`
        <div style="inline-size: 320px; padding: 0; margin: 0">
          <marketing-consent-file
            lang=${lang}
            ledger=${(await ledger()).url}
            email=${email}
            staff-name="Lea Meier"
            .headers=${await staffHeaders()}
          ></marketing-consent-file>
        </div>
      `);
      const file = column.querySelector('marketing-consent-file')!;
      await until(() => file.shadowRoot!.querySelector('select[name=reason]'));
      const right = column.getBoundingClientRect().right;
      const wider = [...file.shadowRoot!.querySelectorAll('*')].filter(
        (element) => element.getBoundingClientRect().right > right + 0.5,
      );
      expect(
        wider.map((element) => `${element.localName}: ${element.textContent?.trim().slice(0, 40)}`),
        `${lang}: past the column`,
      ).to.deep.equal([]);
      expect(column.scrollWidth, `${lang}: the column scrolls sideways`).to.be.at.most(320);
    }
  });
});
