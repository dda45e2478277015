/**
 * The page behind the link in a confirmation mail, in the language the
 * customer saw. Opening the link (GET) only shows a button: mail scanners
 * open every link in a mail, and must not confirm in the customer's place.
 * The button's POST confirms. Every other outcome gets a page that says
 * what happened and records nothing.
 */
import { html } from 'hono/html';
import { purposeLabel, uiLocaleOf, uiStringsFor, type UiLocale } from '../../legal-text/ui-strings.js';
import { renderPage, styledPage } from '../pages/html-page.js';

const PAGE = styledPage(`
body { font: 1.05rem/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; }
button { font: inherit; font-weight: 600; min-height: 44px; padding: 0.6rem 1.4rem; border-radius: 999px; border: 2px solid #222; background: #222; color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
@media (forced-colors: active) { button { border-color: ButtonText; } }
`);
export const CONFIRMATION_PAGE_CSP = PAGE.csp;

export type ConfirmationPageState = 'ask' | 'done' | 'already' | 'expired' | 'invalid' | 'withdrawn';

interface PageStrings {
  title: string;
  ask: (what: string, salon: string, address: string) => string;
  button: string;
  done: (what: string, salon: string, address: string) => string;
  already: (what: string, address: string) => string;
  expired: (salon: string) => string;
  invalid: string;
  withdrawn: (what: string, address: string) => string;
}

const STRINGS: Record<UiLocale, PageStrings> = {
  de: {
    title: 'Anmeldung bestätigen',
    ask: (what, salon, address) => `Möchten Sie «${what}» von ${salon} an ${address} erhalten?`,
    button: 'Ja, bestätigen',
    done: (what, salon, address) =>
      `Danke! Sie erhalten «${what}» von ${salon} an ${address}. Abmelden können Sie sich jederzeit über den Link in jeder Nachricht.`,
    already: (what, address) => `«${what}» an ${address} ist bereits bestätigt. Es ist nichts weiter zu tun.`,
    expired: (salon) =>
      `Dieser Bestätigungslink ist abgelaufen. Es wurde nichts gespeichert. Wenn Sie die Nachrichten von ${salon} möchten, kreuzen Sie das Kästchen bei Ihrer nächsten Buchung an.`,
    invalid:
      'Dieser Bestätigungslink ist ungültig oder unvollständig. Es wurde nichts gespeichert. Bitte verwenden Sie den Link aus der E-Mail unverändert.',
    withdrawn: (what, address) =>
      `«${what}» an ${address} wurde inzwischen abgemeldet. Es wurde nichts gespeichert; Sie erhalten keine Nachrichten.`,
  },
  fr: {
    title: "Confirmer l'inscription",
    ask: (what, salon, address) => `Souhaitez-vous recevoir « ${what} » de ${salon} à ${address} ?`,
    button: 'Oui, confirmer',
    done: (what, salon, address) =>
      `Merci ! Vous recevrez « ${what} » de ${salon} à ${address}. Vous pouvez vous désinscrire à tout moment par le lien présent dans chaque message.`,
    already: (what, address) => `« ${what} » à ${address} est déjà confirmé. Il n'y a rien d'autre à faire.`,
    expired: (salon) =>
      `Ce lien de confirmation a expiré. Rien n'a été enregistré. Si vous souhaitez recevoir les messages de ${salon}, cochez la case lors de votre prochaine réservation.`,
    invalid:
      "Ce lien de confirmation n'est pas valide ou est incomplet. Rien n'a été enregistré. Utilisez le lien de l'e-mail tel quel.",
    withdrawn: (what, address) =>
      `« ${what} » à ${address} a été désinscrit entre-temps. Rien n'a été enregistré ; vous ne recevrez aucun message.`,
  },
  it: {
    title: 'Conferma iscrizione',
    ask: (what, salon, address) => `Desidera ricevere «${what}» da ${salon} a ${address}?`,
    button: 'Sì, confermo',
    done: (what, salon, address) =>
      `Grazie! Riceverà «${what}» da ${salon} a ${address}. Può annullare l'iscrizione in qualsiasi momento con il link presente in ogni messaggio.`,
    already: (what, address) => `«${what}» a ${address} è già confermato. Non c'è altro da fare.`,
    expired: (salon) =>
      `Questo link di conferma è scaduto. Non è stato registrato nulla. Se desidera i messaggi di ${salon}, spunti la casella alla sua prossima prenotazione.`,
    invalid:
      "Questo link di conferma non è valido o è incompleto. Non è stato registrato nulla. Usi il link dell'e-mail senza modifiche.",
    withdrawn: (what, address) =>
      `«${what}» a ${address} è stato nel frattempo disdetto. Non è stato registrato nulla; non riceverà messaggi.`,
  },
  en: {
    title: 'Confirm your sign-up',
    ask: (what, salon, address) => `Do you want to receive “${what}” from ${salon} at ${address}?`,
    button: 'Yes, confirm',
    done: (what, salon, address) =>
      `Thank you! You will receive “${what}” from ${salon} at ${address}. You can unsubscribe at any time with the link in every message.`,
    already: (what, address) => `“${what}” at ${address} is already confirmed. There is nothing more to do.`,
    expired: (salon) =>
      `This confirmation link has expired. Nothing was recorded. If you want the messages from ${salon}, tick the box at your next booking.`,
    invalid:
      'This confirmation link is not valid or incomplete. Nothing was recorded. Please use the link from the e-mail unchanged.',
    withdrawn: (what, address) =>
      `“${what}” at ${address} has been unsubscribed since. Nothing was recorded; you will get no messages.`,
  },
};

export interface ConfirmationPageView {
  state: ConfirmationPageState;
  /** The language the customer saw at sign-up, else the salon's. */
  locale: string | undefined;
  salon: string;
  purpose?: string;
  address?: string;
}

export function renderConfirmationPage(view: ConfirmationPageView) {
  const lang = uiLocaleOf(view.locale) ?? 'de';
  const t = STRINGS[lang];
  const what = view.purpose ? purposeLabel(uiStringsFor(lang).purposeLabels, view.purpose) : '';
  const address = view.address ?? '';
  const message: Record<Exclude<ConfirmationPageState, 'ask'>, string> = {
    done: t.done(what, view.salon, address),
    already: t.already(what, address),
    expired: t.expired(view.salon),
    invalid: t.invalid,
    withdrawn: t.withdrawn(what, address),
  };
  const body =
    view.state === 'ask'
      ? html`<h1>${t.title}</h1>
          <form method="post">
            <p>${t.ask(what, view.salon, address)}</p>
            <button type="submit">${t.button}</button>
          </form>`
      : html`<h1>${t.title}</h1>
          <p role="status">${message[view.state]}</p>`;
  return renderPage(PAGE, { lang, title: t.title, body });
}
