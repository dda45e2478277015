/**
 * The settings check that runs before the boxes show is written by hand, so
 * the boxes need no zod. Here it is held, on generated settings, to the zod
 * schema it replaced (kept below as the reference): it must refuse every
 * setting that schema refused, with the same words, and let through the same
 * values; and it must never offer a box when a legal setting is wrong.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { KNOWN_PURPOSES } from '../../src/contract/vocabulary.js';
import { isAllowedHref } from '../../src/legal-text/legal-markup.js';
import { validateSettings, type ConsentSettings } from '../../src/elements/marketing-consent/settings.js';
import { describeProblem } from '../../src/elements/marketing-consent/settings-messages.js';
import { TEXTS } from '../support/booking-form.js';

z.config({ jitless: true });

// The reference: the schema of version 0.1.0, word for word.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const FIELD_NAME = /^[^\s"'<>]{1,100}$/;
function isEndpointUrl(value: string): boolean {
  try {
    const url = new URL(value, document.baseURI);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
    .check(z.trim(), z.minLength(1, 'is empty'), z.maxLength(max, `is longer than ${max} characters`));
const fieldName = z.string().check(z.regex(FIELD_NAME, 'is not a usable form field name'));
const reference = z.object({
  endpoint: z.optional(z.string().check(z.refine(isEndpointUrl, 'is not an https URL'))),
  salon: requiredText(120),
  purposes: z.optional(
    z
      .array(
        z.string().check(
          z.refine((id) => (KNOWN_PURPOSES as readonly string[]).includes(id), {
            error: (issue) => `names the unknown purpose "${String(issue.input)}"`,
          }),
        ),
      )
      .check(
        z.minLength(1, 'names no purpose'),
        z.refine((list) => new Set(list).size === list.length, 'names a purpose twice'),
      ),
  ),
  textVersion: requiredText(64),
  privacyUrl: z
    .string({ error: 'is missing' })
    .check(z.refine(isAllowedHref, 'is not an https URL or a path on this site')),
  locale: z.optional(z.string().check(z.regex(LANGUAGE_TAG, 'is not a language tag'))),
  emailField: z.optional(fieldName),
  phoneField: z.optional(fieldName),
  customerIdField: z.optional(fieldName),
  name: z.optional(fieldName),
});

const LEGAL = ['salon', 'purposes', 'textVersion', 'texts', 'privacyUrl'];
const attributeOf = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

// Values a page might set: right ones, wrong ones, empty and absent ones, and
// (through JS properties) ones of the wrong type.
const anyOf = (...values: unknown[]) => fc.constantFrom(...values);
const text = (max: number) =>
  fc.oneof(
    anyOf('Salon Bella', '  padded  ', '2026-11-01', '', '   ', undefined, 5),
    fc.string({ maxLength: max + 3 }),
    anyOf('x'.repeat(max), 'x'.repeat(max + 1), ` ${'x'.repeat(max)} `),
  );
const field = fc.oneof(
  anyOf('email', 'kunde[email]', 'my field', 'a"b', '<x>', '', undefined, 'x'.repeat(101), 3),
  fc.string({ maxLength: 8 }),
);
const settings = fc.record({
  endpoint: fc.oneof(
    anyOf(
      'https://consent.salon.example/v1/consent-events',
      'http://localhost:8787/v1/consent-events',
      'http://127.0.0.1:9/v1',
      'http://consent.salon.example/v1',
      'ftp://x.example',
      '/v1/consent-events',
      'https://',
      '',
      undefined,
      42,
    ),
    fc.webUrl(),
  ),
  salon: text(120),
  purposes: fc.oneof(
    anyOf(undefined, [], ['email-newsletter', 'email-newsletter'], ['fax-newsletter']),
    fc.array(fc.constantFrom('email-newsletter', 'sms-newsletter', 'fax', ''), { maxLength: 3 }),
  ),
  textVersion: text(64),
  privacyUrl: fc.oneof(
    anyOf('https://salon.example/datenschutz', '/datenschutz', '//evil.example', '/\\evil', 'http://x.example', ''),
    anyOf('javascript:alert(1)', 'mailto:a@b.example', undefined, 7),
    fc.webUrl(),
  ),
  locale: fc.oneof(anyOf('de', 'de-CH', 'fr', 'deutsch!', 'd', '', undefined), fc.string({ maxLength: 6 })),
  emailField: field,
  phoneField: field,
  customerIdField: field,
  name: field,
  texts: anyOf(TEXTS, undefined),
});

describe('the settings check before the boxes show', () => {
  it('refuses what the zod schema refused, with the same words, and keeps what it kept', () => {
    fc.assert(
      fc.property(settings, (input) => {
        const { config, problems } = validateSettings(input as ConsentSettings);
        // The reference saw empty attributes as not set, like the element.
        const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''));
        const expected = z.safeParse(reference, present);
        const issues = expected.success ? [] : expected.error.issues;

        const refused = new Set(issues.map((issue) => String(issue.path[0])));
        const flagged = new Set(problems.map((p) => p.setting.split('.')[0]).filter((key) => key !== 'texts'));
        expect([...flagged].sort(), JSON.stringify(input)).to.deep.equal([...refused].sort());

        // Where the reference worded the problem itself (string inputs), the words are the same.
        for (const issue of issues) {
          const key = String(issue.path[0]);
          if (typeof present[key] !== 'string' && !Array.isArray(present[key])) continue;
          const setting = issue.path.length > 1 ? issue.path.map(String).join('.') : attributeOf(key);
          const lines = problems.map(describeProblem);
          expect(
            lines.some((line) => line.startsWith(`${setting} ${issue.message}:`)),
            lines.join('\n'),
          ).to.equal(true);
        }

        // A box only when every legal setting is right; otherwise the wrong ones are left out.
        const legalWrong = [...refused].some((key) => LEGAL.includes(key)) || input.texts === undefined;
        expect(config === undefined, JSON.stringify(input)).to.equal(legalWrong);
        if (!config) return;
        const kept = z.safeParse(
          reference,
          Object.fromEntries(Object.entries(present).filter(([k]) => !refused.has(k))),
        );
        expect(kept.success).to.equal(true);
        if (!kept.success) return;
        expect(config.endpoint).to.equal(kept.data.endpoint);
        expect(config.salon).to.equal(kept.data.salon);
        expect(config.textVersion).to.equal(kept.data.textVersion);
        expect(config.privacyUrl).to.equal(kept.data.privacyUrl);
        expect(config.locale).to.equal(kept.data.locale);
        expect(config.purposes).to.deep.equal(kept.data.purposes ?? ['email-newsletter']);
        expect(config.fields).to.deep.equal({
          email: kept.data.emailField ?? 'email',
          phone: kept.data.phoneField ?? 'phone',
          customerId: kept.data.customerIdField,
        });
        expect(config.name).to.equal(kept.data.name ?? 'marketing-consent');
      }),
      { numRuns: 400 },
    );
  });
});
