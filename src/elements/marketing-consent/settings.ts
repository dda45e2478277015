/**
 * The element's settings: what a page may configure and how each is
 * validated. A page configures with HTML alone (attributes and
 * `<template data-text>` children) or with JS properties; both arrive here
 * as one plain object.
 *
 * This runs before the boxes show, so it is small and says only *what* is
 * wrong, as codes: the words that name each problem and its fix live in
 * settings-messages.ts, which a page loads only when a setting is wrong.
 */
import {
  DEFAULT_PURPOSES,
  KNOWN_PURPOSES,
  LANGUAGE_TAG_PATTERN,
  type KnownPurpose,
} from '../../contract/vocabulary.js';
import { disallowedHrefs, isAllowedHref } from '../../legal-text/legal-markup.js';
import { uiLocaleOf, type UiLocale } from '../../legal-text/ui-strings.js';

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

/** What can be wrong with a setting; settings-messages.ts words each one. */
export type ProblemCode =
  | 'missing'
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'not-https'
  | 'not-allowed-href'
  | 'not-a-language-tag'
  | 'not-a-field-name'
  | 'not-a-list'
  | 'no-purpose'
  | 'unknown-purpose'
  | 'purpose-twice'
  | 'no-texts'
  | 'not-a-text-language'
  | 'disallowed-link'
  | 'no-withdrawal'
  | 'incomplete-language';

/** One wrong setting: where, what is wrong, and whether the box can still be offered. */
export interface SettingProblem {
  /** The setting's property name, or a path into it: `textVersion`, `purposes.1`, `texts.de.notice`. */
  setting: string;
  code: ProblemCode;
  /** What the message quotes: the unknown purpose, the link, the length limit, the language shown instead. */
  detail?: string;
  /** True when the legal text cannot be shown complete, so no box may be offered. */
  blocksConsent: boolean;
}

const FIELD_NAME = /^[^\s"'<>]{1,100}$/;

/** Settings without which the customer would not see the complete legal text. */
const LEGAL_SETTINGS: readonly (keyof ConsentSettings)[] = ['salon', 'purposes', 'textVersion', 'texts', 'privacyUrl'];

/**
 * Words that say how to withdraw, per language: a notice without any of
 * them fails the information duty (GDPR Art. 7(3): the customer must be told
 * before agreeing that they can withdraw). Stems, matched case-insensitively.
 */
const WITHDRAWAL_WORDS: Record<UiLocale, readonly string[]> = {
  de: ['widerruf', 'widerrufen', 'abmeld', 'abbestell', 'austragen'],
  fr: ['retir', 'révoqu', 'revoqu', 'désinscri', 'desinscri', 'désabonn', 'desabonn'],
  it: ['revoc', 'ritir', 'disiscri', 'annull', 'cancell'],
  en: ['withdraw', 'unsubscribe', 'revoke', 'opt out', 'opt-out'],
};

function mentionsWithdrawal(locale: string, notice: string): boolean {
  const language = uiLocaleOf(locale);
  const words = language ? WITHDRAWAL_WORDS[language] : Object.values(WITHDRAWAL_WORDS).flat();
  const text = notice.toLowerCase();
  return words.some((word) => text.includes(word));
}

function isEndpointUrl(value: string): boolean {
  try {
    const url = new URL(value, document.baseURI);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Checks one setting. Each check returns the value to use, or reports what
 * is wrong through `fail` and returns undefined.
 */
type Check<T> = (
  value: unknown,
  fail: (code: ProblemCode, detail?: string, path?: string) => undefined,
) => T | undefined;

/** A string that passes `test`, else the problem `code`. */
const stringThat =
  (test: (text: string) => boolean, code: ProblemCode): Check<string> =>
  (value, fail) => {
    if (typeof value !== 'string') return fail('not-a-string');
    if (!test(value)) return fail(code);
    return value;
  };

/** A text a customer reads: trimmed, not empty, not longer than `max`. */
const requiredText =
  (max: number): Check<string> =>
  (value, fail) => {
    if (typeof value !== 'string') return fail('not-a-string');
    const text = value.trim();
    if (!text) return fail('empty');
    if (text.length > max) return fail('too-long', String(max));
    return text;
  };

const fieldName = stringThat((name) => FIELD_NAME.test(name), 'not-a-field-name');

const purposeList: Check<KnownPurpose[]> = (value, fail) => {
  if (!Array.isArray(value)) return fail('not-a-list');
  let ok = true;
  value.forEach((id: unknown, index) => {
    if ((KNOWN_PURPOSES as readonly unknown[]).includes(id)) return;
    ok = false;
    fail('unknown-purpose', String(id), String(index));
  });
  if (value.length === 0) return fail('no-purpose');
  if (new Set(value).size !== value.length) return fail('purpose-twice');
  return ok ? (value as KnownPurpose[]) : undefined;
};

/** Every setting but the texts, in the order their problems are listed; only REQUIRED ones must be set. */
const CHECKS = {
  endpoint: stringThat(isEndpointUrl, 'not-https'),
  salon: requiredText(120),
  purposes: purposeList,
  textVersion: requiredText(64),
  privacyUrl: stringThat(isAllowedHref, 'not-allowed-href'),
  locale: stringThat((tag) => LANGUAGE_TAG_PATTERN.test(tag), 'not-a-language-tag'),
  emailField: fieldName,
  phoneField: fieldName,
  customerIdField: fieldName,
  name: fieldName,
} satisfies { [K in Exclude<keyof ConsentSettings, 'texts'>]: Check<unknown> };
const REQUIRED: readonly (keyof ConsentSettings)[] = ['salon', 'textVersion', 'privacyUrl'];

type Checked = { -readonly [K in keyof typeof CHECKS]?: Exclude<ReturnType<(typeof CHECKS)[K]>, undefined> };

/**
 * Checks each language's texts: every purpose and the shared notice. A
 * language with a gap is left out (its customers see the salon's first
 * complete language instead); only when no language is complete is no box
 * shown. Every problem names the language and the text it concerns.
 */
function checkTexts(
  texts: LegalTexts | undefined,
  purposes: readonly string[],
): { problems: SettingProblem[]; complete: LegalTexts } {
  const problems: SettingProblem[] = [];
  const add = (setting: string, code: ProblemCode, detail?: string) =>
    problems.push({ setting, code, ...(detail === undefined ? {} : { detail }), blocksConsent: true });
  const complete: LegalTexts = {};
  if (typeof texts !== 'object' || texts === null) add('texts', 'missing');
  else if (Object.keys(texts).length === 0) add('texts', 'no-texts');
  const locales = Object.keys(texts ?? {});
  for (const locale of locales) {
    if (!LANGUAGE_TAG_PATTERN.test(locale)) {
      add('texts', 'not-a-text-language', locale);
      continue;
    }
    const before = problems.length;
    for (const key of [...purposes, 'notice']) {
      const value: unknown = texts![locale]?.[key];
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (!text) add(`texts.${locale}.${key}`, 'missing');
      else for (const href of disallowedHrefs(text)) add(`texts.${locale}.${key}`, 'disallowed-link', href);
    }
    if (problems.length === before) complete[locale] = texts![locale]!;
  }
  const shown = Object.keys(complete)[0];
  for (const p of problems) p.blocksConsent = !shown;
  if (!shown) return { problems, complete };
  for (const [locale, localeTexts] of Object.entries(complete)) {
    if (!mentionsWithdrawal(locale, localeTexts['notice']!)) {
      problems.push({ setting: `texts.${locale}.notice`, code: 'no-withdrawal', blocksConsent: false });
    }
  }
  for (const locale of locales) {
    if (LANGUAGE_TAG_PATTERN.test(locale) && !complete[locale]) {
      problems.push({ setting: `texts.${locale}`, code: 'incomplete-language', detail: shown, blocksConsent: false });
    }
  }
  return { problems, complete };
}

/** Validates settings; a config comes back only if the legal text can be shown complete. */
export function validateSettings(settings: ConsentSettings): { config?: ConsentConfig; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const valid: Checked = {};
  for (const [key, check] of Object.entries(CHECKS) as [keyof typeof CHECKS, Check<unknown>][]) {
    // Empty attributes mean "not set", so the defaults and "is missing" apply.
    const value = settings[key] === '' ? undefined : settings[key];
    const blocksConsent = LEGAL_SETTINGS.includes(key);
    if (value === undefined) {
      if (REQUIRED.includes(key)) problems.push({ setting: key, code: 'missing', blocksConsent });
      continue;
    }
    const result = check(
      value,
      (code, detail, path) =>
        void problems.push({
          setting: path ? `${key}.${path}` : key,
          code,
          ...(detail === undefined ? {} : { detail }),
          blocksConsent,
        }),
    );
    // Only valid values reach the config: a wrong setting outside the legal
    // text (say, the endpoint) is left out, so the box still works as a form field.
    if (result !== undefined) (valid as Record<string, unknown>)[key] = result;
  }
  // Check the texts against the purposes asked for, even when other settings are wrong,
  // so one message lists everything to fix.
  const asked = settings.purposes?.length ? settings.purposes : (valid.purposes ?? DEFAULT_PURPOSES);
  const texts = checkTexts(settings.texts, asked);
  problems.push(...texts.problems);
  if (problems.some((p) => p.blocksConsent)) return { problems };
  return {
    problems,
    config: {
      endpoint: valid.endpoint,
      salon: valid.salon!,
      purposes: valid.purposes ?? [...DEFAULT_PURPOSES],
      textVersion: valid.textVersion!,
      // Only complete languages: an incomplete one falls back to the first complete one.
      texts: texts.complete,
      privacyUrl: valid.privacyUrl!,
      locale: valid.locale,
      fields: {
        email: valid.emailField ?? 'email',
        phone: valid.phoneField ?? 'phone',
        customerId: valid.customerIdField,
      },
      name: valid.name ?? 'marketing-consent',
    },
  };
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
