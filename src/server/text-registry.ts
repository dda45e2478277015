/**
 * The salon's register of published legal texts: which text version, in
 * which language, has which fingerprint. A record whose version is not
 * registered, or whose text differs from the registered one, is still
 * stored (the customer did tick, and the text they saw is in the record) but
 * flagged, so nobody mistakes it for a consent under the published text.
 */
import { createHash } from 'node:crypto';
import type { LedgerRecord, RecordFlag } from '../contract/ledger-records.js';

export interface PublishedText {
  version: string;
  locale: string;
  /** SHA-256 of the composed text, as the element records it (see the README, "Text register"). */
  sha256: string;
}

export class TextRegistry {
  readonly #byVersion = new Map<string, PublishedText[]>();
  /** Fingerprints of texts seen lately: a salon's customers are shown the same few texts. */
  readonly #fingerprints = new Map<string, string>();

  constructor(texts: readonly PublishedText[] = []) {
    for (const text of texts) this.#byVersion.set(text.version, [...(this.#byVersion.get(text.version) ?? []), text]);
  }

  /** False when no texts are registered: then versions are not checked at all. */
  get active(): boolean {
    return this.#byVersion.size > 0;
  }

  flagsFor(record: LedgerRecord): RecordFlag[] {
    if (record.method !== 'online-booking') return [];
    const { notice } = record;
    const flags: RecordFlag[] = [];
    if (this.#fingerprint(notice.text) !== notice.sha256) flags.push('fingerprint-mismatch');
    if (this.active) {
      const published = this.#byVersion.get(notice.textVersion);
      if (!published) flags.push('unregistered-text-version');
      else if (!published.some((text) => text.locale === notice.locale && text.sha256 === notice.sha256)) {
        flags.push('text-differs-from-register');
      }
    }
    return flags;
  }

  #fingerprint(text: string): string {
    let fingerprint = this.#fingerprints.get(text);
    if (fingerprint === undefined) {
      if (this.#fingerprints.size >= 64) this.#fingerprints.clear();
      fingerprint = createHash('sha256').update(text, 'utf8').digest('hex');
      this.#fingerprints.set(text, fingerprint);
    }
    return fingerprint;
  }
}
