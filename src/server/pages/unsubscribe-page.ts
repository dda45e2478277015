/**
 * The pages behind the unsubscribe link, in the customer's language. The
 * link itself (GET) only asks; the withdrawal happens on the button's POST,
 * because mail scanners open links but do not submit forms. One-click
 * unsubscribe from mail clients (RFC 8058) POSTs to the same URL directly.
 */
import { html } from 'hono/html';
import { purposeLabel, uiLocaleOf, uiStringsFor } from '../../legal-text/ui-strings.js';
import { renderPage, styledPage } from './html-page.js';

const PAGE = styledPage(`
body { font: 1.05rem/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; }
button { font: inherit; font-weight: 600; min-height: 44px; padding: 0.6rem 1.4rem; border-radius: 999px; border: 2px solid #222; background: #222; color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
`);
export const UNSUBSCRIBE_PAGE_CSP = PAGE.csp;

const STRINGS = {
  de: {
    title: 'Abmelden',
    ask: (what: string, address: string) => `Möchten Sie «${what}» an ${address} nicht mehr erhalten?`,
    button: 'Ja, abmelden',
    done: (what: string, address: string) =>
      `Sie erhalten «${what}» an ${address} nicht mehr. Ihre Abmeldung ist gespeichert.`,
    invalid:
      'Dieser Abmeldelink ist ungültig oder unvollständig. Bitte verwenden Sie den Link aus der Nachricht unverändert oder wenden Sie sich an den Salon.',
  },
  fr: {
    title: 'Se désinscrire',
    ask: (what: string, address: string) => `Vous ne souhaitez plus recevoir « ${what} » à ${address} ?`,
    button: 'Oui, me désinscrire',
    done: (what: string, address: string) =>
      `Vous ne recevrez plus « ${what} » à ${address}. Votre désinscription est enregistrée.`,
    invalid:
      "Ce lien de désinscription n'est pas valide ou est incomplet. Utilisez le lien du message tel quel ou contactez le salon.",
  },
  it: {
    title: 'Annulla iscrizione',
    ask: (what: string, address: string) => `Non desidera più ricevere «${what}» a ${address}?`,
    button: 'Sì, annulla iscrizione',
    done: (what: string, address: string) => `Non riceverà più «${what}» a ${address}. La disiscrizione è registrata.`,
    invalid:
      'Questo link di disiscrizione non è valido o è incompleto. Usi il link del messaggio senza modifiche o contatti il salone.',
  },
  en: {
    title: 'Unsubscribe',
    ask: (what: string, address: string) => `Stop receiving “${what}” at ${address}?`,
    button: 'Yes, unsubscribe',
    done: (what: string, address: string) =>
      `You will no longer receive “${what}” at ${address}. Your unsubscribe is recorded.`,
    invalid:
      'This unsubscribe link is not valid or incomplete. Please use the link from the message unchanged, or contact the salon.',
  },
};

export interface UnsubscribeView {
  state: 'ask' | 'done' | 'invalid';
  purpose?: string;
  address?: string;
  /** The message's language (the link's `l`), else the salon's. */
  locale?: string | undefined;
}

export function renderUnsubscribePage(view: UnsubscribeView) {
  const lang = uiLocaleOf(view.locale) ?? 'de';
  const t = STRINGS[lang];
  const what = view.purpose ? purposeLabel(uiStringsFor(lang).purposeLabels, view.purpose) : '';
  const body =
    view.state === 'invalid'
      ? html`<h1>${t.title}</h1>
          <p>${t.invalid}</p>`
      : view.state === 'done'
        ? html`<h1>${t.title}</h1>
            <p role="status">${t.done(what, view.address ?? '')}</p>`
        : html`<h1>${t.title}</h1>
            <form method="post">
              <p>${t.ask(what, view.address ?? '')}</p>
              <button type="submit">${t.button}</button>
            </form>`;
  return renderPage(PAGE, { lang, title: t.title, body });
}
