/**
 * The ledger's OpenAPI 3.1 description. Its schemas are generated from the
 * same zod schemas that validate requests, so they cannot drift from what
 * the server accepts; its list of paths is checked against the routes the
 * app serves (test/server/intake.test.ts). Served at /v1/openapi.json and
 * written to dist/openapi.json at build.
 */
import * as z from 'zod/mini';
import { consentEventSchema, consentReceiptSchema } from '../contract/consent-event.js';
import {
  audienceSchema,
  ledgerEntrySchema,
  staffGrantRequestSchema,
  subjectStatusSchema,
  unsubscribeLinkRequestSchema,
  confirmationResendRequestSchema,
  withdrawalRequestSchema,
} from '../contract/ledger-records.js';
import { WIDGET_VERSION } from '../version.js';

const errorSchema = z.object({
  error: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

const schemas = {
  ConsentEvent: consentEventSchema,
  ConsentReceipt: consentReceiptSchema,
  StaffGrantRequest: staffGrantRequestSchema,
  WithdrawalRequest: withdrawalRequestSchema,
  SubjectStatus: subjectStatusSchema,
  LedgerEntry: ledgerEntrySchema,
  Audience: audienceSchema,
  UnsubscribeLinkRequest: unsubscribeLinkRequestSchema,
  ConfirmationResendRequest: confirmationResendRequestSchema,
  Error: errorSchema,
};

const ref = (name: keyof typeof schemas) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof schemas) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('Error') });
const subjectParams = ['email', 'phone', 'customerId'].map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'At least one of email, phone, customerId.',
}));
const staff = { security: [{ staffToken: [] }], tags: ['staff'] };
const unauthorized = { 401: error('No or wrong staff token. Nothing about the data is revealed.') };

export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'marketing-consent ledger',
      version: WIDGET_VERSION,
      description:
        'Receives consent events from <marketing-consent>, keeps them in a hash-chained append-only ledger, and answers staff questions: may we mail this customer, who is in a campaign, what is the proof.',
    },
    components: {
      securitySchemes: { staffToken: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [
          name,
          z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }),
        ]),
      ),
    },
    paths: {
      '/v1/consent-events': {
        post: {
          tags: ['public'],
          summary: 'Record a consent ticked in the booking flow (idempotent by event id)',
          description: 'The body may be sent as application/json or as text/plain (no CORS preflight).',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('ConsentEvent') },
              'text/plain': { schema: ref('ConsentEvent') },
            },
          },
          responses: {
            201: { description: 'Stored durably.', ...json('ConsentReceipt') },
            200: {
              description: 'This id was already stored with the same content: the same receipt.',
              ...json('ConsentReceipt'),
            },
            400: error('Malformed JSON, invalid event, unknown purpose, or a purpose without its address.'),
            403: error('The page’s origin may not post here.'),
            409: error('The id is stored with different content.'),
            413: error('Body too large.'),
            415: error('Wrong content type.'),
            429: error('Rate limit per client address; see Retry-After.'),
          },
        },
      },
      '/v1/unsubscribe': {
        get: {
          tags: ['public'],
          summary: 'Unsubscribe page for a signed link (asks first)',
          responses: { 200: { description: 'HTML' }, 400: { description: 'Invalid link (HTML)' } },
        },
        post: {
          tags: ['public'],
          summary: 'Withdraw via a signed link (also RFC 8058 one-click)',
          responses: { 200: { description: 'HTML' }, 400: { description: 'Invalid link; nothing recorded (HTML)' } },
        },
      },
      '/v1/confirm': {
        get: {
          tags: ['public'],
          summary: 'Double opt-in page for the link in a confirmation mail (one button; opening it confirms nothing)',
          responses: {
            200: { description: 'HTML' },
            400: { description: 'Invalid link (HTML)' },
            409: { description: 'Withdrawn since (HTML)' },
            410: { description: 'Expired (HTML)' },
          },
        },
        post: {
          tags: ['public'],
          summary: 'Confirm the sign-up (records the double opt-in once)',
          responses: {
            200: { description: 'Confirmed, or confirmed before (HTML)' },
            400: { description: 'Invalid link; nothing recorded (HTML)' },
            409: { description: 'Withdrawn since; nothing recorded (HTML)' },
            410: { description: 'Expired; nothing recorded (HTML)' },
          },
        },
      },
      '/v1/staff/status': {
        get: {
          ...staff,
          summary: 'Consent status of one customer per purpose',
          parameters: subjectParams,
          responses: { 200: json('SubjectStatus'), 400: error('No customer named.'), ...unauthorized },
        },
      },
      '/v1/staff/history': {
        get: {
          ...staff,
          summary: 'Every record of one customer, oldest first',
          parameters: subjectParams,
          responses: {
            200: {
              description: 'Entries',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { entries: { type: 'array', items: ref('LedgerEntry') } } },
                },
              },
            },
            ...unauthorized,
          },
        },
      },
      '/v1/staff/proof': {
        get: {
          ...staff,
          summary:
            'Proof for one customer: printable HTML, or JSON with format=json (with Kantara Consent Receipt v1.1 mapping)',
          parameters: [...subjectParams, { name: 'format', in: 'query', schema: { enum: ['html', 'json'] } }],
          responses: { 200: { description: 'text/html or application/json' }, ...unauthorized },
        },
      },
      '/v1/staff/proof-links': {
        post: {
          ...staff,
          summary:
            'A link to one customer’s printable proof, valid ten minutes, to open in a new tab (which cannot send the token)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { subject: { type: 'object' } }, required: ['subject'] },
              },
            },
          },
          responses: { 200: { description: '{ url }' }, ...unauthorized },
        },
      },
      '/v1/proof': {
        get: {
          tags: ['public'],
          summary: 'The proof page behind a signed proof link',
          responses: { 200: { description: 'HTML' }, 403: error('Invalid or expired link.') },
        },
      },
      '/v1/staff/grants': {
        post: {
          ...staff,
          summary:
            'Record a consent given in the salon, with the staff member and the evidence (one customer per request)',
          requestBody: { required: true, ...json('StaffGrantRequest') },
          responses: {
            201: { description: 'Recorded' },
            400: error('Invalid request: evidence, name and confirmation are required.'),
            ...unauthorized,
          },
        },
      },
      '/v1/staff/withdrawals': {
        post: {
          ...staff,
          summary: 'Record a withdrawal',
          requestBody: { required: true, ...json('WithdrawalRequest') },
          responses: { 201: { description: 'Recorded' }, 400: error('Invalid request.'), ...unauthorized },
        },
      },
      '/v1/staff/audience': {
        get: {
          ...staff,
          summary:
            'Campaign audience for one purpose: exactly those whose latest record is a grant (CSV with format=csv)',
          parameters: [
            { name: 'purpose', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } },
          ],
          responses: { 200: json('Audience'), 400: error('Unknown purpose.'), ...unauthorized },
        },
      },
      '/v1/staff/confirmation-mails': {
        post: {
          ...staff,
          summary: 'Send the double opt-in mail again (not within 15 minutes of the last one)',
          requestBody: { required: true, ...json('ConfirmationResendRequest') },
          responses: {
            201: { description: '{ receipt, status }' },
            409: error('Not waiting for confirmation, or the purpose has no double opt-in.'),
            429: error('A mail went out a moment ago; see Retry-After.'),
            502: error('The mail server refused the mail (recorded).'),
            ...unauthorized,
          },
        },
      },
      '/v1/staff/unsubscribe-links': {
        post: {
          ...staff,
          summary: 'Make a signed unsubscribe link for a newsletter',
          requestBody: { required: true, ...json('UnsubscribeLinkRequest') },
          responses: { 200: { description: '{ url }' }, ...unauthorized },
        },
      },
      '/v1/staff/entries': {
        get: {
          ...staff,
          summary: 'The ledger’s entries in order (export)',
          parameters: [
            { name: 'after', in: 'query', schema: { type: 'integer' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: { 200: { description: 'Entries' }, ...unauthorized },
        },
      },
      '/v1/staff/verify': {
        get: {
          ...staff,
          summary: 'Check the whole hash chain',
          responses: { 200: { description: '{ entries, intact, brokenAt?, reason? }' }, ...unauthorized },
        },
      },
      '/v1/health': {
        get: { tags: ['public'], summary: 'Liveness', responses: { 200: { description: '{ ok: true }' } } },
      },
      '/v1/openapi.json': {
        get: { tags: ['public'], summary: 'This description', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
