import { html, nothing, type PropertyValues } from 'lit';
import { purposeLabel } from '../../legal-text/ui-strings.js';
import { property, state } from 'lit/decorators.js';
import type { Audience } from '../../contract/ledger-records.js';
import { StaffApiError, type StaffError } from '../../staff-client/staff-api-client.js';
import { fileStringsFor, formatDate } from '../marketing-consent-file/file-strings.js';
import { StaffElement } from '../staff-element.js';

/**
 * Who a campaign for one channel reaches: how many customers receive it,
 * how many are left out for lack of consent and why, the list of
 * recipients, and a CSV export of them. It answers the question "why is
 * the recipient list smaller than expected?".
 *
 * @summary The audience of a newsletter campaign, with who is left out and why.
 *
 * @csspart summary - The counts and the explanation.
 * @csspart table - The list of recipients.
 * @csspart button - Buttons.
 * @csspart error - An error message.
 *
 * @cssproperty --marketing-consent-file-accent - Colour of buttons and focus rings (default #2b2230); shared with the customer file.
 */
export class MarketingConsentAudienceElement extends StaffElement {
  #loadToken = 0;

  @state() private audience: Audience | undefined;
  @state() private error: StaffError | undefined;

  /** The channel of the campaign. */
  @property() purpose = 'email-newsletter';

  /** Customers in the salon's file in all, when the host knows it: the ones the ledger never heard of are counted as left out too. */
  @property({ type: Number, attribute: 'total-customers' }) totalCustomers: number | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const connectionChanged = this.connectionChanged(changed);
    if (changed.has('purpose') || connectionChanged) void this.reload();
  }

  /** Loads the audience again (say, after a consent was recorded elsewhere on the page). */
  async reload(): Promise<void> {
    if (!this.client) return;
    const token = ++this.#loadToken;
    try {
      const audience = await this.client.audience(this.purpose);
      if (token !== this.#loadToken) return;
      this.audience = audience;
      this.error = undefined;
    } catch (error) {
      if (token === this.#loadToken)
        this.error = error instanceof StaffApiError ? error.detail : { kind: 'unreachable', message: String(error) };
    }
  }

  async #download(): Promise<void> {
    if (!this.client) return;
    try {
      const blob = await this.client.audienceCsv(this.purpose);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `recipients-${this.purpose}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      this.error = error instanceof StaffApiError ? error.detail : { kind: 'unreachable', message: String(error) };
    }
  }

  protected override render(): unknown {
    const t = fileStringsFor(this.uiLocale);
    const a = t.audience;
    const audience = this.audience;
    const inLedger = audience
      ? audience.recipients.length +
        audience.leftOut.withdrawn +
        audience.leftOut.unconfirmed +
        audience.leftOut.neverGranted +
        audience.leftOut.bounced +
        audience.leftOut.imported
      : 0;
    const withoutRecord =
      this.totalCustomers !== undefined && audience ? Math.max(0, this.totalCustomers - inLedger) : undefined;
    return html`<section aria-labelledby="audience-title" lang=${this.uiLocale}>
      <h3 id="audience-title">${a.title}</h3>
      <label
        >${a.purpose}
        <select @change=${(event: Event) => (this.purpose = (event.target as HTMLSelectElement).value)}>
          ${this.purposes.map((p) => html`<option value=${p} ?selected=${p === this.purpose}>${purposeLabel(t.purposeNames, p)}</option>`)}
        </select></label
      >
      ${
        this.error
          ? html`<div class="error" role="alert" part="error">
              <p>
                ${this.error.kind === 'rejected' ? t.errors.rejected(this.error.message) : t.errors[this.error.kind]}
              </p>
              <button part="button" type="button" @click=${() => this.reload()}>${t.retry}</button>
            </div>`
          : nothing
      }
      ${
        audience
          ? html`<div part="summary" role="status">
                <p class="count">${a.recipients(audience.recipients.length)}</p>
                <p>${a.leftOut}</p>
                <ul>
                  <li>${a.withdrawn(audience.leftOut.withdrawn)}</li>
                  ${audience.leftOut.unconfirmed ? html`<li>${a.unconfirmed(audience.leftOut.unconfirmed)}</li>` : nothing}
                  ${audience.leftOut.bounced ? html`<li>${a.bounced(audience.leftOut.bounced)}</li>` : nothing}
                  ${audience.leftOut.imported ? html`<li>${a.imported(audience.leftOut.imported)}</li>` : nothing}
                  <li>${a.never(audience.leftOut.neverGranted)}</li>
                  ${withoutRecord !== undefined ? html`<li>${a.noRecord(withoutRecord)}</li>` : nothing}
                </ul>
                <p class="hint">${a.why}</p>
              </div>
              <p><button part="button" type="button" @click=${() => this.#download()}>${a.download}</button></p>
              <table part="table">
                <thead>
                  <tr>
                    <th scope="col">${a.address}</th>
                    <th scope="col">${a.consentSince}</th>
                    <th scope="col">${a.how}</th>
                  </tr>
                </thead>
                <tbody>
                  ${audience.recipients.map(
                    (r) =>
                      html`<tr>
                        <td>${r.address}</td>
                        <td>${formatDate(this.uiLocale, r.since)}</td>
                        <td>
                          ${r.method === 'staff' ? t.methods.staff('').replace(/:\s*$/, '') : t.methods[r.method as 'online-booking']}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : nothing
      }
    </section>`;
  }
}
