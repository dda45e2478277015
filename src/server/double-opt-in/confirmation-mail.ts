/**
 * The confirmation mail, in the language the customer saw. It contains the
 * request to confirm and nothing else (no offer, no logo, no news: German
 * courts have treated a confirmation mail with advertising as advertising),
 * names the salon and the purpose, quotes the text the customer agreed to
 * with its version, and says what happens without a click: nothing.
 */
import { createHash } from 'node:crypto';
import { plainText } from '../../legal-text/legal-markup.js';
import { purposeLabel, uiLocaleOf, uiStringsFor, type UiLocale } from '../../legal-text/ui-strings.js';
import type { Controller } from '../proof/proof.js';

interface MailStrings {
  subject: (what: string, salon: string) => string;
  greeting: string;
  why: (salon: string, what: string, address: string) => string;
  confirm: (until: string) => string;
  agreedText: (version: string) => string;
  /** When the text cannot be quoted (not in the salon's register): name it instead. */
  unquotedText: (version: string) => string;
  notYou: string;
}

const STRINGS: Record<UiLocale, MailStrings> = {
  de: {
    subject: (what, salon) => `Bitte bestätigen: ${what} von ${salon}`,
    greeting: 'Guten Tag',
    why: (salon, what, address) =>
      `bei Ihrer Online-Buchung bei ${salon} wurde angekreuzt, dass Sie «${what}» an ${address} erhalten möchten.`,
    confirm: (until) => `Wenn Sie das möchten, bestätigen Sie es bitte über diesen Link (gültig bis ${until}):`,
    agreedText: (version) => `Der Text, dem Sie zugestimmt haben (Version ${version}):`,
    unquotedText: (version) =>
      `Es gilt der Text, den der Salon auf seiner Buchungsseite veröffentlicht hat (Version ${version}).`,
    notYou:
      'Wenn Sie das nicht waren oder es sich anders überlegt haben, müssen Sie nichts tun: Ohne Ihre Bestätigung erhalten Sie von uns keine Werbung an diese Adresse.',
  },
  fr: {
    subject: (what, salon) => `Merci de confirmer : ${what} de ${salon}`,
    greeting: 'Bonjour,',
    why: (salon, what, address) =>
      `lors de votre réservation en ligne chez ${salon}, la case indiquant que vous souhaitez recevoir « ${what} » à ${address} a été cochée.`,
    confirm: (until) => `Si vous le souhaitez, veuillez le confirmer par ce lien (valable jusqu'au ${until}) :`,
    agreedText: (version) => `Le texte que vous avez accepté (version ${version}) :`,
    unquotedText: (version) =>
      `Le texte applicable est celui publié par le salon sur sa page de réservation (version ${version}).`,
    notYou:
      "Si ce n'était pas vous ou si vous avez changé d'avis, vous n'avez rien à faire : sans votre confirmation, vous ne recevrez aucune publicité de notre part à cette adresse.",
  },
  it: {
    subject: (what, salon) => `Conferma richiesta: ${what} da ${salon}`,
    greeting: 'Buongiorno,',
    why: (salon, what, address) =>
      `durante la sua prenotazione online presso ${salon} è stata spuntata la casella per ricevere «${what}» a ${address}.`,
    confirm: (until) => `Se lo desidera, lo confermi tramite questo link (valido fino al ${until}):`,
    agreedText: (version) => `Il testo che ha accettato (versione ${version}):`,
    unquotedText: (version) =>
      `Vale il testo pubblicato dal salone sulla sua pagina di prenotazione (versione ${version}).`,
    notYou:
      'Se non è stato lei o ha cambiato idea, non deve fare nulla: senza la sua conferma non riceverà da noi alcuna pubblicità a questo indirizzo.',
  },
  en: {
    subject: (what, salon) => `Please confirm: ${what} from ${salon}`,
    greeting: 'Hello,',
    why: (salon, what, address) =>
      `when you booked online with ${salon}, the box to receive “${what}” at ${address} was ticked.`,
    confirm: (until) => `If you want this, please confirm it with this link (valid until ${until}):`,
    agreedText: (version) => `The text you agreed to (version ${version}):`,
    unquotedText: (version) => `The text is the one the salon published on its booking page (version ${version}).`,
    notYou:
      'If this was not you, or you changed your mind, there is nothing to do: without your confirmation you will get no advertising from us at this address.',
  },
};

export interface ConfirmationMail {
  from: string;
  to: string;
  subject: string;
  locale: string;
  text: string;
}

/** The mail for one grant; `link` is the signed confirmation link. */
export function composeConfirmationMail(parts: {
  controller: Controller;
  from: string;
  to: string;
  purpose: string;
  /** The language the customer saw (the grant's notice locale). */
  locale: string;
  textVersion: string;
  /**
   * The legal text the customer agreed to, in the widget's link markup, when
   * the salon's register vouches for it; undefined otherwise. Whoever posts a
   * consent chooses its text: quoting an unregistered one would let anyone
   * put their words into the salon's mail.
   */
  noticeText: string | undefined;
  link: string;
  linkExpiresAt: Date;
}): ConfirmationMail {
  const lang = uiLocaleOf(parts.locale) ?? 'de';
  const t = STRINGS[lang];
  const what = purposeLabel(uiStringsFor(lang).purposeLabels, parts.purpose);
  const salon = parts.controller.name;
  const until = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(parts.linkExpiresAt);
  const quoted =
    parts.noticeText === undefined
      ? undefined
      : plainText(parts.noticeText)
          .split('\n')
          .map((line) => (line ? `> ${line}` : '>'))
          .join('\n');
  const signature = [salon, parts.controller.address].filter(Boolean).join('\n');
  const text = [
    t.greeting,
    '',
    t.why(salon, what, parts.to),
    '',
    t.confirm(until),
    parts.link,
    '',
    ...(quoted === undefined ? [t.unquotedText(parts.textVersion)] : [t.agreedText(parts.textVersion), quoted]),
    '',
    t.notYou,
    '',
    signature,
    '',
  ].join('\n');
  return { from: parts.from, to: parts.to, subject: t.subject(what, salon), locale: lang, text };
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
