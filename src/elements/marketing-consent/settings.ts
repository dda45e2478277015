/**
 * The element's settings: what a page may configure, how each is validated,
 * and the message that tells the web developer which setting is wrong and
 * how to fix it. A page configures with HTML alone (attributes and
 * `<template data-text>` children) or with JS properties; both arrive here
 * as one plain object.
 */
import * as z from 'zod/mini';
import { DEFAULT_PURPOSES, KNOWN_PURPOSES, type KnownPurpose } from '../../contract/vocabulary.js';
import { disallowedHrefs, isAllowedHref } from '../../legal-text/legal-markup.js';

/** Legal texts per language tag: one entry per purpose id, plus `notice`, the shared line. */
export type LegalTexts = Record<string, Record<string, string>>;

/** Everything a page can set, as it arrives from attributes, templates and properties. */
export interface ConsentSettings {
  endpoint?: string | undefined;
  salon?: string | undefined;
  purposes?: readonly string[] | undefined;
  textVersion?: string | undefined;
  texts?: LegalTexts | undefined;
  privacyUrl?: string | undefined;
  locale?: string | undefined;
  emailField?: string | undefined;
  phoneField?: string | undefined;
  customerIdField?: string | undefined;
  name?: string | undefined;
}

/** Settings that passed validation, with defaults applied. */
export interface ConsentConfig {
  endpoint: string | undefined;
  salon: string;
  purposes: KnownPurpose[];
  textVersion: string;
  texts: LegalTexts;
  privacyUrl: string;
  locale: string | undefined;
  fields: { email: string; phone: string; customerId: string | undefined };
  name: string;
}

/** One wrong setting: which, what is wrong, and how to fix it. */
export interface SettingProblem {
  setting: string;
  problem: string;
  fix: string;
  /** True when the legal text cannot be shown complete, so no box may be offered. */
  blocksConsent: boolean;
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const FIELD_NAME = /^[^\s"'<>]{1,100}$/;
const EXAMPLE_ENDPOINT = 'https://consent.example-salon.ch/v1/consent-events';

/** How each setting is written in HTML and in JS, and how to set it right. */
const HOW_TO_SET: Record<keyof ConsentSettings, { attribute: string; fix: string }> = {
  endpoint: {
    attribute: 'endpoint',
    fix: `set endpoint="${EXAMPLE_ENDPOINT}" (https; http only on localhost), or leave it out to submit the box with the form only`,
  },
  salon: { attribute: 'salon', fix: 'set salon="Salon Bella", the name customers know you by' },
  purposes: {
    attribute: 'purposes',
    fix: `set purposes="${KNOWN_PURPOSES.join(' ')}" (space-separated, each at most once) or leave it out for the e-mail newsletter only`,
  },
  textVersion: {
    attribute: 'text-version',
    fix: 'set text-version="2026-11-01" to the version of your legal text, and change it whenever the text changes',
  },
  texts: {
    attribute: 'texts',
    fix: 'add <template data-text="email-newsletter" lang="de">…</template> and <template data-text="notice" lang="de">…</template> inside the element, or set the texts property',
  },
  privacyUrl: {
    attribute: 'privacy-url',
    fix: 'set privacy-url="https://example-salon.ch/datenschutz" (https, or a path on your site such as /datenschutz)',
  },
  locale: {
    attribute: 'locale',
    fix: 'set locale="de" (a language tag), or leave it out to follow the lang attribute',
  },
  emailField: {
    attribute: 'email-field',
    fix: 'set email-field to the name of the form field holding the e-mail address',
  },
  phoneField: {
    attribute: 'phone-field',
    fix: 'set phone-field to the name of the form field holding the phone number',
  },
  customerIdField: {
    attribute: 'customer-id-field',
    fix: "set customer-id-field to the name of the form field holding your platform's customer id",
  },
  name: {
    attribute: 'name',
    fix: 'set name to the form field name the consent is submitted under, e.g. name="marketing-consent"',
  },
};

/** Settings without which the customer would not see the complete legal text. */
const LEGAL_SETTINGS = new Set<keyof ConsentSettings>(['salon', 'purposes', 'textVersion', 'texts', 'privacyUrl']);

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

// Only basic zod/mini types here (object, string, array, optional and
// checks): each further type (record, enum, default, formats) adds its
// implementation to the browser bundle. Texts are checked in checkTexts.
const settingsSchema = z.object({
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

function problem(setting: keyof ConsentSettings, what: string, path = HOW_TO_SET[setting].attribute): SettingProblem {
  return { setting: path, problem: what, fix: HOW_TO_SET[setting].fix, blocksConsent: LEGAL_SETTINGS.has(setting) };
}

function toProblem(issue: z.core.$ZodIssue): SettingProblem {
  const key = issue.path[0] as keyof ConsentSettings;
  const path = issue.path.length > 1 ? issue.path.map(String).join('.') : HOW_TO_SET[key].attribute;
  return problem(key, issue.message, path);
}

function omit<T extends object>(object: T, keys: readonly string[]): T {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key))) as T;
}

/**
 * Words that say how to withdraw, per language: a notice without any of
 * them fails the information duty (GDPR Art. 7(3): the customer must be told
 * before agreeing that they can withdraw). Stems, matched case-insensitively.
 */
const WITHDRAWAL_WORDS: Record<string, readonly string[]> = {
  de: ['widerruf', 'widerrufen', 'abmeld', 'abbestell', 'austragen'],
  fr: ['retir', 'révoqu', 'revoqu', 'désinscri', 'desinscri', 'désabonn', 'desabonn'],
  it: ['revoc', 'ritir', 'disiscri', 'annull', 'cancell'],
  en: ['withdraw', 'unsubscribe', 'revoke', 'opt out', 'opt-out'],
};
const ALL_WITHDRAWAL_WORDS = Object.values(WITHDRAWAL_WORDS).flat();

function mentionsWithdrawal(locale: string, notice: string): boolean {
  const words = WITHDRAWAL_WORDS[locale.toLowerCase().split('-')[0]!] ?? ALL_WITHDRAWAL_WORDS;
  const text = notice.toLowerCase();
  return words.some((word) => text.includes(word));
}

/**
 * Checks each language's texts: every purpose and the shared notice. A
 * language with a gap is left out (its customers see the salon's first
 * complete language instead); only when no language is complete is no box
 * shown. Every message names the language and the text it concerns.
 */
function checkTexts(
  texts: LegalTexts | undefined,
  purposes: readonly string[],
): { problems: SettingProblem[]; complete: LegalTexts } {
  if (typeof texts !== 'object' || texts === null) return { problems: [problem('texts', 'are missing')], complete: {} };
  const locales = Object.keys(texts);
  if (locales.length === 0) return { problems: [problem('texts', 'are empty')], complete: {} };
  const problems: SettingProblem[] = [];
  const complete: LegalTexts = {};
  for (const locale of locales) {
    if (!LANGUAGE_TAG.test(locale)) {
      problems.push(
        problem('texts', `has the key "${locale}", which is not a language tag such as de or de-CH`, 'texts'),
      );
      continue;
    }
    const before = problems.length;
    for (const key of [...purposes, 'notice']) {
      const value: unknown = texts[locale]?.[key];
      const text = typeof value === 'string' ? value.trim() : undefined;
      const path = `texts.${locale}.${key}`;
      if (!text) {
        problems.push({
          ...problem('texts', 'is missing', path),
          fix: `add <template data-text="${key}" lang="${locale}">…</template> inside the element, or set texts.${locale}["${key}"]`,
        });
        continue;
      }
      for (const href of disallowedHrefs(text)) {
        problems.push({
          ...problem('texts', `links to "${href}", which is not allowed`, path),
          fix: 'link only to https:// pages, mailto: addresses or paths on your site such as /datenschutz',
        });
      }
    }
    if (problems.length === before) complete[locale] = texts[locale]!;
  }
  const hasComplete = Object.keys(complete).length > 0;
  for (const p of problems) p.blocksConsent = !hasComplete;
  for (const [locale, localeTexts] of Object.entries(complete)) {
    if (!mentionsWithdrawal(locale, localeTexts['notice']!)) {
      problems.push({
        setting: `texts.${locale}.notice`,
        problem: 'does not say how to withdraw the consent',
        fix: `say that and how customers can withdraw at any time, e.g. "${WITHDRAWAL_EXAMPLE[locale.split('-')[0]!] ?? WITHDRAWAL_EXAMPLE['en']}" (GDPR Art. 7(3))`,
        blocksConsent: false,
      });
    }
  }
  if (hasComplete) {
    for (const locale of locales) {
      if (LANGUAGE_TAG.test(locale) && !complete[locale]) {
        problems.push({
          setting: `texts.${locale}`,
          problem: `is incomplete, so customers reading ${locale} see the texts in ${Object.keys(complete)[0]}`,
          fix: 'complete it as listed above',
          blocksConsent: false,
        });
      }
    }
  }
  return { problems, complete };
}

const WITHDRAWAL_EXAMPLE: Record<string, string> = {
  de: 'Widerruf jederzeit über den Abmeldelink in jeder Nachricht',
  fr: 'Vous pouvez retirer votre consentement à tout moment via le lien de désinscription',
  it: 'Può revocare il consenso in qualsiasi momento tramite il link di disiscrizione',
  en: 'You can withdraw at any time with the unsubscribe link in every message',
};

/** Validates settings; a config comes back only if the legal text can be shown complete. */
export function validateSettings(settings: ConsentSettings): { config?: ConsentConfig; problems: SettingProblem[] } {
  // Empty attributes mean "not set", so the defaults and "is missing" apply.
  const present = Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined && value !== ''),
  ) as ConsentSettings;
  const first = z.safeParse(settingsSchema, present);
  const problems = first.success ? [] : first.error.issues.map(toProblem);
  // Check the texts against the purposes asked for, even when other settings are wrong,
  // so one message lists everything to fix.
  const purposes = (first.success ? first.data.purposes : undefined) ?? [...DEFAULT_PURPOSES];
  const texts = checkTexts(present.texts, present.purposes?.length ? present.purposes : purposes);
  problems.push(...texts.problems);
  if (problems.some((p) => p.blocksConsent)) return { problems };
  // Only settings outside the legal text are wrong (say the endpoint): drop
  // them, so the box still works as a form field, and report them.
  const result = first.success
    ? first
    : z.safeParse(
        settingsSchema,
        omit(
          present,
          first.error.issues.map((issue) => issue.path[0] as string),
        ),
      );
  if (!result.success) return { problems };
  const parsed = result.data;
  return {
    problems,
    config: {
      endpoint: parsed.endpoint,
      salon: parsed.salon,
      purposes: purposes as KnownPurpose[],
      textVersion: parsed.textVersion,
      // Only complete languages: an incomplete one falls back to the first complete one.
      texts: texts.complete,
      privacyUrl: parsed.privacyUrl,
      locale: parsed.locale,
      fields: {
        email: parsed.emailField ?? 'email',
        phone: parsed.phoneField ?? 'phone',
        customerId: parsed.customerIdField,
      },
      name: parsed.name ?? 'marketing-consent',
    },
  };
}

/** One console message for all problems, each naming its setting and its fix. */
export function describeProblems(tag: string, problems: readonly SettingProblem[]): string {
  const blocking = problems.some((p) => p.blocksConsent);
  const lead = blocking
    ? `<${tag}> shows no checkbox until its legal text is complete (no consent without information). Fix:`
    : `<${tag}> has settings to fix:`;
  return [lead, ...problems.map((p) => `  • ${p.setting} ${p.problem}: ${p.fix}.`)].join('\n');
}

/**
 * Picks the text language for a requested language tag: an exact match,
 * then the same primary language (de-CH → de), then the first configured one.
 */
export function pickTextLocale(requested: string, available: readonly string[]): { locale: string; exact: boolean } {
  const wanted = requested.toLowerCase();
  const primary = wanted.split('-')[0];
  const exact = available.find((l) => l.toLowerCase() === wanted);
  if (exact) return { locale: exact, exact: true };
  const samePrimary = available.find((l) => l.toLowerCase().split('-')[0] === primary);
  if (samePrimary) return { locale: samePrimary, exact: true };
  return { locale: available[0] as string, exact: false };
}
