/**
 * <marketing-consent-front-desk> against the real ledger, in every engine:
 * the customer ticks and signs (mouse, touch, or their typed name from the
 * keyboard), and the proof holds the signature beside the text shown.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { MarketingConsentFrontDeskElement } from '../../src/elements/marketing-consent-front-desk/marketing-consent-front-desk.component.js';
import '../../src/staff-elements.js';
import { ledger, uniqueEmail } from '../support/ledger.js';

const TEXTS = {
  de: {
    'email-newsletter': 'Neuigkeiten und Angebote von Salon Bella per E-Mail, etwa einmal im Monat.',
    'sms-newsletter': 'Kurze Hinweise auf freie Termine per SMS.',
    notice: 'Freiwillig. Widerruf jederzeit über den Abmeldelink oder am Empfang.',
  },
  fr: {
    'email-newsletter': 'Nouvelles et offres de Salon Bella par e-mail, environ une fois par mois.',
    'sms-newsletter': 'Brèves annonces de rendez-vous libres par SMS.',
    notice: 'Facultatif. Révocable à tout moment via le lien de désinscription ou à l’accueil.',
  },
};

interface ProofRecord {
  event: {
    method: string;
    notice?: { text: string; sha256: string; locale: string };
    signature?: { kind: string; image?: string; name?: string; sha256: string };
    staff?: { name: string };
    device?: string;
  };
}

async function staffHeaders() {
  return { authorization: `Bearer ${(await ledger()).staffToken}` };
}

async function desk(email = uniqueEmail()) {
  const element = await fixture<MarketingConsentFrontDeskElement>(html`
    <marketing-consent-front-desk
      lang="de"
      ledger=${(await ledger()).url}
      salon="Salon Bella"
      text-version="2026-11-01"
      privacy-url="https://salon-bella.example/datenschutz"
      staff-name="Lea Meier"
      device="Empfang iPad"
      email=${email}
      .texts=${TEXTS}
      .headers=${await staffHeaders()}
    ></marketing-consent-front-desk>
  `);
  await element.updateComplete;
  return { element, email, root: element.shadowRoot! };
}

async function proofOf(email: string): Promise<ProofRecord[]> {
  const { url } = await ledger();
  const response = await fetch(`${url}/v1/staff/proof?email=${encodeURIComponent(email)}&format=json`, {
    headers: await staffHeaders(),
  });
  return ((await response.json()) as { records: ProofRecord[] }).records;
}

async function until<T>(probe: () => T | null | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const saved = (root: ShadowRoot) =>
  until(() => root.querySelector('[role="status"]')?.textContent?.includes('gespeichert'));

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('<marketing-consent-front-desk>', () => {
  it('records a signature drawn with the mouse, bound to the text shown; the proof shows it beside the text', async () => {
    const { root, email, element } = await desk();
    root.querySelector<HTMLInputElement>('#box-email-newsletter')!.click();
    const canvas = root.querySelector('canvas')!;
    // The mouse moves within the viewport: the box is brought into it first, as a customer would scroll.
    canvas.scrollIntoView({ block: 'center' });
    const box = canvas.getBoundingClientRect();
    const at = (x: number, y: number) => ({
      x: Math.round(box.left + box.width * x),
      y: Math.round(box.top + box.height * y),
    });
    await sendMouse({ type: 'move', position: [at(0.1, 0.6).x, at(0.1, 0.6).y] });
    await sendMouse({ type: 'down' });
    for (const [x, y] of [
      [0.2, 0.3],
      [0.3, 0.7],
      [0.45, 0.35],
      [0.6, 0.65],
      [0.8, 0.4],
    ] as const) {
      await sendMouse({ type: 'move', position: [at(x, y).x, at(x, y).y] });
    }
    await sendMouse({ type: 'up' });
    let changed = false;
    element.addEventListener('marketing-consent-file-changed', () => (changed = true));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await saved(root);
    expect(changed).to.equal(true);

    const [record] = await proofOf(email);
    expect(record!.event.method).to.equal('front-desk');
    expect(record!.event.signature!.kind).to.equal('drawn');
    expect(record!.event.signature!.image).to.match(/^data:image\/png;base64,/);
    expect(record!.event.staff!.name).to.equal('Lea Meier');
    expect(record!.event.device).to.equal('Empfang iPad');
    const notice = record!.event.notice!;
    expect(notice.locale).to.equal('de');
    expect(notice.text).to.contain('Neuigkeiten und Angebote von Salon Bella per E-Mail');
    expect(notice.sha256).to.equal(await sha256Hex(notice.text));
    const { url } = await ledger();
    const page = await (
      await fetch(`${url}/v1/staff/proof?email=${encodeURIComponent(email)}`, { headers: await staffHeaders() })
    ).text();
    expect(page).to.contain(`<img class="signature" src="${record!.event.signature!.image}"`);
    // The form is empty again for the next customer.
    expect(root.querySelector<HTMLInputElement>('#box-email-newsletter')!.checked).to.equal(false);
  });

  it('takes a signature drawn by touch, in the language the customer chose', async () => {
    const { root, email } = await desk();
    root.querySelector<HTMLButtonElement>('button[lang="fr"]')!.click();
    await until(() => root.querySelector('form')?.getAttribute('lang') === 'fr');
    root.querySelector<HTMLInputElement>('#box-email-newsletter')!.click();
    const canvas = root.querySelector('canvas')!;
    const box = canvas.getBoundingClientRect();
    const touch = (type: string, x: number, y: number) =>
      canvas.dispatchEvent(
        new PointerEvent(type, {
          bubbles: true,
          composed: true,
          pointerId: 7,
          pointerType: 'touch',
          isPrimary: true,
          buttons: type === 'pointerup' ? 0 : 1,
          clientX: box.left + box.width * x,
          clientY: box.top + box.height * y,
          pressure: 0.5,
        }),
      );
    touch('pointerdown', 0.1, 0.5);
    for (let step = 1; step <= 8; step += 1) touch('pointermove', 0.1 + step * 0.08, 0.5 + (step % 2 ? 0.2 : -0.2));
    touch('pointerup', 0.8, 0.5);
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => root.querySelector('[role="status"]')?.textContent?.includes('enregistré'));
    const [record] = await proofOf(email);
    expect(record!.event.signature!.kind).to.equal('drawn');
    expect(record!.event.notice!.locale).to.equal('fr');
    expect(record!.event.notice!.text).to.contain('Nouvelles et offres de Salon Bella');
  });

  it('works from the keyboard alone: tick with Space, type the name, send with Enter', async () => {
    const { root, email } = await desk();
    root.querySelector<HTMLInputElement>('#box-email-newsletter')!.focus();
    await sendKeys({ press: ' ' });
    root.querySelector<HTMLInputElement>('input[name="typed"]')!.focus();
    // No letter twice in a row: WebKit's WebDriver drops repeated keys.
    await sendKeys({ type: 'Eva Muster' });
    await sendKeys({ press: 'Enter' });
    await saved(root);
    const [record] = await proofOf(email);
    expect(record!.event.signature).to.deep.include({ kind: 'typed', name: 'Eva Muster' });
  });

  it('says what is missing, moves focus there, and records nothing', async () => {
    const { root, email } = await desk('');
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => root.querySelector('#error-purposes'));
    expect(root.querySelector('#error-purposes')!.textContent).to.contain('mindestens ein Kästchen');
    expect(root.querySelector('#error-signature')!.textContent).to.contain('unterschreiben');
    expect(root.activeElement).to.equal(root.querySelector('#box-email-newsletter'));
    root.querySelector<HTMLInputElement>('#box-sms-newsletter')!.click();
    root.querySelector<HTMLInputElement>('input[name="typed"]')!.value = 'Anna';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => root.querySelector('#error-phone'));
    expect(root.querySelector('#error-phone')!.textContent).to.contain('Mobilnummer');
    expect(await proofOf(email || 'nobody@example.ch')).to.deep.equal([]);
  });

  it('is accessible and fits a 320 px screen', async () => {
    const { element } = await desk();
    await expect(element).to.be.accessible();
    // Reflow (WCAG 1.4.10): in a column 320 CSS px wide, nothing is wider than the column.
    const column = document.createElement('div');
    column.style.inlineSize = '320px';
    element.before(column);
    column.append(element);
    await element.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(element.scrollWidth).to.be.at.most(320);
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(canvas.getBoundingClientRect().width).to.be.at.most(320);
  });

  it('names the missing setting instead of a form without texts', async () => {
    const element = await fixture<MarketingConsentFrontDeskElement>(
      html`<marketing-consent-front-desk lang="de" ledger="/ledger"></marketing-consent-front-desk>`,
    );
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('text-version');
    expect(element.shadowRoot!.querySelector('form')).to.equal(null);
  });
});
