import { LitElement, type CSSResultGroup, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { KNOWN_PURPOSES } from '../contract/vocabulary.js';
import { StaffApiClient, type StaffFetch } from '../staff-client/staff-api-client.js';
import { purposeListConverter, toPurposeList } from './purpose-list-converter.js';
import { staffStyles } from './staff-styles.js';

/**
 * What the staff elements share: where the ledger is, how requests are
 * authenticated (the host app's fetch or headers, never an attribute), the
 * purposes offered, and the interface language.
 */
export abstract class StaffElement extends LitElement {
  static override styles: CSSResultGroup = staffStyles;

  /** The staff API client for the current ledger and credentials. */
  protected client: StaffApiClient | undefined;

  /** Base URL of the consent ledger, e.g. "https://consent.salon-bella.ch" or "/ledger". */
  @property() ledger: string | undefined;

  /** Interface language; by default the nearest `lang` attribute. */
  @property() locale: string | undefined;

  /** The host app's fetch, e.g. one that adds the session's token. Property only. */
  @property({ attribute: false }) fetch: StaffFetch | undefined;

  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }`. Property only, never an attribute. */
  @property({ attribute: false }) headers: Record<string, string> | undefined;

  #purposes: string[] = [...KNOWN_PURPOSES];
  /** The purposes to show and offer: a list, or a string separated by spaces or commas, like the attribute. */
  @property({ converter: purposeListConverter })
  set purposes(value: readonly string[] | string | undefined) {
    this.#purposes = toPurposeList(value) ?? [...KNOWN_PURPOSES];
  }
  get purposes(): string[] {
    return this.#purposes;
  }

  protected get uiLocale(): string {
    return this.locale ?? (this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en');
  }

  /** Rebuilds the client when the ledger or the credentials changed; says whether they did. */
  protected connectionChanged(changed: PropertyValues<this>): boolean {
    if (!changed.has('ledger') && !changed.has('fetch') && !changed.has('headers')) return false;
    this.client = this.ledger
      ? new StaffApiClient({ ledger: this.ledger, fetch: this.fetch, headers: this.headers })
      : undefined;
    return true;
  }
}
