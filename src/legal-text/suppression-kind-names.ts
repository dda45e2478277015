/**
 * What a newsletter tool reported (see SUPPRESSION_KINDS), in words for the
 * salon, in its four languages, with the tool named: shared by the customer
 * file and the proof.
 */
import type { SuppressionKind } from '../contract/ledger-records.js';

type Locale = 'de' | 'fr' | 'it' | 'en';

export const SUPPRESSION_KIND_NAMES: Record<Locale, Record<SuppressionKind, (source: string) => string>> = {
  de: {
    unsubscribe: (source) => `im Newsletter-Tool abgemeldet (${source})`,
    complaint: (source) => `als Spam gemeldet, laut Newsletter-Tool (${source})`,
    'hard-bounce': (source) => `Adresse unzustellbar, laut Newsletter-Tool (${source})`,
  },
  fr: {
    unsubscribe: (source) => `désinscrit dans l’outil d’infolettre (${source})`,
    complaint: (source) => `signalé comme spam, selon l’outil d’infolettre (${source})`,
    'hard-bounce': (source) => `adresse non distribuable, selon l’outil d’infolettre (${source})`,
  },
  it: {
    unsubscribe: (source) => `disiscritto nello strumento newsletter (${source})`,
    complaint: (source) => `segnalato come spam, secondo lo strumento newsletter (${source})`,
    'hard-bounce': (source) => `indirizzo non recapitabile, secondo lo strumento newsletter (${source})`,
  },
  en: {
    unsubscribe: (source) => `unsubscribed in the newsletter tool (${source})`,
    complaint: (source) => `reported as spam, according to the newsletter tool (${source})`,
    'hard-bounce': (source) => `address undeliverable, according to the newsletter tool (${source})`,
  },
};

/** The words for a suppression record, in a language the names exist in (else English). */
export function suppressionWords(locale: string, kind: SuppressionKind, source: string): string {
  const names = SUPPRESSION_KIND_NAMES[(locale in SUPPRESSION_KIND_NAMES ? locale : 'en') as Locale];
  return names[kind](source);
}
