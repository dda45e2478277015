import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import SignaturePad from 'signature_pad';
import type { ConsentSubject } from '../../contract/consent-event.js';
import type { FrontDeskConsentRequest } from '../../contract/ledger-records.js';
import { addressField } from '../../contract/vocabulary.js';
import { sha256Hex } from '../../contract/fingerprint.js';
import { emit } from '../../events/emit.js';
import '../../events/marketing-consent-file-changed.js';
import { isAllowedHref, parseLegalMarkup } from '../../legal-text/legal-markup.js';
import { purposeLabel, uiStringsFor } from '../../legal-text/ui-strings.js';
import { composeWidgetText } from '../../legal-text/widget-text.js';
import { StaffApiError } from '../../staff-client/staff-api-client.js';
import {
  pickTextLocale,
  validateSettings,
  type ConsentConfig,
  type LegalTexts,
} from '../marketing-consent/settings.js';
import { staffStyles } from '../staff-styles.js';
import { StaffElement } from '../staff-element.js';
import { frontDeskStringsFor, type FrontDeskStrings } from './front-desk-strings.js';

/** The signature's backing store is at most twice the CSS size: sharp on a tablet, small enough to send. */
const MAX_PIXEL_RATIO = 2;

/**
 * Consent given at the salon's front desk, on its tablet: the customer
 * reads the same versioned notice the booking page shows, in their language,
 * ticks the boxes themselves and signs with a finger, stylus or mouse (or,
 * who cannot draw, types their full name). The ledger records it as given
 * at the front desk with the staff member and the device named, binds the
 * signature to the notice's fingerprint, and seals the signature as
 * personal data (an erasure shreds it).
 *
 * The texts are set as on `<marketing-consent>`: `salon`, `text-version`,
 * `privacy-url` and the `texts` property. Authentication is the back
 * office's, as for the other staff elements (`fetch` or `headers`).
 *
 * @summary The front desk's consent form, with the customer's signature.
 *
 * @fires {MarketingConsentFileChangedEvent} marketing-consent-file-changed - The consent was recorded; `detail.status` is the customer's status now.
 *
 * @csspart form - The form.
 * @csspart signature - The signature box.
 * @csspart button - Buttons.
 * @csspart error - An error message.
 */
export class MarketingConsentFrontDeskElement extends StaffElement {
  static override styles = [
    staffStyles,
    css`
      .languages {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        margin-bottom: 0.75em;
      }
      .languages button[aria-pressed='true'] {
        outline: 3px solid currentColor;
        outline-offset: 2px;
      }
      .purpose {
        display: grid;
        grid-template-columns: auto 1fr;
        column-gap: 0.75em;
        align-items: start;
      }
      .purpose label {
        font-weight: 700;
      }
      .purpose p {
        grid-column: 2;
      }
      .purpose input[type='checkbox'] {
        inline-size: 1.5em;
        block-size: 1.5em;
      }
      canvas {
        display: block;
        inline-size: 100%;
        block-size: 10rem;
        border: 2px solid CanvasText;
        border-radius: 0.5em;
        background: #fff;
        touch-action: none;
      }
      .staff {
        color: #4f4654;
        font-size: 0.9em;
      }
    `,
  ];

  /** The salon, as named on the booking page's `<marketing-consent>`. */
  @property() salon: string | undefined;
  /** The version of the texts, as on the booking page. */
  @property({ attribute: 'text-version' }) textVersion: string | undefined;
  /** The salon's privacy notice. */
  @property({ attribute: 'privacy-url' }) privacyUrl: string | undefined;
  /** The texts per language, as `<marketing-consent>` takes them. Property only. */
  @property({ attribute: false }) texts: LegalTexts | undefined;
  /** The customer's e-mail address and phone number, when the customer file knows them. */
  @property() email: string | undefined;
  @property() phone: string | undefined;
  @property({ attribute: 'customer-id' }) customerId: string | undefined;
  /** The staff member at the desk; recorded with the consent. */
  @property({ attribute: 'staff-name' }) staffName: string | undefined;
  /** The salon's device, e.g. "Empfang iPad"; recorded with the consent. */
  @property() device: string | undefined;

  /** The language the customer reads in (they may switch it). */
  @state() private customerLocale: string | undefined;
  @state() private errors: { field: string; message: string }[] = [];
  @state() private message = '';
  @state() private busy = false;

  @query('canvas') private canvas!: HTMLCanvasElement;
  #pad: SignaturePad | undefined;
  #resize: ResizeObserver | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.connectionChanged(changed);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#pad?.off();
    this.#pad = undefined;
  }

  protected override updated(): void {
    // The box exists once the texts are valid; it is set up once, and sized to its CSS box.
    if (!this.canvas || this.#pad) return;
    this.#pad = new SignaturePad(this.canvas, { penColor: '#111', minWidth: 1, maxWidth: 2.6 });
    this.#pad.addEventListener('endStroke', () => this.#clearError('signature'));
    this.#resize = new ResizeObserver(() => this.#fitCanvas());
    this.#resize.observe(this.canvas);
    this.#fitCanvas();
  }

  /** The backing store follows the box's size and the screen's density; what was drawn is kept. */
  #fitCanvas(): void {
    const pad = this.#pad;
    const canvas = this.canvas;
    if (!pad || !canvas.clientWidth) return;
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), MAX_PIXEL_RATIO);
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (canvas.width === width && canvas.height === height) return;
    const strokes = pad.toData();
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.scale(ratio, ratio);
    pad.fromData(strokes);
  }

  get #config(): ConsentConfig | undefined {
    return validateSettings({
      salon: this.salon,
      purposes: this.purposes,
      textVersion: this.textVersion,
      texts: this.texts,
      privacyUrl: this.privacyUrl,
    }).config;
  }

  /** The language the texts are shown in: the customer's choice, else the interface's, among those configured. */
  #textLocale(config: ConsentConfig): string {
    return pickTextLocale(this.customerLocale ?? this.uiLocale, Object.keys(config.texts)).locale;
  }

  protected override render(): TemplateResult {
    const config = this.#config;
    if (!config) {
      return html`<p part="error" class="error" role="alert">${frontDeskStringsFor(this.uiLocale).misconfigured}</p>`;
    }
    const locale = this.#textLocale(config);
    const t = frontDeskStringsFor(locale);
    const ui = uiStringsFor(locale);
    const texts = config.texts[locale]!;
    const error = (field: string) => this.errors.find((e) => e.field === field);
    return html`<form part="form" lang=${locale} novalidate @submit=${this.#submit}>
      <h3>${t.title}</h3>
      <div class="languages" role="group" aria-label=${t.language}>
        ${Object.keys(config.texts).map(
          (tag) =>
            html`<button
              part="button"
              type="button"
              class="secondary"
              lang=${tag}
              aria-pressed=${tag === locale ? 'true' : 'false'}
              @click=${() => (this.customerLocale = tag)}
            >
              ${tag.toUpperCase()}
            </button>`,
        )}
      </div>
      <p><strong>${ui.heading(config.salon)}</strong></p>
      ${config.purposes.map(
        (purpose) =>
          html`<div class="purpose">
            <input
              type="checkbox"
              id="box-${purpose}"
              name="purpose"
              value=${purpose}
              aria-describedby="text-${purpose}"
              aria-invalid=${error('purposes') ? 'true' : 'false'}
              @change=${() => this.#clearError('purposes')}
            />
            <label for="box-${purpose}">${purposeLabel(ui.purposeLabels, purpose)}</label>
            <p id="text-${purpose}">${this.#legal(texts[purpose] ?? '')}</p>
          </div>`,
      )}
      ${this.#fieldError(error('purposes'))}
      <p>${this.#legal(`${texts['notice'] ?? ''} [${ui.privacyNotice}](${config.privacyUrl})`)}</p>
      <label>
        ${t.email}
        <input
          type="email"
          name="email"
          autocomplete="off"
          .value=${this.email ?? ''}
          aria-invalid=${error('email') ? 'true' : 'false'}
        />
      </label>
      ${this.#fieldError(error('email'))}
      <label>
        ${t.phone}
        <input
          type="tel"
          name="phone"
          autocomplete="off"
          .value=${this.phone ?? ''}
          aria-invalid=${error('phone') ? 'true' : 'false'}
        />
      </label>
      ${this.#fieldError(error('phone'))}
      <fieldset>
        <legend>${t.signature}</legend>
        <p id="signature-hint">${t.signatureHint}</p>
        <canvas part="signature" role="img" aria-label=${t.signatureArea} aria-describedby="signature-hint"></canvas>
        <p>
          <button part="button" type="button" class="secondary" @click=${this.#clearSignature}>${t.clear}</button>
        </p>
        <p id="typed-hint">${t.typedInstead}</p>
        <label>
          ${t.typedLabel}
          <input
            name="typed"
            autocomplete="off"
            aria-describedby="typed-hint"
            aria-invalid=${error('signature') ? 'true' : 'false'}
            @input=${() => this.#clearError('signature')}
          />
        </label>
        ${this.#fieldError(error('signature'))}
      </fieldset>
      <p class="staff">${t.staffPresent(this.staffName ?? '—', this.device ?? '—')}</p>
      <button part="button" type="submit" ?disabled=${this.busy}>${this.busy ? t.saving : t.submit}</button>
      <p role="status">${this.message}</p>
    </form>`;
  }

  #legal(markup: string): unknown[] {
    return parseLegalMarkup(markup).map((segment) =>
      segment.kind === 'link' && isAllowedHref(segment.href)
        ? html`<a href=${segment.href} target="_blank" rel="noopener">${segment.text}</a>`
        : segment.text,
    );
  }

  #fieldError(found: { field: string; message: string } | undefined): unknown {
    return found
      ? html`<p part="error" class="error" id="error-${found.field}" role="alert">${found.message}</p>`
      : nothing;
  }

  #clearError(field: string): void {
    if (this.errors.some((e) => e.field === field)) this.errors = this.errors.filter((e) => e.field !== field);
  }

  #clearSignature(): void {
    this.#pad?.clear();
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const config = this.#config;
    if (!config || this.busy) return;
    const form = event.target as HTMLFormElement;
    const locale = this.#textLocale(config);
    const t = frontDeskStringsFor(locale);
    const data = new FormData(form);
    const purposes = data.getAll('purpose') as string[];
    const subject: ConsentSubject = {
      ...(String(data.get('email') ?? '').trim() ? { email: String(data.get('email')).trim() } : {}),
      ...(String(data.get('phone') ?? '').trim() ? { phone: String(data.get('phone')).trim() } : {}),
      ...(this.customerId ? { customerId: this.customerId } : {}),
    };
    const typed = String(data.get('typed') ?? '').trim();
    const errors = this.#check(t, purposes, subject, typed);
    this.errors = errors;
    this.message = '';
    if (errors.length > 0) {
      await this.updateComplete;
      this.#focusFirstError(form, errors[0]!.field);
      return;
    }
    const text = composeWidgetText({
      salon: config.salon,
      purposes: config.purposes,
      privacyUrl: config.privacyUrl,
      locale,
      texts: config.texts[locale]!,
    });
    const request: FrontDeskConsentRequest = {
      subject,
      purposes,
      notice: { textVersion: config.textVersion, locale, text, sha256: await sha256Hex(text) },
      // A drawn signature is the customer's own mark; the typed name is the way without a pointer.
      signature:
        this.#pad && !this.#pad.isEmpty()
          ? { kind: 'drawn', image: this.#pad.toDataURL('image/png') }
          : { kind: 'typed', name: typed },
      staffName: this.staffName ?? '',
      device: this.device ?? '',
      customerActed: true,
    };
    this.busy = true;
    try {
      const answer = await this.client!.frontDeskConsent(request);
      form.reset();
      this.#pad?.clear();
      this.message = t.saved;
      emit(this, 'marketing-consent-file-changed', { status: answer.status });
    } catch (error) {
      this.message = t.failed(error instanceof StaffApiError ? error.detail.message : (error as Error).message);
    } finally {
      this.busy = false;
    }
  }

  /** What the customer still has to do: tick, give the address each ticked purpose writes to, sign. */
  #check(
    t: FrontDeskStrings,
    purposes: readonly string[],
    subject: ConsentSubject,
    typed: string,
  ): { field: string; message: string }[] {
    const errors: { field: string; message: string }[] = [];
    if (purposes.length === 0) errors.push({ field: 'purposes', message: t.noPurpose });
    const labels = uiStringsFor(this.#textLocale(this.#config!)).purposeLabels;
    for (const purpose of purposes) {
      const field = addressField(purpose);
      if (field !== 'customerId' && !subject[field]) {
        errors.push({ field, message: t.noAddress(purposeLabel(labels, purpose), field) });
      }
    }
    if ((!this.#pad || this.#pad.isEmpty()) && !typed) errors.push({ field: 'signature', message: t.noSignature });
    return errors;
  }

  #focusFirstError(form: HTMLFormElement, field: string): void {
    const target =
      field === 'purposes'
        ? form.querySelector<HTMLElement>('input[name="purpose"]')
        : field === 'signature'
          ? form.querySelector<HTMLElement>('input[name="typed"]')
          : form.querySelector<HTMLElement>(`input[name="${field}"]`);
    target?.focus();
  }
}
