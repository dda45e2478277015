/**
 * Why personal data was erased (see ERASURE_REASONS), in words for the
 * salon, in its four languages: shared by the customer file and the proof.
 */
import type { ErasureReason } from '../contract/ledger-records.js';

export const ERASURE_REASON_NAMES: Record<'de' | 'fr' | 'it' | 'en', Record<ErasureReason, string>> = {
  de: {
    'customer-request': 'Die Kundin bzw. der Kunde hat die Löschung verlangt',
    'unconfirmed-sign-up': 'Anmeldung nie bestätigt',
    'retention-period': 'Aufbewahrungsfrist abgelaufen',
    other: 'Anderer Grund',
  },
  fr: {
    'customer-request': 'Le client a demandé l’effacement',
    'unconfirmed-sign-up': 'Inscription jamais confirmée',
    'retention-period': 'Durée de conservation écoulée',
    other: 'Autre motif',
  },
  it: {
    'customer-request': 'Il cliente ha chiesto la cancellazione',
    'unconfirmed-sign-up': 'Iscrizione mai confermata',
    'retention-period': 'Periodo di conservazione scaduto',
    other: 'Altro motivo',
  },
  en: {
    'customer-request': 'The customer asked for erasure',
    'unconfirmed-sign-up': 'Sign-up never confirmed',
    'retention-period': 'Retention period over',
    other: 'Other reason',
  },
};
