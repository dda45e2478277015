#!/usr/bin/env node
/**
 * marketing-consent-render: gives each `<marketing-consent>` of static HTML
 * pages its boxes as a declarative shadow root, so they are laid out with the
 * first paint (see the README, "Reserve its space"). For a site's build step.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { declareShadowRoots, MARKETING_CONSENT_STYLE_HASH } from './ssr.js';

const USAGE = `Usage: marketing-consent-render [--lang TAG] [FILE.html ...]

Renders the boxes of each <marketing-consent> that holds its texts as
<template data-text> children into the page, as a declarative shadow root:
the page then keeps its layout when the element's script arrives. Files are
rewritten in place (running it again renders anew); without files, reads
stdin and writes stdout.

  --lang TAG   the language to render where the page names none (no lang
               attribute around the element, no locale on it)

Allow the shadow root's style in the page's Content-Security-Policy:
  style-src 'self' ${MARKETING_CONSENT_STYLE_HASH}`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`marketing-consent-render: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = values.lang ? { locale: values.lang } : {};
  if (positionals.length === 0) {
    process.stdout.write(declareShadowRoots(await text(process.stdin), options));
    return 0;
  }
  for (const file of positionals) {
    try {
      const rendered = declareShadowRoots(await readFile(file, 'utf8'), options);
      // Whole or not at all: a page half written would break the site.
      await writeFile(`${file}.rendering`, rendered);
      await rename(`${file}.rendering`, file);
    } catch (error) {
      process.stderr.write(`marketing-consent-render: ${file}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  process.stderr.write(`Rendered ${positionals.length} file(s). Allow in style-src: ${MARKETING_CONSENT_STYLE_HASH}\n`);
  return 0;
}

process.exitCode = await main();
