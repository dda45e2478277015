/**
 * `<marketing-consent>` rendered on the server: its boxes and texts in a
 * declarative shadow root, so the browser lays them out with the first paint
 * and nothing below them moves when the script arrives (the element empties
 * that root and renders the same again in one task; see createRenderRoot).
 * Rendered by Lit's own server renderer from the element's own template: the
 * markup cannot drift from what the browser renders.
 */
import { createHash } from 'node:crypto';
import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html, unsafeStatic } from 'lit/static-html.js';
import '../elements/marketing-consent/marketing-consent.js';
import { styles } from '../elements/marketing-consent/marketing-consent.styles.js';
import type { LegalTexts } from '../elements/marketing-consent/settings.js';
import { consentElementsIn } from './consent-elements.js';

/** What the server rendering needs besides the element's own settings. */
export interface ServerRenderOptions {
  /** The CSP nonce of the page, set on the shadow root's `<style>`; or allow MARKETING_CONSENT_STYLE_HASH. */
  nonce?: string;
  /** The language to render where the page names none (no `lang` around the element, no `locale`). */
  locale?: string;
}

/** The element's settings as `renderMarketingConsent` takes them: the attributes, and the texts. */
export interface MarketingConsentMarkup {
  salon: string;
  textVersion: string;
  privacyUrl: string;
  /** By language tag: each purpose id mapped to its text, and `notice` to the shared line. */
  texts: LegalTexts;
  /** The page's language: the texts shown are this language's. */
  locale: string;
  endpoint?: string;
  purposes?: readonly string[];
  emailField?: string;
  phoneField?: string;
  customerIdField?: string;
  name?: string;
  noConfirmationHint?: boolean;
}

/**
 * The CSP source that allows the shadow root's `<style>`, for pages whose
 * policy lists hashes rather than a nonce: add it to `style-src`. It changes
 * only when the element's styles change (a new release).
 */
export const MARKETING_CONSENT_STYLE_HASH = `'sha256-${createHash('sha256')
  .update(
    [styles]
      .flat()
      .map((style) => style.cssText)
      .join(''),
  )
  .digest('base64')}'`;

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const escapeText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Attributes as HTML, each after a space. */
const attributesHtml = (attributes: Map<string, string>) =>
  [...attributes].map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');

/**
 * The `<template shadowrootmode="open">` for an element with these
 * attributes and texts, showing `locale`. Lit's part markers are left out:
 * the browser renders afresh rather than hydrating. Its boxes are inert
 * until then: a tick before the script runs would be lost in that render,
 * and without the script no tick is recorded at all.
 */
function shadowRootFor(attributes: Map<string, string>, texts: LegalTexts, locale: string, nonce?: string): string {
  const rendered = collectResultSync(
    render(
      html`<marketing-consent${unsafeStatic(attributesHtml(attributes))} .texts=${texts} .locale=${locale}></marketing-consent>`,
    ),
  );
  const root = /<template shadowroot="open" shadowrootmode="open">[\s\S]*<\/template>/.exec(rendered)?.[0];
  if (!root) throw new Error('the server renderer gave <marketing-consent> no shadow root');
  return root
    .replace(/<!--\/?lit-(part|node)[^>]*-->/g, '')
    .replace('<template shadowroot="open" shadowrootmode="open">', '<template shadowrootmode="open">')
    .replace('<style>', nonce ? `<style nonce="${escapeAttribute(nonce)}">` : '<style>')
    .replace('<fieldset ', '<fieldset inert ');
}

/**
 * The whole element for a page built on the server: its attributes, its
 * shadow root, and its texts as `<template data-text>` children, which the
 * browser's element reads again when it upgrades.
 */
export function renderMarketingConsent(markup: MarketingConsentMarkup, options: ServerRenderOptions = {}): string {
  const attributes = new Map<string, string>();
  const set = (name: string, value: string | undefined) => void (value !== undefined && attributes.set(name, value));
  set('endpoint', markup.endpoint);
  set('salon', markup.salon);
  set('purposes', markup.purposes?.join(' '));
  set('text-version', markup.textVersion);
  set('privacy-url', markup.privacyUrl);
  set('locale', markup.locale);
  set('email-field', markup.emailField);
  set('phone-field', markup.phoneField);
  set('customer-id-field', markup.customerIdField);
  set('name', markup.name);
  if (markup.noConfirmationHint) set('no-confirmation-hint', '');
  const templates = Object.entries(markup.texts).flatMap(([lang, byKey]) =>
    Object.entries(byKey).map(
      ([key, text]) =>
        `<template data-text="${escapeAttribute(key)}" lang="${escapeAttribute(lang)}">${escapeText(text)}</template>`,
    ),
  );
  return `<marketing-consent${attributesHtml(attributes)}>${shadowRootFor(attributes, markup.texts, markup.locale, options.nonce)}${templates.join('')}</marketing-consent>`;
}

/**
 * The page with each `<marketing-consent>` that holds its texts (as
 * `<template data-text>` children) given its shadow root, in the language
 * the browser will show: the element's `locale`, else the nearest `lang`.
 * A root an earlier run declared is rendered anew (the texts may have
 * changed); everything else on the page stays byte for byte as it was. For
 * servers that send pages as HTML, and for static sites at build time.
 */
export function declareShadowRoots(page: string, options: ServerRenderOptions = {}): string {
  let out = '';
  let at = 0;
  for (const element of consentElementsIn(page)) {
    if (Object.keys(element.texts).length === 0) continue; // Texts set by script: nothing to render from.
    const locale = element.attributes.get('locale') ?? element.lang ?? options.locale;
    if (!locale) {
      throw new Error(
        'a <marketing-consent> has no language: set lang on <html> (or locale on the element, or pass options.locale), so the server renders the language the browser will show',
      );
    }
    const root = shadowRootFor(element.attributes, element.texts, locale, options.nonce);
    const earlier = element.declaredRoot;
    out +=
      page.slice(at, element.contentStart) + root + (earlier ? page.slice(element.contentStart, earlier.start) : '');
    at = earlier?.end ?? element.contentStart;
  }
  return out + page.slice(at);
}
