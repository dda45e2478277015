/**
 * The public intake: what `<marketing-consent>` posts when a customer ticked
 * and booked. Open to the salon's booking pages (CORS per origin), rate
 * limited, and for grants only: withdrawals come through the signed link or
 * from staff.
 */
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { consentEventSchema, consentReceiptSchema } from '../../contract/consent-event.js';
import { errorAnswer, jsonAnswer, jsonBody, publicAnswers, publicOperation } from '../app/openapi.js';
import { isPlainConsentEvent } from './plain-consent-event.js';
import { fail, presetHeader, readBody, requestHeader } from '../app/http.js';
import { receiptOf, type LedgerContext } from '../app/ledger-context.js';

/** Intake path, relative to where the ledger is mounted. */
export const INTAKE_PATH = '/v1/consent-events';

export function intakeRoutes(ledger: LedgerContext, allowedOrigins: ReadonlySet<string>): Hono {
  const app = new Hono();

  const originAllowed = (c: Context): boolean => {
    const origin = requestHeader(c, 'origin');
    // No Origin: not a browser page (curl, a backend); the staff API guards what matters.
    if (!origin) return true;
    return allowedOrigins.has(origin) || origin === new URL(c.req.url).origin;
  };

  // Preflights from other origins get a clear 403 (the browser would block them anyway).
  app.options(INTAKE_PATH, async (c, next) =>
    originAllowed(c) ? next() : fail(c, 403, `origin ${requestHeader(c, 'origin')} may not post consents here`),
  );
  // CORS: only configured booking pages may read the receipt, and its Retry-After (else they back off blind).
  // By hand rather than with hono/cors, which sets its headers on a response made before the handler's:
  // under Node that makes the adapter build a second, full Fetch Response for every consent posted.
  // Set before the answer is made (presetHeader): every consent posted gets them.
  app.use(INTAKE_PATH, async (c, next) => {
    const origin = requestHeader(c, 'origin');
    if (origin && originAllowed(c)) {
      presetHeader(c, 'access-control-allow-origin', origin);
      presetHeader(c, 'access-control-expose-headers', 'retry-after');
    }
    if (c.req.method !== 'OPTIONS') {
      presetHeader(c, 'vary', 'Origin');
      return next();
    }
    presetHeader(c, 'vary', 'Origin, Access-Control-Request-Headers');
    presetHeader(c, 'access-control-allow-methods', 'POST');
    presetHeader(c, 'access-control-allow-headers', 'content-type');
    presetHeader(c, 'access-control-max-age', '86400');
    return c.body(null, 204);
  });

  app.post(
    INTAKE_PATH,
    describeRoute({
      ...publicOperation,
      operationId: 'recordConsentEvent',
      summary: 'Record a consent ticked in the booking flow (idempotent by event id)',
      description: 'The body may be sent as application/json or as text/plain (no CORS preflight).',
      requestBody: jsonBody(consentEventSchema, ['text/plain']),
      responses: publicAnswers(
        {
          201: jsonAnswer('Stored durably.', consentReceiptSchema),
          200: jsonAnswer('This id was already stored with the same content: the same receipt.', consentReceiptSchema),
          400: errorAnswer('Malformed JSON, invalid event, unknown purpose, or a purpose without its address.'),
          403: errorAnswer('The page’s origin may not post here.'),
          409: errorAnswer('The id is stored with different content.'),
        },
        { json: true },
      ),
    }),
    ledger.publicGuard,
    async (c) => {
      if (!originAllowed(c)) return fail(c, 403, `origin ${requestHeader(c, 'origin')} may not post consents here`);
      const body = await readBody(c, consentEventSchema, isPlainConsentEvent);
      if (!body.ok) return body.response;
      const event = body.data;
      const problem = ledger.checkWrite(
        c,
        event.purposes.map((p) => p.purpose),
        event.subject,
        true,
      );
      if (problem) return problem;
      if (event.purposes.some((p) => !p.granted)) {
        return fail(
          c,
          400,
          'the public intake records grants only (granted: true); withdrawals go through the unsubscribe link or staff',
        );
      }
      const outcome = await ledger.appendRecord(event);
      if (outcome.kind === 'conflict') {
        return fail(
          c,
          409,
          `event ${event.id} is already recorded with different content; a new act of consent needs a new id`,
        );
      }
      // The receipt names every purpose that waits for double opt-in, whether or not this address was
      // confirmed before: an answer that differed would tell anyone who posts whether someone subscribed.
      const pendingConfirmation = event.purposes
        .map((p) => p.purpose)
        .filter((purpose) => ledger.needsConfirmation(purpose));
      if (pendingConfirmation.length > 0 && outcome.kind === 'created' && ledger.confirmations) {
        const view = await ledger.viewOf(event.subject);
        const due = pendingConfirmation.flatMap((purpose) => {
          const address = ledger.addresses.addressKey(purpose, event.subject);
          return address !== undefined && view.decide(purpose, address).state === 'pending'
            ? [{ purpose, address }]
            : [];
        });
        if (due.length > 0) ledger.confirmations.signUp(event.id, ledger.clientAddress(c), due);
      }
      const receipt = { ...receiptOf(outcome), ...(pendingConfirmation.length ? { pendingConfirmation } : {}) };
      return c.json(receipt, outcome.kind === 'created' ? 201 : 200);
    },
  );

  return app;
}
