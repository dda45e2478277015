/**
 * The links that work without a login: the signed unsubscribe link in every
 * newsletter (GET asks, POST and RFC 8058 one-click withdraw) and the
 * short-lived proof link staff open in a new tab.
 */
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ConsentSubject } from '../../contract/consent-event.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { uiLocaleOf } from '../../legal-text/ui-strings.js';
import { derivedId } from '../links/derived-id.js';
import { fail } from '../app/http.js';
import { setPageHeaders } from '../pages/html-page.js';
import {
  errorAnswer,
  htmlAnswer,
  linkParameters,
  pageOrJsonAnswer,
  proofSchema,
  publicAnswers,
  publicOperation,
  subjectParameters,
} from '../app/openapi.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { verifyProofLink } from '../links/proof-link.js';
import { verifyUnsubscribe } from '../links/unsubscribe-link.js';
import { checkConfirmationLink, confirm } from '../double-opt-in/confirm.js';
import {
  CONFIRMATION_PAGE_CSP,
  renderConfirmationPage,
  type ConfirmationPageView,
} from '../double-opt-in/confirmation-page.js';
import { renderUnsubscribePage, UNSUBSCRIBE_PAGE_CSP, type UnsubscribeView } from '../pages/unsubscribe-page.js';

const UNSUBSCRIBE_LINK = linkParameters(
  { p: 'The purpose', a: 'The address', sig: 'The signature over purpose and address' },
  { l: 'The message’s language (de, fr, it, en); else the salon’s' },
);
const CONFIRMATION_LINK = linkParameters({
  g: 'The sign-up (grant) to confirm',
  p: 'The purpose',
  m: 'The mail that carried the link',
  e: 'When the link expires (seconds since 1970, signed)',
  sig: 'The signature',
});

export function linkRoutes(
  ledger: LedgerContext,
  secrets: { linkSecret: string | undefined; proofLinkSecret: string },
  proofResponse: (c: Context, query: Partial<ConsentSubject>) => Promise<Response>,
): Hono {
  const app = new Hono();

  const linkTarget = async (c: Context) => {
    const purpose = c.req.query('p') ?? '';
    const address = c.req.query('a') ?? '';
    const signature = c.req.query('sig') ?? '';
    const valid =
      Boolean(secrets.linkSecret) &&
      ledger.purposes.includes(purpose) &&
      (await verifyUnsubscribe(secrets.linkSecret!, { purpose, address }, signature));
    // The message's language when the link names a supported one, else the salon's.
    return { valid, purpose, address, locale: uiLocaleOf(c.req.query('l')) ?? ledger.controller.locale };
  };
  const unsubscribePage = (c: Context, view: UnsubscribeView, status: 200 | 400) => {
    setPageHeaders(c, UNSUBSCRIBE_PAGE_CSP);
    return c.html(renderUnsubscribePage(view), status);
  };

  app.get(
    '/v1/unsubscribe',
    describeRoute({
      ...publicOperation,
      operationId: 'getUnsubscribePage',
      summary: 'Unsubscribe page for a signed link (asks first: mail scanners open links)',
      parameters: UNSUBSCRIBE_LINK,
      responses: publicAnswers({
        200: htmlAnswer('The question, in the message’s language'),
        400: htmlAnswer('Invalid link'),
      }),
    }),
    // Rate-limited like the POST: anyone can ask for the page, and each answer costs a signature check.
    ledger.publicGuard,
    async (c) => {
      const target = await linkTarget(c);
      return unsubscribePage(c, { ...target, state: target.valid ? 'ask' : 'invalid' }, target.valid ? 200 : 400);
    },
  );

  app.post(
    '/v1/unsubscribe',
    describeRoute({
      ...publicOperation,
      operationId: 'unsubscribe',
      summary: 'Withdraw via a signed link (the page’s button, or a mail client’s RFC 8058 one-click)',
      parameters: UNSUBSCRIBE_LINK,
      responses: publicAnswers({
        200: htmlAnswer('Withdrawn (once, however often and however many at once)'),
        400: htmlAnswer('Invalid link; nothing recorded'),
      }),
    }),
    ledger.publicGuard,
    async (c) => {
      const target = await linkTarget(c);
      if (!target.valid) return unsubscribePage(c, { ...target, state: 'invalid' }, 400);
      const subject: ConsentSubject =
        target.purpose === 'sms-newsletter' ? { phone: target.address } : { email: target.address };
      const current = (await ledger.viewOf(subject)).status(subject, [target.purpose]).purposes[0];
      // Using the link twice changes nothing the second time. Requests at once (mail providers send
      // one-click unsubscribes in parallel) make one id, for the decision they withdraw: one record.
      if (current?.state === 'granted' || current?.state === 'pending') {
        const key = ledger.addresses.addressKey(target.purpose, subject)!;
        await ledger.appendRecord({
          schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
          id: derivedId('unsubscribe-link', target.purpose, ledger.store.identifierDigest(key), current.seq ?? 0),
          subject,
          purposes: [{ purpose: target.purpose, granted: false }],
          method: 'unsubscribe-link',
        });
      }
      return unsubscribePage(c, { ...target, state: 'done' }, 200);
    },
  );

  // The link in a double opt-in mail: GET shows a button (mail scanners open links), POST confirms.
  const confirmationPage = (c: Context, view: ConfirmationPageView) => {
    // The link is a capability: setPageHeaders keeps it out of the next page's Referer.
    setPageHeaders(c, CONFIRMATION_PAGE_CSP);
    const status = { ask: 200, done: 200, already: 200, withdrawn: 409, expired: 410, invalid: 400 } as const;
    return c.html(renderConfirmationPage(view), status[view.state]);
  };
  app.get(
    '/v1/confirm',
    describeRoute({
      ...publicOperation,
      operationId: 'getConfirmationPage',
      summary: 'Double opt-in page for the link in a confirmation mail (one button; opening it confirms nothing)',
      parameters: CONFIRMATION_LINK,
      responses: publicAnswers({
        200: htmlAnswer('The button, or “confirmed already”'),
        400: htmlAnswer('Invalid link'),
        409: htmlAnswer('Withdrawn since'),
        410: htmlAnswer('Expired'),
      }),
    }),
    ledger.publicGuard,
    async (c) => {
      const check = await checkConfirmationLink(ledger, secrets.linkSecret, new URL(c.req.url));
      return confirmationPage(c, check.page);
    },
  );
  app.post(
    '/v1/confirm',
    describeRoute({
      ...publicOperation,
      operationId: 'confirm',
      summary: 'Confirm the sign-up (records the double opt-in once)',
      parameters: CONFIRMATION_LINK,
      responses: publicAnswers({
        200: htmlAnswer('Confirmed, or confirmed before'),
        400: htmlAnswer('Invalid link; nothing recorded'),
        409: htmlAnswer('Withdrawn since; nothing recorded'),
        410: htmlAnswer('Expired; nothing recorded'),
      }),
    }),
    ledger.publicGuard,
    async (c) => confirmationPage(c, await confirm(ledger, secrets.linkSecret, c)),
  );

  // A proof page to open in a new tab: the signature stands in for the token.
  app.get(
    '/v1/proof',
    describeRoute({
      ...publicOperation,
      operationId: 'getProofByLink',
      summary: 'The proof page behind a signed proof link (ten minutes)',
      parameters: [
        ...subjectParameters,
        ...linkParameters({ exp: 'When the link expires (signed)', sig: 'The signature' }, {}),
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['html', 'json'] } },
      ],
      responses: publicAnswers({
        200: pageOrJsonAnswer('The proof: a printable page, or JSON with format=json', proofSchema),
        403: errorAnswer('Invalid or expired link.'),
      }),
    }),
    ledger.publicGuard,
    async (c) => {
      const query = await verifyProofLink(secrets.proofLinkSecret, new URL(c.req.url));
      c.header('cache-control', 'no-store');
      if (!query)
        return fail(c, 403, 'this proof link is not valid or has expired; open the proof again from the customer file');
      return proofResponse(c, query);
    },
  );

  return app;
}
