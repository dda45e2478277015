/**
 * Why a record needs a second look (see RECORD_FLAGS), in words for the
 * salon, in its four languages: shared by the customer file and the proof.
 */
import type { RecordFlag } from '../contract/ledger-records.js';

export const RECORD_FLAG_NAMES: Record<'de' | 'fr' | 'it' | 'en', Record<RecordFlag, string>> = {
  de: {
    'unregistered-text-version': 'Textversion ist nicht als veröffentlicht registriert',
    'text-differs-from-register': 'Angezeigter Text weicht vom registrierten Text ab',
    'fingerprint-mismatch': 'Fingerabdruck passt nicht zum gespeicherten Text',
  },
  fr: {
    'unregistered-text-version': 'La version du texte n’est pas enregistrée comme publiée',
    'text-differs-from-register': 'Le texte affiché diffère du texte enregistré',
    'fingerprint-mismatch': 'L’empreinte ne correspond pas au texte enregistré',
  },
  it: {
    'unregistered-text-version': 'La versione del testo non è registrata come pubblicata',
    'text-differs-from-register': 'Il testo mostrato differisce dal testo registrato',
    'fingerprint-mismatch': 'L’impronta non corrisponde al testo registrato',
  },
  en: {
    'unregistered-text-version': 'Text version is not registered as published',
    'text-differs-from-register': 'The text shown differs from the registered text',
    'fingerprint-mismatch': 'The fingerprint does not match the stored text',
  },
};
