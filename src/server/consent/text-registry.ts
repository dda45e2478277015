/**
 * The salon's register of published legal texts: which text version, in
 * which language, has which fingerprint. A record whose version is not
 * registered, or whose text differs from the registered one, is still
 * stored (the customer did tick, and the text they saw is in the record) but
 * flagged, so nobody mistakes it for a consent under the published text.
 */
import { createHash } from 'node:crypto';
import type { LedgerRecord, RecordFlag } from '../../contract/ledger-records.js';

export interface PublishedText {
  version: string;
  locale: string;
  /** SHA-256 of the composed text, as the element records it (see the README, "Text register"). */
  sha256: string;
}

export class TextRegistry {
  readonly #byVersion = new Map<string, PublishedText[]>();
  /** Texts seen lately, by their fingerprint: a salon's customers are shown the same few texts. */
  readonly #texts = new Map<string, string>();

  constructor(texts: readonly PublishedText[] = []) {
    for (const text of texts) this.#byVersion.set(text.version, [...(this.#byVersion.get(text.version) ?? []), text]);
  }

  /** False when no texts are registered: then versions are not checked at all. */
  get active(): boolean {
    return this.#byVersion.size > 0;
  }

  flagsFor(record: LedgerRecord): RecordFlag[] {
    if (record.method !== 'online-booking' && record.method !== 'front-desk') return [];
    const { notice } = record;
    const flags: RecordFlag[] = [];
    if (!this.#fingerprintHolds(notice.text, notice.sha256)) flags.push('fingerprint-mismatch');
    if (this.active) {
      const published = this.#byVersion.get(notice.textVersion);
      if (!published) flags.push('unregistered-text-version');
      else if (!published.some((text) => text.locale === notice.locale && text.sha256 === notice.sha256)) {
        flags.push('text-differs-from-register');
      }
    }
    return flags;
  }

  /** Whether `sha256` is the text's SHA-256 (a text seen lately is compared, not hashed again). */
  #fingerprintHolds(text: string, sha256: string): boolean {
    if (this.#texts.get(sha256) === text) return true;
    if (createHash('sha256').update(text, 'utf8').digest('hex') !== sha256) return false;
    if (this.#texts.size >= 64) this.#texts.clear();
    this.#texts.set(sha256, text);
    return true;
  }
}
