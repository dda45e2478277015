import { emit } from '../../events/emit.js';
import { purposeLabel } from '../../legal-text/ui-strings.js';
import '../../events/marketing-consent-file-changed.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConsentSubject } from '../../contract/consent-event.js';
import type { LedgerEntry, PurposeStatus, SubjectStatus } from '../../contract/ledger-records.js';
import { decidedAt } from '../../contract/decision-time.js';
import { isConfirmationStep } from '../../contract/confirmation-steps.js';
import { parseLegalMarkup } from '../../legal-text/legal-markup.js';
import { StaffApiError, type StaffError } from '../../staff-client/staff-api-client.js';
import { fileStringsFor, formatDate, type FileStrings } from './file-strings.js';
import { StaffElement } from '../staff-element.js';

type Loaded = { status: SubjectStatus; history: LedgerEntry[] };
type FormKind = 'grant' | 'withdraw' | 'erase';

/**
 * One customer's marketing consent, for the salon's customer file: per
 * purpose the current status (since when, how, under which text version,
 * with which evidence), the full history with the exact texts shown, and
 * the staff's actions: record a consent given in the salon (evidence
 * required), record a withdrawal, print the proof, erase the customer's
 * personal data on their request (with a reason and a confirmation).
 *
 * Authentication is the host app's: by default the page's session cookies
 * go along; a back office that uses tokens hands over a `fetch` function or
 * `headers` as properties. Never put a token in an attribute.
 *
 * @summary The consent panel of a customer file.
 *
 * @fires {MarketingConsentFileChangedEvent} marketing-consent-file-changed - A grant, withdrawal or erasure was recorded; `detail.status` is the new status.
 *
 * @csspart panel - The whole panel.
 * @csspart purpose - One purpose's status card.
 * @csspart badge - The status badge of a purpose.
 * @csspart history - The timeline.
 * @csspart form - The forms for a staff entry and a withdrawal.
 * @csspart button - Buttons.
 * @csspart error - An error message.
 * @csspart erasure - The note that the customer's personal data was erased.
 *
 * @cssproperty --marketing-consent-file-granted - Colour of "consent on record" (default #1d6b37).
 * @cssproperty --marketing-consent-file-withdrawn - Colour of "withdrawn" (default #8a1c1c).
 * @cssproperty --marketing-consent-file-accent - Colour of buttons and focus rings (default #2b2230).
 */
export class MarketingConsentFileElement extends StaffElement {
  #loadToken = 0;

  @state() private loaded: Loaded | undefined;
  @state() private error: StaffError | undefined;
  /** Problems found in a submitted form: which form, which field, what to do. */
  @state() private formErrors: { kind: FormKind; field: string; message: string }[] = [];
  @state() private message = '';
  @state() private busy = false;

  /** The customer's e-mail address (one of email, phone, customer-id is needed). */
  @property() email: string | undefined;

  /** The customer's phone number. */
  @property() phone: string | undefined;

  /** The platform's customer id. */
  @property({ attribute: 'customer-id' }) customerId: string | undefined;

  /** Prefills the staff name in the forms (the signed-in user). */
  @property({ attribute: 'staff-name' }) staffName = '';

  get #subject(): ConsentSubject {
    const subject: ConsentSubject = {};
    if (this.email) subject.email = this.email;
    if (this.phone) subject.phone = this.phone;
    if (this.customerId) subject.customerId = this.customerId;
    return subject;
  }

  get #strings(): FileStrings {
    return fileStringsFor(this.uiLocale);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const connectionChanged = this.connectionChanged(changed);
    const subjectChanged = changed.has('email') || changed.has('phone') || changed.has('customerId');
    if (subjectChanged || connectionChanged) void this.reload();
  }

  /** Loads status and history again from the ledger. */
  async reload(): Promise<void> {
    const client = this.client;
    const subject = this.#subject;
    if (!client || Object.keys(subject).length === 0) {
      this.loaded = undefined;
      return;
    }
    // A newer load (another customer opened) wins over a slower older one.
    const token = ++this.#loadToken;
    this.busy = true;
    try {
      const [status, history] = await Promise.all([client.status(subject), client.history(subject)]);
      if (token !== this.#loadToken) return;
      this.loaded = { status, history };
      this.error = undefined;
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.error = asStaffError(error);
    } finally {
      if (token === this.#loadToken) this.busy = false;
    }
  }

  #formValues(form: HTMLFormElement) {
    const data = new FormData(form);
    return {
      purposes: data.getAll('purpose').map(String),
      staffName: String(data.get('staffName') ?? '').trim(),
      evidence: String(data.get('evidence') ?? '').trim(),
      reason: String(data.get('reason') ?? '').trim(),
      note: String(data.get('note') ?? '').trim(),
      agreed: data.get('agreed') === 'yes',
    };
  }

  async #submit(event: SubmitEvent, kind: FormKind): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const t = this.#strings;
    const values = this.#formValues(form);
    const problems: { kind: FormKind; field: string; message: string }[] = [];
    if (kind !== 'erase' && values.purposes.length === 0) {
      problems.push({ kind, field: 'purpose', message: t.choosePurpose });
    }
    if (!values.staffName) problems.push({ kind, field: 'staffName', message: t.required(t.staffName) });
    if (kind === 'grant' && !values.evidence)
      problems.push({ kind, field: 'evidence', message: t.required(t.evidenceLabel) });
    if (kind === 'grant' && !values.agreed)
      problems.push({ kind, field: 'agreed', message: t.required(t.confirmAgreed) });
    if (kind === 'erase' && !values.agreed)
      problems.push({ kind, field: 'agreed', message: t.required(t.erasure.confirm) });
    this.formErrors = problems;
    if (problems.length > 0 || !this.client) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${kind}-errors`)?.focus();
      return;
    }
    this.busy = true;
    try {
      const subject = this.#subject;
      let saved = t.saved;
      if (kind === 'erase') {
        const reason = values.reason as keyof FileStrings['erasure']['reasons'];
        const erased = await this.client.erase({
          subject,
          staffName: values.staffName,
          reason,
          ...(values.note ? { note: values.note } : {}),
        });
        saved = t.erasure.done(erased.erasedRecords);
      } else if (kind === 'grant') {
        await this.client.grant({
          subject,
          purposes: values.purposes,
          staffName: values.staffName,
          evidence: values.evidence,
          customerAgreed: true,
        });
      } else {
        await this.client.withdraw({
          subject,
          purposes: values.purposes,
          staffName: values.staffName,
          ...(values.reason ? { reason: values.reason } : {}),
        });
      }
      form.reset();
      this.message = saved;
      await this.reload();
      emit(this, 'marketing-consent-file-changed', { status: this.loaded?.status });
    } catch (error) {
      this.error = asStaffError(error);
    } finally {
      this.busy = false;
    }
  }

  async #printProof(): Promise<void> {
    if (!this.client) return;
    // Opened now, while the click still counts as the user's, then pointed at the proof.
    const win = window.open('', '_blank');
    try {
      const url = await this.client.proofLink(this.#subject);
      if (!win) {
        this.error = { kind: 'rejected', status: 0, message: this.#strings.errors.popup };
        return;
      }
      win.opener = null;
      win.location.href = url;
    } catch (error) {
      win?.close();
      this.error = asStaffError(error);
    }
  }

  #renderText(markup: string): TemplateResult[] {
    return parseLegalMarkup(markup).map((segment) =>
      segment.kind === 'text' ? html`${segment.text}` : html`${segment.text} (${segment.href})`,
    );
  }

  #renderPurpose(purpose: PurposeStatus, history: LedgerEntry[]): TemplateResult {
    const t = this.#strings;
    const locale = this.uiLocale;
    const deciding = history.find((entry) => entry.event.id === purpose.eventId);
    const notice = deciding?.event.method === 'online-booking' ? deciding.event.notice : undefined;
    const method =
      purpose.method === 'staff'
        ? t.methods.staff(purpose.staff?.name ?? '')
        : purpose.method === 'suppression'
          ? t.methods.suppression(purpose.suppression!.kind, purpose.suppression!.source)
          : purpose.method === 'import'
            ? t.methods.import(purpose.imported!.source)
            : purpose.method === 'front-desk'
              ? t.methods['front-desk'](purpose.staff?.name ?? '', purpose.device ?? '')
              : purpose.method === 'sms-reply'
                ? t.methods['sms-reply'](true)
                : purpose.method
                  ? t.methods[purpose.method]
                  : '';
    return html`<section part="purpose" class="purpose ${purpose.state}" aria-labelledby="purpose-${purpose.purpose}">
      <h3 id="purpose-${purpose.purpose}">${purposeLabel(t.purposeNames, purpose.purpose)}</h3>
      <p part="badge" class="badge ${purpose.state}">${t.states[purpose.state]}</p>
      ${purpose.since ? html`<p>${t.since(formatDate(locale, purpose.since))} · ${method}</p>` : nothing}
      ${purpose.staff?.evidence ? html`<p>${t.evidence}: ${purpose.staff.evidence}</p>` : nothing}
      ${purpose.imported?.evidence ? html`<p>${t.evidence}: ${purpose.imported.evidence}</p>` : nothing}
      ${purpose.textVersion ? html`<p>${t.textVersion(purpose.textVersion, purpose.locale ?? '–')}</p>` : nothing}
      ${
        purpose.flags.length
          ? html`<ul class="flags">
              ${purpose.flags.map((flag) => html`<li>⚠ ${t.flags[flag as keyof FileStrings['flags']] ?? flag}</li>`)}
            </ul>`
          : nothing
      }
      ${
        notice
          ? html`<details>
              <summary>${t.showText}</summary>
              <blockquote lang=${notice.locale}>${this.#renderText(notice.text)}</blockquote>
            </details>`
          : nothing
      }
      ${purpose.addresses.map((address) => this.#renderConfirmation(purpose.purpose, address))}
      ${purpose.state === 'never' ? html`<p class="hint">${t.neverExplained}</p>` : nothing}
      ${purpose.state === 'withdrawn' ? html`<p class="hint">${t.withdrawnExplained}</p>` : nothing}
    </section>`;
  }

  /** Where an address's double opt-in stands: each mail, and the click or the lapse. */
  #renderConfirmation(purpose: string, address: PurposeStatus['addresses'][number]): TemplateResult | typeof nothing {
    const confirmation = address.confirmation;
    if (!confirmation) return nothing;
    const t = this.#strings.confirmation;
    const date = (iso: string) => formatDate(this.uiLocale, iso);
    // A phone number confirms by replying to an SMS, with the word the SMS asked for in the customer's language.
    const bySms = purpose === 'sms-newsletter';
    const line =
      confirmation.state === 'confirmed'
        ? confirmation.confirmedBy === 'sms-reply'
          ? t.sms.confirmed(address.address, date(confirmation.confirmedAt!))
          : t.confirmed(address.address, date(confirmation.confirmedAt!))
        : confirmation.state === 'pending'
          ? bySms
            ? t.sms.pending(address.address, date(confirmation.lapsesAt!), 'JA / OUI / SI / YES')
            : t.pending(address.address, date(confirmation.lapsesAt!))
          : t.lapsed(address.address);
    return html`<div class="confirmation ${confirmation.state}">
      <p>${line}</p>
      ${
        confirmation.mails.length
          ? html`<ul class="mails">
              ${confirmation.mails.map(
                (mail) =>
                  html`<li>
                    ${
                      mail.channel === 'sms'
                        ? mail.outcome === 'sent'
                          ? t.sms.sent(date(mail.at))
                          : t.sms.failed(date(mail.at), mail.smscError ?? '')
                        : mail.outcome === 'sent'
                          ? t.mailSent(date(mail.at))
                          : t.mailFailed(date(mail.at), mail.smtpReply ?? '')
                    }
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        // A confirmation SMS goes at most once a day per number, so staff cannot ask for another one sooner.
        confirmation.state === 'pending' && !bySms
          ? html`<button
              part="button"
              type="button"
              class="secondary"
              ?disabled=${this.busy}
              @click=${() => this.#resendConfirmation(purpose, address.address)}
            >
              ${t.resend}
            </button>`
          : nothing
      }
    </div>`;
  }

  /** The customer says the confirmation mail never came: send it again (the ledger throttles). */
  async #resendConfirmation(purpose: string, email: string): Promise<void> {
    if (!this.client) return;
    const t = this.#strings;
    if (!this.staffName) {
      this.error = { kind: 'rejected', status: 0, message: t.required(t.staffName) };
      return;
    }
    this.busy = true;
    this.error = undefined;
    try {
      await this.client.resendConfirmation({ purpose, email, staffName: this.staffName });
      this.message = t.confirmation.resent;
      await this.reload();
    } catch (error) {
      const detail = asStaffError(error);
      this.error =
        detail.kind === 'rejected' && detail.status === 429
          ? {
              kind: 'rejected',
              status: 0,
              message: t.confirmation.tooSoon(Math.ceil((detail.retryAfterSeconds ?? 60) / 60)),
            }
          : detail;
    } finally {
      this.busy = false;
    }
  }

  #renderHistory(history: LedgerEntry[]): TemplateResult {
    const t = this.#strings;
    const locale = this.uiLocale;
    return html`<section part="history" aria-labelledby="history-title">
      <h3 id="history-title">${t.historyTitle}</h3>
      ${
        history.length === 0
          ? html`<p>${t.noHistory}</p>`
          : html`<ol class="timeline">
              ${history
                .slice()
                .reverse()
                .map((entry) => {
                  const record = entry.event;
                  const what = (
                    record.method === 'suppression' && record.suppression.kind === 'hard-bounce'
                      ? record.suppression.purposes.map((purpose) => ({ purpose, granted: undefined }))
                      : // A confirmation message, its receipt or the click decides nothing, but is about one purpose.
                        isConfirmationStep(record)
                        ? [{ purpose: record.purpose, granted: undefined }]
                        : record.purposes
                  )
                    .map(
                      (p) =>
                        `${purposeLabel(t.purposeNames, p.purpose)}${p.granted === undefined ? '' : `: ${p.granted ? t.states.granted : t.states.withdrawn}`}`,
                    )
                    .join(', ');
                  const how =
                    record.method === 'staff'
                      ? t.methods.staff(record.staff.name)
                      : record.method === 'suppression'
                        ? t.methods.suppression(record.suppression.kind, record.suppression.source)
                        : record.method === 'import'
                          ? t.methods.import(record.import.source)
                          : record.method === 'front-desk'
                            ? t.methods['front-desk'](record.staff.name, record.device)
                            : record.method === 'sms-reply'
                              ? t.methods['sms-reply'](record.purposes.length > 0)
                              : record.method === 'sms-receipt'
                                ? t.methods['sms-receipt'](record.state === 'DELIVRD', record.state)
                                : record.method === 'double-opt-in' && record.reply
                                  ? t.methods['double-opt-in-sms']
                                  : t.methods[record.method];
                  // An imported decision is listed when the customer made it.
                  const at = decidedAt(entry);
                  return html`<li>
                    <time datetime=${at}>${formatDate(locale, at)}</time>
                    <span>${what}</span>
                    <span class="how"
                      >${how}${record.method === 'staff' && record.staff.evidence ? ` · ${t.evidence}: ${record.staff.evidence}` : ''}${record.method === 'staff' && record.reason ? ` · ${record.reason}` : ''}</span
                    >
                  </li>`;
                })}
            </ol>`
      }
    </section>`;
  }

  /** `aria-invalid` for a field of a form, from the problems its last submit found. */
  #invalid(kind: FormKind): (field: string) => 'true' | 'false' {
    return (field) => (this.formErrors.some((e) => e.kind === kind && e.field === field) ? 'true' : 'false');
  }

  /** The problems a submit found, as a list that takes focus (see #submit). */
  #renderErrorSummary(kind: FormKind): TemplateResult {
    const errors = this.formErrors.filter((e) => e.kind === kind).map((e) => e.message);
    return html`<div
      id="${kind}-errors"
      class="errors"
      role="alert"
      tabindex="-1"
      part="error"
      ?hidden=${errors.length === 0}
    >
      <ul>
        ${errors.map((e) => html`<li>${e}</li>`)}
      </ul>
    </div>`;
  }

  #renderStaffName(kind: FormKind): TemplateResult {
    return html`<label
      >${this.#strings.staffName}<input
        name="staffName"
        autocomplete="name"
        required
        aria-invalid=${this.#invalid(kind)('staffName')}
        .value=${this.staffName}
    /></label>`;
  }

  /** The required box by which staff confirm what they are about to record (or erase). */
  #renderAgreement(kind: FormKind, label: string): TemplateResult {
    return html`<label class="choice"
      ><input
        type="checkbox"
        name="agreed"
        value="yes"
        required
        aria-invalid=${this.#invalid(kind)('agreed')}
      />${label}</label
    >`;
  }

  #renderForm(kind: 'grant' | 'withdraw'): TemplateResult {
    const t = this.#strings;
    const invalid = this.#invalid(kind);
    return html`<form
      part="form"
      novalidate
      @submit=${(event: SubmitEvent) => this.#submit(event, kind)}
      aria-labelledby="${kind}-title"
    >
      <h3 id="${kind}-title">${kind === 'grant' ? t.grantTitle : t.withdrawTitle}</h3>
      ${kind === 'grant' ? html`<p class="hint" id="grant-why">${t.grantWhy}</p>` : nothing}
      ${this.#renderErrorSummary(kind)}
      <fieldset>
        <legend>${t.purposesLegend}</legend>
        ${this.purposes.map(
          (purpose) =>
            html`<label class="choice"
              ><input type="checkbox" name="purpose" value=${purpose} />${purposeLabel(t.purposeNames, purpose)}</label
            >`,
        )}
      </fieldset>
      ${this.#renderStaffName(kind)}
      ${
        kind === 'grant'
          ? html`<label
                >${t.evidenceLabel}<input
                  name="evidence"
                  required
                  aria-invalid=${invalid('evidence')}
                  aria-describedby="${kind}-evidence-hint grant-why"
                /><span id="${kind}-evidence-hint" class="hint">${t.evidenceHint}</span></label
              >
              ${this.#renderAgreement(kind, t.confirmAgreed)}`
          : html`<label>${t.reason}<input name="reason" /></label>`
      }
      <button part="button" type="submit" ?disabled=${this.busy}>
        ${kind === 'grant' ? t.grantButton : t.withdrawButton}
      </button>
    </form>`;
  }

  /** Erasure on the customer's request: a reason, an optional note without personal data, and a confirmation. */
  #renderEraseForm(): TemplateResult {
    const t = this.#strings;
    const e = t.erasure;
    return html`<form
      part="form"
      class="erase"
      novalidate
      @submit=${(event: SubmitEvent) => this.#submit(event, 'erase')}
      aria-labelledby="erase-title"
      aria-describedby="erase-why"
    >
      <h3 id="erase-title">${e.title}</h3>
      <p class="hint" id="erase-why">${e.why}</p>
      ${this.#renderErrorSummary('erase')} ${this.#renderStaffName('erase')}
      <label
        >${e.reasonLabel}<select name="reason">
          ${Object.entries(e.reasons).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </select></label
      >
      <label
        >${e.noteLabel}<input name="note" maxlength="500" aria-describedby="erase-note-hint" /><span
          id="erase-note-hint"
          class="hint"
          >${e.noteHint}</span
        ></label
      >
      ${this.#renderAgreement('erase', e.confirm)}
      <button part="button" type="submit" class="danger" ?disabled=${this.busy}>${e.button}</button>
    </form>`;
  }

  #renderError(error: StaffError): TemplateResult {
    const t = this.#strings;
    const text =
      error.kind === 'rejected'
        ? error.status === 0
          ? error.message
          : t.errors.rejected(error.message)
        : t.errors[error.kind];
    return html`<div class="error" role="alert" part="error">
      <p>${text}</p>
      <button
        part="button"
        type="button"
        @click=${() => {
          this.error = undefined;
          void this.reload();
        }}
      >
        ${t.retry}
      </button>
    </div>`;
  }

  protected override render(): unknown {
    const t = this.#strings;
    const subject = this.#subject;
    return html`<div part="panel" class="panel" lang=${this.uiLocale}>
      ${Object.keys(subject).length === 0 ? html`<p class="error" role="alert" part="error">${t.noCustomer}</p>` : nothing}
      ${this.error ? this.#renderError(this.error) : nothing}
      <p class="status-line" role="status">${this.busy && !this.loaded ? t.loading : this.message}</p>
      ${
        this.loaded
          ? html`<div class="purposes">
                ${this.loaded.status.purposes
                  .filter((p) => this.purposes.includes(p.purpose))
                  .map((p) => this.#renderPurpose(p, this.loaded!.history))}
              </div>
              ${
                this.loaded.status.erasure
                  ? html`<p class="erasure-note" part="erasure">
                      ${t.erasure.erasedOn(
                        formatDate(this.uiLocale, this.loaded.status.erasure.at),
                        t.erasure.reasons[this.loaded.status.erasure.reason],
                      )}
                    </p>`
                  : nothing
              }
              <p>
                <button part="button" type="button" class="secondary" @click=${() => this.#printProof()}>
                  ${t.printProof}
                </button>
              </p>
              ${this.#renderHistory(this.loaded.history)}
              <div class="forms">${this.#renderForm('grant')} ${this.#renderForm('withdraw')}</div>
              ${this.loaded.history.length > 0 ? this.#renderEraseForm() : nothing}`
          : nothing
      }
    </div>`;
  }
}

function asStaffError(error: unknown): StaffError {
  return error instanceof StaffApiError ? error.detail : { kind: 'unreachable', message: String(error) };
}
