/**
 * The `<marketing-consent>` elements of a page's HTML, read as the element
 * reads itself in the browser: its attributes, and its legal texts from its
 * `<template data-text>` children by language (a template without `lang`
 * takes the nearest one around it), line breaks and indentation collapsed.
 * The register of published texts and the server rendering both read pages
 * through this, so neither can drift from what customers see.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { LegalTexts } from '../elements/marketing-consent/settings.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type Template = DefaultTreeAdapterMap['template'];

/** One element as the page wrote it. */
export interface ConsentElementInHtml {
  /** Its attributes, decoded, in the page's order. */
  attributes: Map<string, string>;
  /** Its texts by language; empty when the page sets them by script. */
  texts: LegalTexts;
  /** The nearest `lang` around it, the element's own included. */
  lang: string | undefined;
  /** Where its start tag ends in the HTML: its content starts there. */
  contentStart: number;
  /** Where a shadow root declared by an earlier rendering lies in the HTML. */
  declaredRoot: { start: number; end: number } | undefined;
}

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

/** Every `<marketing-consent>` in the HTML, in document order. */
export function consentElementsIn(html: string): ConsentElementInHtml[] {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const parents = new Map<Node, Element>();
  for (const element of elements(document)) for (const child of element.childNodes) parents.set(child, element);
  const langOf = (node: Element): string | undefined => {
    for (let at: Element | undefined = node; at; at = parents.get(at)) {
      const lang = attribute(at, 'lang');
      if (lang) return lang;
    }
    return undefined;
  };
  const found: ConsentElementInHtml[] = [];
  for (const element of elements(document)) {
    if (element.tagName !== 'marketing-consent') continue;
    const lang = langOf(element);
    const texts: LegalTexts = {};
    let declaredRoot: ConsentElementInHtml['declaredRoot'];
    for (const child of element.childNodes) {
      const childAt = child.sourceCodeLocation;
      if (isTemplate(child) && attribute(child, 'shadowrootmode') && childAt)
        declaredRoot ??= { start: childAt.startOffset, end: childAt.endOffset };
      if (!isTemplate(child)) continue;
      const key = attribute(child, 'data-text');
      if (!key) continue;
      (texts[attribute(child, 'lang') || lang || 'und'] ??= {})[key] = textOf(child).replace(/\s+/g, ' ').trim();
    }
    found.push({
      attributes: new Map(element.attrs.map(({ name, value }) => [name, value])),
      texts,
      lang,
      contentStart: element.sourceCodeLocation?.startTag?.endOffset ?? 0,
      declaredRoot,
    });
  }
  return found;
}
