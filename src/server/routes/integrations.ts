/**
 * What the salon's newsletter tool tells the ledger: an unsubscribe or a
 * spam complaint it received (the customer's withdrawal, recorded with the
 * tool and its reference as evidence), or a hard bounce (no decision of the
 * customer's: the address only leaves the audience).
 *
 * The tool proves itself with an integration token or by signing the body
 * per Standard Webhooks. Either can do this one thing: it can read nothing
 * and never grant, so a newsletter tool's leaked key cannot put anyone into
 * an audience. Staff tokens do not work here, nor these credentials anywhere else.
 */
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { timingSafeEqual } from 'hono/utils/buffer';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod/mini';
import {
  suppressionRequestSchema,
  suppressionResultSchema,
  type SuppressionRecord,
  type SuppressionRequest,
} from '../../contract/ledger-records.js';
import type { ConsentSubject } from '../../contract/consent-event.js';
import { describeIssues } from '../../contract/zod-issues.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { addressField } from '../consent/addresses.js';
import { derivedId } from '../links/derived-id.js';
import { hashStaffToken } from '../app/secrets.js';
import { fail, noStore } from '../app/http.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { errorAnswer, integrationOperation, jsonAnswer, jsonBody } from '../app/openapi.js';

export const SUPPRESSIONS_PATH = '/v1/integrations/suppressions';

export interface IntegrationCredentials {
  /** Integration tokens in clear (from the environment) … */
  tokens?: readonly string[];
  /** … or as their SHA-256 (hex), as a platform's register keeps them. */
  tokenSha256s?: readonly string[];
  /** Standard Webhooks secrets (`whsec_…`) of tools that sign their requests instead. */
  signingSecrets?: readonly string[];
}

/** A suppression may be reported a little ahead of the ledger's clock, not more. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Whether the request carries a valid integration token or a valid signature over `body`. */
async function authorized(c: Context, credentials: IntegrationCredentials, body: string): Promise<boolean> {
  const header = c.req.header('authorization');
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return false;
    const digest = hashStaffToken(token);
    for (const known of credentials.tokens ?? []) if (await timingSafeEqual(token, known)) return true;
    for (const known of credentials.tokenSha256s ?? []) if (await timingSafeEqual(digest, known)) return true;
    return false;
  }
  const signed = {
    'webhook-id': c.req.header('webhook-id') ?? '',
    'webhook-timestamp': c.req.header('webhook-timestamp') ?? '',
    'webhook-signature': c.req.header('webhook-signature') ?? '',
  };
  if (!signed['webhook-signature']) return false;
  return (credentials.signingSecrets ?? []).some((secret) => {
    try {
      new Webhook(secret).verify(body, signed);
      return true;
    } catch {
      return false;
    }
  });
}

export function integrationRoutes(ledger: LedgerContext, credentials: IntegrationCredentials): Hono {
  const app = new Hono();
  const configured = Boolean(
    credentials.tokens?.length || credentials.tokenSha256s?.length || credentials.signingSecrets?.length,
  );
  app.use('/v1/integrations/*', noStore);
  app.use('/v1/integrations/*', ledger.limitBody);

  app.post(
    SUPPRESSIONS_PATH,
    describeRoute({
      ...integrationOperation,
      operationId: 'postSuppression',
      summary: 'An unsubscribe, spam complaint or hard bounce the newsletter tool received',
      description:
        'An unsubscribe or complaint records a withdrawal of the purposes (all those writing to this kind of address, ' +
        'unless one is named), with the tool and its reference as evidence; one that happened before a later grant ' +
        'changes nothing. A hard bounce records no decision: the address leaves the audience until it is granted ' +
        'again. The same report sent again is recorded once.',
      requestBody: jsonBody(suppressionRequestSchema),
      responses: {
        200: jsonAnswer('What changed, per purpose', suppressionResultSchema),
        400: errorAnswer('Not a suppression (the body says what is wrong); nothing recorded.'),
        401: errorAnswer('No or a wrong integration token, or a missing or wrong signature.'),
        413: errorAnswer('The body is too large.'),
        415: errorAnswer('The body is not JSON.'),
      },
    }),
    async (c) => {
      const text = await c.req.text();
      if (!configured || !(await authorized(c, credentials, text))) {
        return fail(
          c,
          401,
          'suppressions need the integration token (Authorization: Bearer <token>) or a Standard Webhooks signature',
        );
      }
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return fail(c, 415, 'content-type must be application/json');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return fail(c, 400, 'body is not valid JSON');
      }
      const parsed = z.safeParse(suppressionRequestSchema, body);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error);
        return fail(
          c,
          400,
          `invalid request: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      const request = parsed.data;
      if (Date.parse(request.occurredAt) > Date.now() + CLOCK_SKEW_MS) {
        return fail(
          c,
          400,
          'occurredAt is in the future: give when the customer unsubscribed, complained or the mail bounced',
          [{ path: 'occurredAt', message: 'in the future' }],
        );
      }
      const target = targetOf(c, ledger, request);
      if ('response' in target) return target.response;
      return c.json({ outcomes: await suppress(ledger, request, target) });
    },
  );
  return app;
}

/** The address as a subject, and the purposes the report is about; or a 400. */
function targetOf(
  c: Context,
  ledger: LedgerContext,
  request: SuppressionRequest,
): { subject: ConsentSubject; purposes: string[] } | { response: Response } {
  const field: keyof ConsentSubject = request.address.includes('@') ? 'email' : 'phone';
  const subject: ConsentSubject = { [field]: request.address };
  const problem = ledger.checkSubject(c, subject);
  if (problem) return { response: problem };
  const purposes = request.purpose
    ? [request.purpose]
    : ledger.purposes.filter((purpose) => addressField(purpose) === field);
  const unknown = purposes.filter((purpose) => !ledger.purposes.includes(purpose));
  if (unknown.length > 0) {
    return {
      response: fail(
        c,
        400,
        `purpose: unknown purpose ${unknown.join(', ')}; this ledger records ${ledger.purposes.join(', ')}`,
      ),
    };
  }
  const wrong = purposes.find((purpose) => addressField(purpose) !== field);
  if (wrong) {
    return {
      response: fail(
        c,
        400,
        `purpose: ${wrong} writes to a ${addressField(wrong)}, and "${field === 'email' ? 'an e-mail address' : 'a phone number'}" was given`,
      ),
    };
  }
  if (purposes.length === 0)
    return {
      response: fail(
        c,
        400,
        `address: no purpose of this ledger writes to ${field === 'email' ? 'e-mail addresses' : 'phone numbers'}`,
      ),
    };
  return { subject, purposes };
}

type Outcome = z.infer<typeof suppressionResultSchema>['outcomes'][number];

/**
 * Records what the report changes. A withdrawal only where the purpose is
 * granted or pending by a record older than the report (a later grant
 * stands); a bounce only where the address is in the audience.
 */
async function suppress(
  ledger: LedgerContext,
  request: SuppressionRequest,
  { subject, purposes }: { subject: ConsentSubject; purposes: string[] },
): Promise<Outcome[]> {
  const view = await ledger.viewOf(subject);
  const outcomes: Outcome[] = [];
  const changed: string[] = [];
  for (const purpose of purposes) {
    const key = ledger.addresses.addressKey(purpose, subject)!;
    const decision = view.decide(purpose, key);
    const active = decision.state === 'granted' || decision.state === 'pending';
    const later = decision.deciding && Date.parse(decision.deciding.receivedAt) > Date.parse(request.occurredAt);
    if (!active || later || (request.kind === 'hard-bounce' && (decision.state !== 'granted' || decision.bounced))) {
      outcomes.push({
        purpose,
        outcome: 'unchanged',
        state: decision.state,
        ...(later && active ? { reason: 'a later grant stands' } : {}),
      });
      continue;
    }
    changed.push(purpose);
  }
  if (changed.length === 0) return outcomes;
  const bounce = request.kind === 'hard-bounce';
  const record: SuppressionRecord = {
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    // The same report sent again (a retry, a replayed signature) is one record.
    id: derivedId(
      'suppression',
      request.kind,
      request.source,
      request.reference,
      ...changed,
      ledger.store.identifierDigest(ledger.addresses.addressKey(changed[0]!, subject)!),
    ),
    subject,
    purposes: bounce ? [] : changed.map((purpose) => ({ purpose, granted: false })),
    method: 'suppression',
    suppression: {
      kind: request.kind,
      source: request.source,
      occurredAt: request.occurredAt,
      reference: request.reference,
      purposes: changed,
    },
  };
  const { entry } = await ledger.appendRecord(record);
  for (const purpose of changed) {
    outcomes.push({
      purpose,
      outcome: bounce ? 'bounced' : 'withdrawn',
      state: bounce ? 'granted' : 'withdrawn',
      seq: entry.seq,
    });
  }
  return outcomes.sort((a, b) => purposes.indexOf(a.purpose) - purposes.indexOf(b.purpose));
}
