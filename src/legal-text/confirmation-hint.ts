/**
 * The line `<marketing-consent>` shows after a sign-up that waits for double
 * opt-in: where to look. Worded to be true whether or not the address was
 * confirmed before, because the ledger does not tell the page (it would tell
 * anyone who posts). Shown only once a consent was recorded, so it travels
 * with the recording code, not with the boxes.
 */
import { inLanguage, type UiLocale } from './ui-strings.js';

const CONFIRMATION_HINTS: Record<UiLocale, (email: string) => string> = {
  de: (email) =>
    `Fast geschafft: Falls die Adresse noch nicht bestätigt ist, senden wir an ${email} eine E-Mail mit einem Bestätigungslink. Den Newsletter erhalten Sie erst nach Ihrer Bestätigung.`,
  fr: (email) =>
    `Presque terminé : si cette adresse n'est pas encore confirmée, nous envoyons à ${email} un e-mail avec un lien de confirmation. Vous ne recevrez la newsletter qu'après votre confirmation.`,
  it: (email) =>
    `Quasi fatto: se l'indirizzo non è ancora confermato, inviamo a ${email} un'e-mail con un link di conferma. Riceverà la newsletter solo dopo la sua conferma.`,
  en: (email) =>
    `Almost done: if this address is not confirmed yet, we are sending ${email} an e-mail with a confirmation link. You will get the newsletter only once you confirm.`,
};

/** The hint for a language tag: its primary language if supported, else English. */
export function confirmationHintFor(locale: string, email: string): string {
  return inLanguage(CONFIRMATION_HINTS, locale)(email);
}
