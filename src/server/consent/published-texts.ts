/**
 * The register of published texts, made from the booking page itself: each
 * `<marketing-consent>` on the page, with its `<template data-text>`
 * children, composed and fingerprinted exactly as the element does when a
 * customer ticks. So the register cannot drift from what customers see.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PURPOSES } from '../../contract/vocabulary.js';
import { composeWidgetText } from '../../legal-text/widget-text.js';
import { consentElementsIn } from '../../page-markup/consent-elements.js';
import type { PublishedText } from './text-registry.js';

/** Every published text on a page: one entry per element, text version and language. */
export function publishedTextsFromHtml(html: string): { texts: PublishedText[]; problems: string[] } {
  const texts: PublishedText[] = [];
  const problems: string[] = [];
  for (const { attributes, texts: byLocale } of consentElementsIn(html)) {
    const salon = attributes.get('salon');
    const version = attributes.get('text-version');
    const privacyUrl = attributes.get('privacy-url');
    const missing = [!salon && 'salon', !version && 'text-version', !privacyUrl && 'privacy-url'].filter(Boolean);
    if (missing.length) {
      problems.push(
        `a <marketing-consent> without ${missing.join(', ')}: set them as attributes to register its texts`,
      );
      continue;
    }
    const purposes = attributes
      .get('purposes')
      ?.split(/[\s,]+/)
      .filter(Boolean) ?? [...DEFAULT_PURPOSES];
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
