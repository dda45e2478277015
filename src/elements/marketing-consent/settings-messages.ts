/**
 * The words for a page that sets the element up wrong: what is wrong and how
 * to fix it, for the web developer reading the console. Loaded only when
 * there is something to say, so pages set up right never download them.
 */
import { KNOWN_PURPOSES } from '../../contract/vocabulary.js';
import { inLanguage, type UiLocale } from '../../legal-text/ui-strings.js';
import type { ConsentSettings, ProblemCode, SettingProblem } from './settings.js';

const EXAMPLE_ENDPOINT = 'https://consent.example-salon.ch/v1/consent-events';

/** How to set each setting right. */
const FIXES: Record<keyof ConsentSettings, string> = {
  endpoint: `set endpoint="${EXAMPLE_ENDPOINT}" (https; http only on localhost), or leave it out to submit the box with the form only`,
  salon: 'set salon="Salon Bella", the name customers know you by',
  purposes: `set purposes="${KNOWN_PURPOSES.join(' ')}" (space-separated, each at most once) or leave it out for the e-mail newsletter only`,
  textVersion:
    'set text-version="2026-11-01" to the version of your legal text, and change it whenever the text changes',
  texts:
    'add <template data-text="email-newsletter" lang="de">…</template> and <template data-text="notice" lang="de">…</template> inside the element, or set the texts property',
  privacyUrl:
    'set privacy-url="https://example-salon.ch/datenschutz" (https, or a path on your site such as /datenschutz)',
  locale: 'set locale="de" (a language tag), or leave it out to follow the lang attribute',
  emailField: 'set email-field to the name of the form field holding the e-mail address',
  phoneField: 'set phone-field to the name of the form field holding the phone number',
  customerIdField: "set customer-id-field to the name of the form field holding your platform's customer id",
  name: 'set name to the form field name the consent is submitted under, e.g. name="marketing-consent"',
};

const WITHDRAWAL_EXAMPLE: Record<UiLocale, string> = {
  de: 'Widerruf jederzeit über den Abmeldelink in jeder Nachricht',
  fr: 'Vous pouvez retirer votre consentement à tout moment via le lien de désinscription',
  it: 'Può revocare il consenso in qualsiasi momento tramite il link di disiscrizione',
  en: 'You can withdraw at any time with the unsubscribe link in every message',
};

/** What is wrong, worded; `setting` is the problem's setting or path (texts.de.notice). */
const PROBLEMS: Record<ProblemCode, (detail: string | undefined, setting: string) => string> = {
  // "texts are missing", but "texts.de.notice is missing".
  missing: (_, setting) => (setting === 'texts' ? 'are missing' : 'is missing'),
  'not-a-string': () => 'must be a string',
  empty: () => 'is empty',
  'too-long': (max) => `is longer than ${max} characters`,
  'not-https': () => 'is not an https URL',
  'not-allowed-href': () => 'is not an https URL or a path on this site',
  'not-a-language-tag': () => 'is not a language tag',
  'not-a-field-name': () => 'is not a usable form field name',
  'not-a-list': () => 'must be a list of purposes',
  'no-purpose': () => 'names no purpose',
  'unknown-purpose': (id) => `names the unknown purpose "${id}"`,
  'purpose-twice': () => 'names a purpose twice',
  'no-texts': () => 'are empty',
  'not-a-text-language': (key) => `has the key "${key}", which is not a language tag such as de or de-CH`,
  'disallowed-link': (href) => `links to "${href}", which is not allowed`,
  'no-withdrawal': () => 'does not say how to withdraw the consent',
  'incomplete-language': (shown, setting) =>
    `is incomplete, so customers reading ${setting.split('.')[1]} see the texts in ${shown}`,
};

/** The attribute a setting is written as in HTML: textVersion → text-version. */
const attributeOf = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function fixFor({ setting, code }: SettingProblem): string {
  const [key, locale = '', text = ''] = setting.split('.') as [keyof ConsentSettings, string?, string?];
  if (code === 'disallowed-link')
    return 'link only to https:// pages, mailto: addresses or paths on your site such as /datenschutz';
  if (code === 'no-withdrawal') {
    const example = inLanguage(WITHDRAWAL_EXAMPLE, locale);
    return `say that and how customers can withdraw at any time, e.g. "${example}" (GDPR Art. 7(3))`;
  }
  if (code === 'incomplete-language') return 'complete it as listed above';
  if (key === 'texts' && text) {
    return `add <template data-text="${text}" lang="${locale}">…</template> inside the element, or set texts.${locale}["${text}"]`;
  }
  return FIXES[key];
}

/** One problem as a line: the setting as the page writes it, what is wrong, and the fix. */
export function describeProblem(problem: SettingProblem): string {
  const { setting, code, detail } = problem;
  const path = setting.includes('.') ? setting : attributeOf(setting);
  return `${path} ${PROBLEMS[code](detail, setting)}: ${fixFor(problem)}.`;
}

/** One console message for all problems, each naming its setting and its fix. */
export function describeProblems(tag: string, problems: readonly SettingProblem[]): string {
  const lead = problems.some((p) => p.blocksConsent)
    ? `<${tag}> shows no checkbox until its legal text is complete (no consent without information). Fix:`
    : `<${tag}> has settings to fix:`;
  return [lead, ...problems.map((p) => `  • ${describeProblem(p)}`)].join('\n');
}

/** How a page tried to tick a box in the customer's place. */
export type PreTick = 'property-early' | 'property' | 'attribute' | 'script';

const PRE_TICKS: Record<PreTick, string> = {
  'property-early': 'the checked property was set before the element loaded',
  property: 'the checked property was set by a script',
  attribute: 'the page set the checked attribute',
  script: 'a script clicked or changed the box',
};

/** What the element says about its set-up besides wrong settings; each names the fix. */
export const NOTES = {
  preTick: (how: PreTick) =>
    `stays unticked: ${PRE_TICKS[how]}, but only the customer's own tick is consent (GDPR Art. 4(11), CJEU C-673/17 Planet49). Remove the pre-ticking.`,
  noEndpoint: () =>
    'has no endpoint: the consent is submitted with the form only, not posted to a ledger. Set endpoint to record it.',
  noTextIn: (requested: string, shown: string) =>
    `has no legal text for "${requested}"; showing "${shown}". Add texts for ${requested} so customers read them in their language.`,
};
