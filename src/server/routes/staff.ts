/**
 * The staff API: a customer's status, history and proof, staff entries with
 * evidence, withdrawals, campaign audiences, unsubscribe links and the
 * ledger's own check. Every endpoint needs the staff token; every answer
 * carries `Cache-Control: no-store`, because it holds personal data.
 */
import { Hono, type Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { describeRoute, resolver } from 'hono-openapi';
import { cors } from 'hono/cors';
import { stream } from 'hono/streaming';
import { timingSafeEqual } from 'hono/utils/buffer';
import * as z from 'zod/mini';
import { createHash } from 'node:crypto';
import { hashStaffToken } from '../app/secrets.js';
import { sha256Hex } from '../double-opt-in/confirmation-mail.js';
import { consentSubjectSchema } from '../../contract/consent-event.js';
import {
  frontDeskConsentRequestSchema,
  type FrontDeskConsentRequest,
  type FrontDeskRecord,
  webhookReplayRequestSchema,
  webhookStatusSchema,
  audienceChangesSchema,
  audienceSchema,
  chainEntrySchema,
  confirmationResendRequestSchema,
  erasureRequestSchema,
  ledgerEntrySchema,
  subjectStatusSchema,
  staffGrantRequestSchema,
  unsubscribeLinkRequestSchema,
  withdrawalRequestSchema,
  type ConfirmationMailRecord,
  type StaffRecord,
} from '../../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { audienceAcross, audienceOf, noneLeftOut, type SubjectQuery } from '../consent/consent-status.js';
import { AUDIENCE_CHANGES_PAGE, audienceChanges } from '../consent/audience-changes.js';
import { csvRow } from '../app/csv.js';
import { fail, noStore, readBody } from '../app/http.js';
import {
  erasureAnswerSchema,
  errorAnswer,
  jsonAnswer,
  jsonBody,
  mailRefusedAnswerSchema,
  pageOrJsonAnswer,
  proofSchema,
  retentionAnswerSchema,
  staffAnswers,
  staffOperation,
  staffWriteAnswerSchema,
  subjectParameters,
  verifyAnswerSchema,
} from '../app/openapi.js';
import { receiptOf, type LedgerContext } from '../app/ledger-context.js';
import { createProofUrl } from '../links/proof-link.js';
import { createUnsubscribeUrl } from '../links/unsubscribe-link.js';
import { normalizeEmail } from '../consent/addresses.js';
import { planCustomerErasure } from '../consent/erasure.js';
import { UnsealedEntryError } from '../store/stored-entry.js';

export const STAFF_ENTRIES_PATH = '/v1/staff/entries';

const proofLinkRequestSchema = z.object({ subject: consentSubjectSchema });
const retentionRequestSchema = z.object({
  /** Only list what would be erased. */
  dryRun: z.optional(z.boolean()),
});
const linkAnswerSchema = z.object({ url: z.string() });

export interface StaffSettings {
  staffToken: string | undefined;
  staffTokenSha256: string | undefined;
  staffOrigins: ReadonlySet<string>;
  linkSecret: string | undefined;
  proofLinkSecret: string;
  proofResponse: (c: Context, query: SubjectQuery) => Promise<Response>;
  verify: () => Promise<unknown>;
}

/** The subject identifiers in a query string; at least one is required. */
function subjectQuery(c: Context): SubjectQuery | undefined {
  const query: SubjectQuery = {};
  for (const key of ['email', 'phone', 'customerId'] as const) {
    const value = c.req.query(key)?.trim();
    if (value) query[key] = value;
  }
  return Object.keys(query).length > 0 ? query : undefined;
}

/** The most entries one answer of the entries endpoint holds. */
const ENTRIES_PAGE = 10_000;

export function staffRoutes(ledger: LedgerContext, settings: StaffSettings): Hono {
  const app = new Hono();
  const { purposes } = ledger;

  // Back-office pages on other origins may call the staff API (the token is still needed); they read
  // Retry-After to say how long to wait before another confirmation mail.
  app.use(
    '/v1/staff/*',
    cors({
      origin: (origin) => (settings.staffOrigins.has(origin) ? origin : null),
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['retry-after'],
      maxAge: 600,
    }),
  );
  app.use('/v1/staff/*', noStore);
  // A bearer token, compared in constant time; the same answer whether or not the customer exists.
  // Without a configured token nothing passes.
  app.use(
    '/v1/staff/*',
    bearerAuth({
      verifyToken: async (token) =>
        settings.staffTokenSha256
          ? await timingSafeEqual(hashStaffToken(token), settings.staffTokenSha256)
          : Boolean(settings.staffToken) && (await timingSafeEqual(token, settings.staffToken!)),
      realm: 'marketing-consent ledger',
      noAuthenticationHeader: { message: { error: 'staff endpoints need an Authorization: Bearer <token> header' } },
      invalidAuthenticationHeader: { message: { error: 'the Authorization header must be Bearer <token>' } },
      invalidToken: { message: { error: 'the staff token is not valid' } },
    }),
  );
  app.use('/v1/staff/*', ledger.limitBody);

  /** The customer named in the query, or a 400 saying how to name one. */
  const customer = (c: Context): { query: SubjectQuery } | { response: Response } => {
    const query = subjectQuery(c);
    if (!query)
      return { response: fail(c, 400, 'name the customer: add email=…, phone=… or customerId=… to the query') };
    const problem = ledger.checkSubject(c, query);
    return problem ? { response: problem } : { query };
  };

  app.get(
    '/v1/staff/status',
    describeRoute({
      ...staffOperation,
      operationId: 'getStatus',
      summary: 'Consent status of one customer per purpose, and per address',
      parameters: subjectParameters,
      responses: staffAnswers({
        200: jsonAnswer('Status', subjectStatusSchema),
        400: errorAnswer('No customer named, or a malformed identifier.'),
      }),
    }),
    async (c) => {
      const found = customer(c);
      if ('response' in found) return found.response;
      return c.json((await ledger.viewOf(found.query)).status(found.query, purposes));
    },
  );

  app.get(
    '/v1/staff/history',
    describeRoute({
      ...staffOperation,
      operationId: 'getHistory',
      summary: 'Every record of one customer, oldest first',
      parameters: subjectParameters,
      responses: staffAnswers({
        200: jsonAnswer(
          'Entries, and the erasure when the customer’s data was erased',
          z.object({ entries: z.array(ledgerEntrySchema), erasure: subjectStatusSchema.shape.erasure }),
        ),
        400: errorAnswer('No customer named, or a malformed identifier.'),
      }),
    }),
    async (c) => {
      const found = customer(c);
      if ('response' in found) return found.response;
      const view = await ledger.viewOf(found.query);
      const erasure = view.status(found.query, []).erasure;
      return c.json({ entries: view.history(found.query), ...(erasure ? { erasure } : {}) });
    },
  );

  app.get(
    '/v1/staff/proof',
    describeRoute({
      ...staffOperation,
      operationId: 'getProof',
      summary:
        'Proof for one customer: printable HTML, or JSON with format=json (with Kantara Consent Receipt v1.1 receipts)',
      parameters: [
        ...subjectParameters,
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['html', 'json'] } },
      ],
      responses: staffAnswers({
        200: pageOrJsonAnswer('The proof: a printable page, or JSON with format=json', proofSchema),
        400: errorAnswer('No customer named, or a malformed identifier.'),
      }),
    }),
    async (c) => {
      const found = customer(c);
      if ('response' in found) return found.response;
      return settings.proofResponse(c, found.query);
    },
  );

  app.post(
    '/v1/staff/proof-links',
    describeRoute({
      ...staffOperation,
      operationId: 'createProofLink',
      summary:
        'A link to one customer’s printable proof, valid ten minutes, for a new tab (which cannot send the token)',
      requestBody: jsonBody(proofLinkRequestSchema),
      responses: staffAnswers({ 200: jsonAnswer('{ url }', linkAnswerSchema) }, { json: true }),
    }),
    async (c) => {
      const body = await readBody(c, proofLinkRequestSchema);
      if (!body.ok) return body.response;
      const problem = ledger.checkSubject(c, body.data.subject);
      if (problem) return problem;
      return c.json({ url: await createProofUrl(ledger.publicBase(c), settings.proofLinkSecret, body.data.subject) });
    },
  );

  app.post(
    '/v1/staff/grants',
    describeRoute({
      ...staffOperation,
      operationId: 'recordStaffGrant',
      summary: 'Record a consent given in the salon, with the staff member and the evidence (one customer per request)',
      requestBody: jsonBody(staffGrantRequestSchema),
      responses: staffAnswers(
        {
          201: jsonAnswer('Recorded: its receipt, and the customer’s status now', staffWriteAnswerSchema),
          400: errorAnswer('Invalid request: evidence, name and confirmation are required.'),
        },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, staffGrantRequestSchema);
      if (!body.ok) return body.response;
      const grant = body.data;
      const problem = ledger.checkWrite(c, grant.purposes, grant.subject, true);
      if (problem) return problem;
      const record: StaffRecord = {
        schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
        id: crypto.randomUUID(),
        subject: grant.subject,
        purposes: grant.purposes.map((purpose) => ({ purpose, granted: true })),
        method: 'staff',
        staff: { name: grant.staffName, evidence: grant.evidence },
        ...(grant.textVersion ? { textVersion: grant.textVersion } : {}),
      };
      const outcome = await ledger.appendRecord(record);
      return c.json(
        { receipt: receiptOf(outcome), status: (await ledger.viewOf(grant.subject)).status(grant.subject, purposes) },
        201,
      );
    },
  );

  app.post(
    '/v1/staff/front-desk-consents',
    describeRoute({
      ...staffOperation,
      operationId: 'recordFrontDeskConsent',
      summary:
        'Record a consent the customer ticked and signed on the salon’s device at the front desk, under the notice shown',
      requestBody: jsonBody(frontDeskConsentRequestSchema),
      responses: staffAnswers(
        {
          201: jsonAnswer('Recorded: its receipt, and the customer’s status now', staffWriteAnswerSchema),
          400: errorAnswer(
            'Invalid request: the notice’s fingerprint, the signature (a PNG, or the typed name) and the confirmation are required.',
          ),
        },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, frontDeskConsentRequestSchema);
      if (!body.ok) return body.response;
      const consent = body.data;
      const problem = ledger.checkWrite(c, consent.purposes, consent.subject, true);
      if (problem) return problem;
      // What the customer read is bound by its fingerprint: a notice that is not the text it claims is refused.
      if (sha256Hex(consent.notice.text) !== consent.notice.sha256) {
        return fail(c, 400, 'notice.sha256 is not the SHA-256 of notice.text: send the text exactly as shown', [
          { path: 'notice.sha256', message: 'does not match notice.text' },
        ]);
      }
      const signature = signatureOf(consent.signature);
      if ('problem' in signature) {
        return fail(c, 400, `signature: ${signature.problem}`, [{ path: 'signature', message: signature.problem }]);
      }
      const record: FrontDeskRecord = {
        schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
        id: crypto.randomUUID(),
        subject: consent.subject,
        purposes: consent.purposes.map((purpose) => ({ purpose, granted: true })),
        method: 'front-desk',
        notice: consent.notice,
        signature: signature.stored,
        staff: { name: consent.staffName },
        device: consent.device,
      };
      const outcome = await ledger.appendRecord(record);
      return c.json(
        {
          receipt: receiptOf(outcome),
          status: (await ledger.viewOf(consent.subject)).status(consent.subject, purposes),
        },
        201,
      );
    },
  );

  app.post(
    '/v1/staff/withdrawals',
    describeRoute({
      ...staffOperation,
      operationId: 'recordStaffWithdrawal',
      summary: 'Record a withdrawal: it reaches every address linked to the identifiers named',
      requestBody: jsonBody(withdrawalRequestSchema),
      responses: staffAnswers(
        { 201: jsonAnswer('Recorded: its receipt, and the customer’s status now', staffWriteAnswerSchema) },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, withdrawalRequestSchema);
      if (!body.ok) return body.response;
      const withdrawal = body.data;
      // Any identifier will do: the withdrawal reaches every address linked to it.
      const problem = ledger.checkWrite(c, withdrawal.purposes, withdrawal.subject, false);
      if (problem) return problem;
      const outcome = await ledger.appendRecord({
        schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
        id: crypto.randomUUID(),
        subject: withdrawal.subject,
        purposes: withdrawal.purposes.map((purpose) => ({ purpose, granted: false })),
        method: 'staff',
        staff: { name: withdrawal.staffName },
        ...(withdrawal.reason ? { reason: withdrawal.reason } : {}),
      });
      return c.json(
        {
          receipt: receiptOf(outcome),
          status: (await ledger.viewOf(withdrawal.subject)).status(withdrawal.subject, purposes),
        },
        201,
      );
    },
  );

  // The confirmation mail again, when a customer says it never came (throttled).
  app.post(
    '/v1/staff/confirmation-mails',
    describeRoute({
      ...staffOperation,
      operationId: 'resendConfirmationMail',
      summary: 'Send the double opt-in mail again (not within 15 minutes of the last one)',
      requestBody: jsonBody(confirmationResendRequestSchema),
      responses: staffAnswers(
        {
          201: jsonAnswer('Sent and recorded: its receipt, and the customer’s status now', staffWriteAnswerSchema),
          409: errorAnswer('Not waiting for confirmation, or the purpose has no double opt-in.'),
          429: errorAnswer('A mail went out a moment ago; see Retry-After.'),
          502: jsonAnswer('The mail server refused the mail (recorded).', mailRefusedAnswerSchema),
        },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, confirmationResendRequestSchema);
      if (!body.ok) return body.response;
      const { purpose, email, staffName } = body.data;
      const problem = ledger.checkWrite(c, [purpose], { email }, false);
      if (problem) return problem;
      if (!ledger.confirmations || !ledger.needsConfirmation(purpose)) {
        return fail(c, 409, `${purpose} does not use double opt-in on this ledger; there is no mail to send`);
      }
      const sent = await ledger.confirmations.resend(purpose, `email:${normalizeEmail(email)}`, staffName);
      if ('reason' in sent) {
        if (sent.reason === 'not-pending') {
          return fail(c, 409, `${email} is not waiting for confirmation of ${purpose}; there is nothing to confirm`);
        }
        c.header('retry-after', String(sent.retryAfterSeconds));
        return fail(
          c,
          429,
          `a confirmation mail went to ${email} a moment ago; ask again in ${Math.ceil(sent.retryAfterSeconds / 60)} min`,
        );
      }
      const status = (await ledger.viewOf({ email })).status({ email }, purposes);
      const mail = sent.event as ConfirmationMailRecord;
      if (mail.outcome === 'failed') {
        return c.json({ error: `the mail server refused the mail: ${mail.smtpReply}`, status }, 502);
      }
      return c.json({ receipt: receiptOf({ entry: sent }), status }, 201);
    },
  );

  app.post(
    '/v1/staff/erasures',
    describeRoute({
      ...staffOperation,
      operationId: 'eraseCustomer',
      summary:
        'Erase one customer’s personal data across all their records (GDPR Art. 17); the erasure itself is recorded, and every hash still holds',
      requestBody: jsonBody(erasureRequestSchema),
      responses: staffAnswers(
        {
          201: jsonAnswer(
            'Erased: the erasure’s receipt, and the status, which now says "erased"',
            erasureAnswerSchema,
          ),
          400: errorAnswer('Invalid request: the customer, the staff member and the reason are required.'),
          404: errorAnswer('Nothing is on record for this customer (perhaps erased already).'),
          409: errorAnswer('Records from before sealing cannot be erased without rewriting the chain.'),
        },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, erasureRequestSchema);
      if (!body.ok) return body.response;
      const { subject, staffName, reason, note } = body.data;
      const problem = ledger.checkSubject(c, subject);
      if (problem) return problem;
      const view = await ledger.viewOf(subject);
      const plan = planCustomerErasure(view, subject);
      if (!plan) {
        const erased = view.status(subject, []).erasure;
        return fail(
          c,
          404,
          erased
            ? `the personal data of this customer was erased already, on ${erased.at} (entry ${erased.seq})`
            : 'nothing is on record for this customer',
        );
      }
      let outcomes;
      try {
        outcomes = await ledger.erase([{ ...plan, reason }], { staffName, ...(note ? { note } : {}) });
      } catch (error) {
        if (error instanceof UnsealedEntryError) return fail(c, 409, error.message);
        throw error;
      }
      return c.json(
        {
          receipt: receiptOf(outcomes[0]!),
          erasedRecords: plan.seqs.length,
          status: (await ledger.viewOf(subject)).status(subject, purposes),
        },
        201,
      );
    },
  );

  app.post(
    '/v1/staff/retention',
    describeRoute({
      ...staffOperation,
      operationId: 'applyRetention',
      summary:
        'Apply the retention policy now (it also runs on its schedule); with dryRun, only list what would be erased',
      requestBody: jsonBody(retentionRequestSchema),
      responses: staffAnswers(
        { 200: jsonAnswer('What was erased (or, with dryRun, would be)', retentionAnswerSchema) },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, retentionRequestSchema);
      if (!body.ok) return body.response;
      const dryRun = body.data.dryRun ?? false;
      return c.json({ dryRun, erasures: await ledger.applyRetention({ dryRun }) });
    },
  );

  app.get(
    '/v1/staff/audience/changes',
    describeRoute({
      ...staffOperation,
      operationId: 'getAudienceChanges',
      summary:
        'Who joined and who left the audience of one purpose since a cursor (the `next` of the previous page; 0 for everything), in chain order',
      parameters: [
        { name: 'purpose', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'after', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: AUDIENCE_CHANGES_PAGE, default: AUDIENCE_CHANGES_PAGE },
        },
      ],
      responses: staffAnswers({
        200: jsonAnswer('The changes of the entries after the cursor, and the next cursor', audienceChangesSchema),
        400: errorAnswer('Unknown purpose, or a cursor or limit that is not a whole number in range.'),
      }),
    }),
    async (c) => {
      const purpose = c.req.query('purpose') ?? '';
      if (!purposes.includes(purpose)) return fail(c, 400, `purpose must be one of ${purposes.join(', ')}`);
      const whole = (value: string | undefined, min: number, max: number) =>
        value !== undefined && /^\d{1,15}$/.test(value) && Number(value) >= min && Number(value) <= max
          ? Number(value)
          : undefined;
      const after = whole(c.req.query('after'), 0, Number.MAX_SAFE_INTEGER);
      if (after === undefined)
        return fail(c, 400, 'after must be a cursor: 0 for everything, or the next of the previous page');
      const limit = whole(c.req.query('limit') ?? String(AUDIENCE_CHANGES_PAGE), 1, AUDIENCE_CHANGES_PAGE);
      if (limit === undefined) return fail(c, 400, `limit must be a whole number from 1 to ${AUDIENCE_CHANGES_PAGE}`);
      return c.json(await audienceChanges(ledger, purpose, after, limit));
    },
  );

  app.get(
    '/v1/staff/audience',
    describeRoute({
      ...staffOperation,
      operationId: 'getAudience',
      summary:
        'Campaign audience for one purpose: exactly the addresses that may be written to (streamed CSV with format=csv, JSON lines with format=jsonl)',
      parameters: [
        { name: 'purpose', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'jsonl'] } },
        {
          name: 'excludeImported',
          in: 'query',
          schema: { type: 'string', enum: ['true', 'false'] },
          description: 'true: leave out addresses granted only by an import (counted in leftOut.imported)',
        },
      ],
      responses: staffAnswers({
        200: {
          description:
            'The audience (json); csv and jsonl are streamed, jsonl one recipient per line and the left-out counts last',
          content: {
            'application/json': { schema: resolver(audienceSchema) },
            'text/csv': { schema: { type: 'string', description: 'address,customerId,consentSince,method' } },
            'application/jsonl': {
              schema: {
                type: 'string',
                description: 'One JSON object per line: each recipient, then { leftOut: { … } }',
              },
            },
          },
        },
        400: errorAnswer('Unknown purpose or format, or excludeImported not true or false.'),
      }),
    }),
    async (c) => {
      const purpose = c.req.query('purpose') ?? '';
      if (!purposes.includes(purpose)) return fail(c, 400, `purpose must be one of ${purposes.join(', ')}`);
      const format = c.req.query('format') ?? 'json';
      if (!['json', 'csv', 'jsonl'].includes(format)) return fail(c, 400, 'format must be json, csv or jsonl');
      const excludeImported = c.req.query('excludeImported');
      if (excludeImported !== undefined && !['true', 'false'].includes(excludeImported))
        return fail(c, 400, 'excludeImported must be true or false');
      const options = { excludeImported: excludeImported === 'true' };
      if (format === 'json') return c.json(await audienceOf(ledger.customerViews(), purpose, options));
      // CSV and JSON lines are streamed a slice at a time: a large audience is never one body in memory.
      const csv = format === 'csv';
      c.header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8');
      c.header('content-disposition', `attachment; filename="audience-${purpose}.${format}"`);
      return stream(c, async (out) => {
        if (csv) await out.write('address,customerId,consentSince,method\r\n');
        const recipients = audienceAcross(ledger.customerViews(), purpose, options);
        let rows: string[] = [];
        try {
          for (let next = await recipients.next(); ; next = await recipients.next()) {
            if (next.done) {
              // JSON lines end with the counts of those left out; CSV has only the recipients.
              if (!csv) rows.push(JSON.stringify({ leftOut: next.value }));
              break;
            }
            const r = next.value;
            rows.push(csv ? csvRow([r.address, r.subject.customerId ?? '', r.since, r.method]) : JSON.stringify(r));
            if (rows.length === 500) {
              await out.write(`${rows.join(csv ? '\r\n' : '\n')}${csv ? '\r\n' : '\n'}`);
              rows = [];
            }
          }
          if (rows.length) await out.write(`${rows.join(csv ? '\r\n' : '\n')}${csv ? '\r\n' : '\n'}`);
        } finally {
          // A client that went away mid-stream: the store's read (a database snapshot) ends here too.
          await recipients.return(noneLeftOut());
        }
      });
    },
  );

  app.post(
    '/v1/staff/unsubscribe-links',
    describeRoute({
      ...staffOperation,
      operationId: 'createUnsubscribeLink',
      summary: 'Make a signed unsubscribe link for a newsletter',
      requestBody: jsonBody(unsubscribeLinkRequestSchema),
      responses: staffAnswers(
        {
          200: jsonAnswer('{ url }', linkAnswerSchema),
          404: errorAnswer('Unsubscribe links are off: the ledger has no link secret.'),
        },
        { json: true },
      ),
    }),
    async (c) => {
      if (!settings.linkSecret) return fail(c, 404, 'unsubscribe links are off: start the ledger with a link secret');
      const body = await readBody(c, unsubscribeLinkRequestSchema);
      if (!body.ok) return body.response;
      const { purpose, address, locale } = body.data;
      const sms = purpose === 'sms-newsletter';
      const problem =
        ledger.checkWrite(c, [purpose], {}, false) ?? (sms ? ledger.checkSubject(c, { phone: address }) : undefined);
      if (problem) return problem;
      const normalized = sms ? ledger.addresses.phone(address)! : normalizeEmail(address);
      const url = await createUnsubscribeUrl(ledger.publicBase(c), settings.linkSecret, {
        purpose,
        address: normalized,
        ...(locale ? { locale } : {}),
      });
      return c.json({ url });
    },
  );

  app.get(
    STAFF_ENTRIES_PATH,
    describeRoute({
      ...staffOperation,
      operationId: 'getEntries',
      summary: `The ledger’s entries in order (export, backup), at most ${ENTRIES_PAGE} per answer: ask again with after=<last seq>`,
      parameters: [
        { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ],
      responses: staffAnswers({
        200: jsonAnswer(
          'Entries: records (personal data included), erasures, and erased records (public part only)',
          z.object({ entries: z.array(chainEntrySchema) }),
        ),
        400: errorAnswer('after or limit is not a whole number in range.'),
      }),
    }),
    async (c) => {
      const afterSeq = Number(c.req.query('after') ?? 0);
      const limit = c.req.query('limit') === undefined ? undefined : Number(c.req.query('limit'));
      if (
        !Number.isInteger(afterSeq) ||
        afterSeq < 0 ||
        (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      ) {
        return fail(c, 400, 'after and limit must be whole numbers (after ≥ 0, limit ≥ 1)');
      }
      // A page at a time: a ledger of millions of entries is never one answer in memory.
      const page = Math.min(limit ?? ENTRIES_PAGE, ENTRIES_PAGE);
      return c.json({ entries: await ledger.store.entries({ afterSeq, limit: page }) });
    },
  );

  app.get(
    '/v1/staff/webhooks',
    describeRoute({
      ...staffOperation,
      operationId: 'getWebhooks',
      summary: 'The webhook endpoints: what each acknowledged, its backlog, and whether it is failing',
      responses: staffAnswers({ 200: jsonAnswer('The endpoints (none without webhooks)', webhookStatusSchema) }),
    }),
    async (c) => c.json({ endpoints: (await ledger.webhooks?.status()) ?? [] }),
  );

  app.post(
    '/v1/staff/webhooks/replay',
    describeRoute({
      ...staffOperation,
      operationId: 'replayWebhooks',
      summary: 'Send an endpoint the events from an entry on again, with their ids, now',
      requestBody: jsonBody(webhookReplayRequestSchema),
      responses: staffAnswers(
        {
          202: jsonAnswer('Sending', webhookStatusSchema),
          404: errorAnswer('No endpoint with this id.'),
        },
        { json: true },
      ),
    }),
    async (c) => {
      const body = await readBody(c, webhookReplayRequestSchema);
      if (!body.ok) return body.response;
      if (!(await ledger.webhooks?.replay(body.data.endpoint, body.data.fromSeq))) {
        return fail(c, 404, `no webhook endpoint ${body.data.endpoint}; GET /v1/staff/webhooks lists them`);
      }
      return c.json({ endpoints: await ledger.webhooks!.status() }, 202);
    },
  );

  app.get(
    '/v1/staff/verify',
    describeRoute({
      ...staffOperation,
      operationId: 'verifyLedger',
      summary: 'Check the whole hash chain and the signed checkpoints',
      responses: staffAnswers({ 200: jsonAnswer('The report', verifyAnswerSchema) }),
    }),
    async (c) => c.json(await settings.verify()),
  );

  return app;
}

/** PNG files begin with these eight bytes. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The signature as the record keeps it, with the SHA-256 of what was
 * signed (the image's bytes, or the typed name): that stays readable after
 * an erasure shreds the image or name itself.
 */
function signatureOf(
  signature: FrontDeskConsentRequest['signature'],
): { stored: FrontDeskRecord['signature'] } | { problem: string } {
  if (signature.kind === 'typed') {
    return { stored: { kind: 'typed', name: signature.name, sha256: sha256Hex(signature.name) } };
  }
  const bytes = Buffer.from(signature.image.slice(signature.image.indexOf(',') + 1), 'base64');
  if (bytes.length < 67 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { problem: 'the image is not a PNG: send the canvas as canvas.toDataURL("image/png")' };
  }
  return {
    stored: { kind: 'drawn', image: signature.image, sha256: createHash('sha256').update(bytes).digest('hex') },
  };
}
