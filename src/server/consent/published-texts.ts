/**
 * The register of published texts, made from the booking page itself: each
 * `<marketing-consent>` on the page, with its `<template data-text>`
 * children, composed and fingerprinted exactly as the element does when a
 * customer ticks. So the register cannot drift from what customers see.
 */
import { createHash } from 'node:crypto';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { DEFAULT_PURPOSES } from '../../contract/vocabulary.js';
import { composeWidgetText } from '../../legal-text/widget-text.js';
import type { PublishedText } from './text-registry.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

type Template = DefaultTreeAdapterMap['template'];

const isElement = (node: Node): node is Element => 'tagName' in node;
const isTemplate = (node: Node): node is Template => isElement(node) && node.tagName === 'template';
const attribute = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function* elements(node: Node): Generator<Element> {
  if (isElement(node)) yield node;
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) yield* elements(child);
  if (isTemplate(node)) yield* elements(node.content);
}

/** The text a node holds, as the DOM's textContent reads it. */
function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  const children = [...('childNodes' in node ? node.childNodes : [])];
  if (isTemplate(node)) children.push(...node.content.childNodes);
  return children.map(textOf).join('');
}

/** Every published text on a page: one entry per element, text version and language. */
export function publishedTextsFromHtml(html: string): { texts: PublishedText[]; problems: string[] } {
  const document = parse(html);
  const texts: PublishedText[] = [];
  const problems: string[] = [];
  const parents = new Map<Node, Element>();
  for (const element of elements(document)) for (const child of element.childNodes) parents.set(child, element);
  const inheritedLang = (node: Node): string | undefined => {
    for (let at = parents.get(node); at; at = parents.get(at)) {
      const lang = attribute(at, 'lang');
      if (lang) return lang;
    }
    return undefined;
  };
  for (const element of elements(document)) {
    if (element.tagName !== 'marketing-consent') continue;
    const salon = attribute(element, 'salon');
    const version = attribute(element, 'text-version');
    const privacyUrl = attribute(element, 'privacy-url');
    const missing = [!salon && 'salon', !version && 'text-version', !privacyUrl && 'privacy-url'].filter(Boolean);
    if (missing.length) {
      problems.push(
        `a <marketing-consent> without ${missing.join(', ')}: set them as attributes to register its texts`,
      );
      continue;
    }
    const purposes = attribute(element, 'purposes')
      ?.split(/[\s,]+/)
      .filter(Boolean) ?? [...DEFAULT_PURPOSES];
    const byLocale: Record<string, Record<string, string>> = {};
    for (const child of element.childNodes) {
      if (!isElement(child) || child.tagName !== 'template') continue;
      const key = attribute(child, 'data-text');
      if (!key) continue;
      const locale = attribute(child, 'lang') || attribute(element, 'lang') || inheritedLang(element) || 'und';
      // As the element reads it: line breaks and indentation collapsed.
      (byLocale[locale] ??= {})[key] = textOf(child).replace(/\s+/g, ' ').trim();
    }
    if (Object.keys(byLocale).length === 0) {
      problems.push(
        `<marketing-consent text-version="${version}"> has no <template data-text> children; texts set by script cannot be read from the page`,
      );
    }
    for (const [locale, localeTexts] of Object.entries(byLocale)) {
      const gaps = [...purposes, 'notice'].filter((key) => !localeTexts[key]);
      if (gaps.length) {
        problems.push(
          `text version ${version} in ${locale} lacks ${gaps.join(', ')}: the element shows another language instead`,
        );
        continue;
      }
      const text = composeWidgetText({ salon: salon!, purposes, privacyUrl: privacyUrl!, locale, texts: localeTexts });
      texts.push({ version: version!, locale, sha256: createHash('sha256').update(text).digest('hex') });
    }
  }
  return { texts, problems };
}

/** A register with new entries added: earlier versions stay (old records still name them). */
export function mergePublishedTexts(
  register: readonly PublishedText[],
  found: readonly PublishedText[],
): { register: PublishedText[]; added: PublishedText[]; conflicts: string[] } {
  const merged = [...register];
  const added: PublishedText[] = [];
  const conflicts: string[] = [];
  for (const text of found) {
    const known = merged.find((entry) => entry.version === text.version && entry.locale === text.locale);
    if (!known) {
      merged.push(text);
      added.push(text);
    } else if (known.sha256 !== text.sha256) {
      conflicts.push(
        `text version ${text.version} (${text.locale}) on the page differs from the registered one: a changed text needs a new text-version`,
      );
    }
  }
  return { register: merged, added, conflicts };
}
