/**
 * What the ledger writes by SMS and how it reads what comes back.
 *
 * The confirmation SMS asks and nothing else (no offer: a confirmation
 * request with advertising counts as advertising), names the salon and the
 * purpose by the name the booking page gives it, says which word confirms
 * and that nothing comes without it, and how to stop. The texts keep to the
 * GSM 7-bit alphabet so that with a salon name of usual length they fit one
 * SMS; a longer name makes two parts, which phones join.
 */
import { inLanguage, purposeLabel, uiStringsFor, type UiLocale } from '../../legal-text/ui-strings.js';

interface SmsStrings {
  /** The word that confirms, as the SMS asks for it. */
  yes: string;
  optIn: (salon: string, what: string, yes: string) => string;
  stopped: (salon: string, what: string) => string;
}

const STRINGS: Record<UiLocale, SmsStrings> = {
  de: {
    yes: 'JA',
    optIn: (salon, what, yes) =>
      `${salon}: Möchten Sie "${what}" erhalten? Dann antworten Sie ${yes}. Ohne Antwort senden wir nichts. Abmelden jederzeit mit STOP.`,
    stopped: (salon, what) => `${salon}: Sie sind von "${what}" abgemeldet und erhalten keine Werbe-SMS mehr von uns.`,
  },
  fr: {
    yes: 'OUI',
    optIn: (salon, what, yes) =>
      `${salon} : souhaitez-vous recevoir "${what}" ? Répondez ${yes}. Sans réponse, nous n'envoyons rien. Désinscription : STOP.`,
    stopped: (salon, what) =>
      `${salon} : votre désinscription de "${what}" est enregistrée. Vous ne recevrez plus de SMS publicitaires de notre part.`,
  },
  it: {
    yes: 'SI',
    optIn: (salon, what, yes) =>
      `${salon}: desidera ricevere "${what}"? Allora risponda ${yes}. Senza risposta non inviamo nulla. Disdetta in ogni momento con STOP.`,
    stopped: (salon, what) =>
      `${salon}: la disdetta di "${what}" è registrata. Non riceverà più SMS pubblicitari da noi.`,
  },
  en: {
    yes: 'YES',
    optIn: (salon, what, yes) =>
      `${salon}: would you like to receive "${what}"? Then reply ${yes}. Without a reply we send nothing. Unsubscribe any time with STOP.`,
    stopped: (salon, what) =>
      `${salon}: you are unsubscribed from "${what}" and will get no more marketing texts from us.`,
  },
};

/** The SMS asking the owner of the number to confirm a sign-up, in the language the customer saw. */
export function optInSms(salon: string, purpose: string, locale: string | undefined): string {
  const t = inLanguage(STRINGS, locale);
  return t.optIn(salon, purposeLabel(uiStringsFor(locale).purposeLabels, purpose), t.yes);
}

/** The one short SMS that tells a customer their STOP was recorded. */
export function stoppedSms(salon: string, purpose: string, locale: string | undefined): string {
  return inLanguage(STRINGS, locale).stopped(salon, purposeLabel(uiStringsFor(locale).purposeLabels, purpose));
}

/** How the ledger reads a customer's SMS. */
export type ReplyReading = 'confirm' | 'stop' | 'other';

/** The words that confirm, in each of the salon's languages (as the SMS asks: JA, OUI, SI, YES). */
const CONFIRM_WORDS = new Set(['ja', 'oui', 'si', 'yes']);
/** The words that stop, wherever they stand in the message; ALT only as its first word (German "alt" is "old"). */
const STOP_WORDS = new Set(['stop', 'stopp', 'abmelden', 'arret']);

/**
 * A STOP keyword withdraws, in any case and with or without accents, alone
 * or with other words ("Bitte STOP"): when in doubt the ledger stops
 * writing. A confirmation must be the word alone (punctuation aside): when
 * in doubt the ledger does not start writing.
 */
export function readReply(text: string): ReplyReading {
  const words =
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/\p{L}+/gu) ?? [];
  if (words.some((word) => STOP_WORDS.has(word)) || words[0] === 'alt') return 'stop';
  if (words.length === 1 && CONFIRM_WORDS.has(words[0]!)) return 'confirm';
  return 'other';
}

/** Whether a salon's sender can receive replies: a phone number (+41…) or a short code (digits only). */
export function senderAddress(from: string): { address: string; ton: number; npi: number } | undefined {
  const compact = from.replace(/[\s-]/g, '');
  // International number: TON 1, NPI 1 (E.164), without the plus on the wire.
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return { address: compact.slice(1), ton: 1, npi: 1 };
  // A short code: TON 3 (network specific), NPI 0.
  if (/^\d{3,8}$/.test(compact)) return { address: compact, ton: 3, npi: 0 };
  return undefined;
}

/**
 * A salon number as replies are matched to it: its digits, however it was
 * written (+41 44 555 01 01) or as the SMSC gives it (41445550101).
 */
export function smsNumberKey(number: string): string {
  return number.replace(/\D/g, '');
}
