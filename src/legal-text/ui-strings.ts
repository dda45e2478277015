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
}

export const UI_STRINGS: Record<UiLocale, UiStrings> = {
  de: {
    heading: (salon) => `Neuigkeiten von ${salon} (freiwillig)`,
    purposeLabels: { 'email-newsletter': 'Newsletter per E-Mail', 'sms-newsletter': 'Neuigkeiten per SMS' },
    privacyNotice: 'Datenschutzerklärung',
    opensInNewTab: 'öffnet in einem neuen Tab',
  },
  fr: {
    heading: (salon) => `Actualités de ${salon} (facultatif)`,
    purposeLabels: { 'email-newsletter': 'Newsletter par e-mail', 'sms-newsletter': 'Actualités par SMS' },
    privacyNotice: 'Déclaration de confidentialité',
    opensInNewTab: "s'ouvre dans un nouvel onglet",
  },
  it: {
    heading: (salon) => `Novità da ${salon} (facoltativo)`,
    purposeLabels: { 'email-newsletter': 'Newsletter via e-mail', 'sms-newsletter': 'Novità via SMS' },
    privacyNotice: 'Informativa sulla privacy',
    opensInNewTab: 'si apre in una nuova scheda',
  },
  en: {
    heading: (salon) => `News from ${salon} (optional)`,
    purposeLabels: { 'email-newsletter': 'Newsletter by e-mail', 'sms-newsletter': 'News by SMS' },
    privacyNotice: 'Privacy notice',
    opensInNewTab: 'opens in a new tab',
  },
};

/**
 * The supported language a language tag names (its primary subtag), or
 * undefined. Every per-language lookup goes through here: a tag from a link
 * or a page (`__proto__`, `constructor`) must never index an object itself.
 */
export function uiLocaleOf(tag: string | undefined): UiLocale | undefined {
  const primary = tag?.toLowerCase().split('-')[0];
  return UI_LOCALES.find((locale) => locale === primary);
}

/** The entry of a per-language table for a language tag: its primary language if there, else `fallback`. */
export function inLanguage<T>(table: Record<UiLocale, T>, locale: string | undefined, fallback: UiLocale = 'en'): T {
  return table[uiLocaleOf(locale) ?? fallback];
}

/** The UI strings for a language tag: its primary language if supported, else English. */
export function uiStringsFor(locale: string | undefined): UiStrings {
  return inLanguage(UI_STRINGS, locale);
}

/** The short name of a purpose in a language's labels; a purpose without one is named by its id. */
export function purposeLabel(labels: Record<string, string>, purpose: string): string {
  return Object.hasOwn(labels, purpose) ? labels[purpose]! : purpose;
}
