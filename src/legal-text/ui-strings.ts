/**
 * The element's own words, in the four languages of its salons. These are
 * interface strings only: the legal text is always the salon's own.
 */
export const UI_LOCALES = ['de', 'fr', 'it', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

export interface UiStrings {
  /** Heading over the boxes; marks the whole block as optional (GDPR Art. 7(4)). */
  heading: (salon: string) => string;
  /** Short name of each known purpose, the label of its box. */
  purposeLabels: Record<string, string>;
  privacyNotice: string;
  opensInNewTab: string;
  /**
   * After a sign-up with double opt-in: where to look. Worded to be true whether or not the address
   * was confirmed before, because the ledger does not tell the page (it would tell anyone who posts).
   */
  confirmationHint: (email: string) => string;
}

export const UI_STRINGS: Record<UiLocale, UiStrings> = {
  de: {
    heading: (salon) => `Neuigkeiten von ${salon} (freiwillig)`,
    purposeLabels: { 'email-newsletter': 'Newsletter per E-Mail', 'sms-newsletter': 'Neuigkeiten per SMS' },
    privacyNotice: 'Datenschutzerklärung',
    opensInNewTab: 'öffnet in einem neuen Tab',
    confirmationHint: (email) =>
      `Fast geschafft: Falls die Adresse noch nicht bestätigt ist, senden wir an ${email} eine E-Mail mit einem Bestätigungslink. Den Newsletter erhalten Sie erst nach Ihrer Bestätigung.`,
  },
  fr: {
    heading: (salon) => `Actualités de ${salon} (facultatif)`,
    purposeLabels: { 'email-newsletter': 'Newsletter par e-mail', 'sms-newsletter': 'Actualités par SMS' },
    privacyNotice: 'Déclaration de confidentialité',
    opensInNewTab: "s'ouvre dans un nouvel onglet",
    confirmationHint: (email) =>
      `Presque terminé : si cette adresse n'est pas encore confirmée, nous envoyons à ${email} un e-mail avec un lien de confirmation. Vous ne recevrez la newsletter qu'après votre confirmation.`,
  },
  it: {
    heading: (salon) => `Novità da ${salon} (facoltativo)`,
    purposeLabels: { 'email-newsletter': 'Newsletter via e-mail', 'sms-newsletter': 'Novità via SMS' },
    privacyNotice: 'Informativa sulla privacy',
    opensInNewTab: 'si apre in una nuova scheda',
    confirmationHint: (email) =>
      `Quasi fatto: se l'indirizzo non è ancora confermato, inviamo a ${email} un'e-mail con un link di conferma. Riceverà la newsletter solo dopo la sua conferma.`,
  },
  en: {
    heading: (salon) => `News from ${salon} (optional)`,
    purposeLabels: { 'email-newsletter': 'Newsletter by e-mail', 'sms-newsletter': 'News by SMS' },
    privacyNotice: 'Privacy notice',
    opensInNewTab: 'opens in a new tab',
    confirmationHint: (email) =>
      `Almost done: if this address is not confirmed yet, we are sending ${email} an e-mail with a confirmation link. You will get the newsletter only once you confirm.`,
  },
};

/** The UI strings for a language tag: its primary language if supported, else English. */
export function uiStringsFor(locale: string): UiStrings {
  const primary = locale.toLowerCase().split('-')[0] as UiLocale;
  return UI_STRINGS[primary] ?? UI_STRINGS.en;
}
