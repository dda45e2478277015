/**
 * The ledger's own HTML pages (proof, unsubscribe) are self-contained: one
 * style block, allowed by its hash in the page's Content-Security-Policy
 * rather than by 'unsafe-inline', and no script at all.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export interface StyledPage {
  styles: string;
  /** The page's CSP: nothing but its own style block and same-origin form posts. */
  csp: string;
}

/**
 * The headers of every ledger page: its own CSP; never cached, never
 * indexed (each shows an address, or leads to one); no Referer onward (its
 * link is a capability).
 */
export function setPageHeaders(c: Context, csp: string): void {
  c.header('content-security-policy', csp);
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-robots-tag', 'noindex, nofollow');
}

export function styledPage(styles: string, { dataImages = false } = {}): StyledPage {
  const hash = createHash('sha256').update(styles).digest('base64');
  // dataImages: images the page carries inline (a signature in a proof), never fetched from anywhere.
  return {
    styles,
    csp: `default-src 'none'; style-src 'sha256-${hash}';${dataImages ? ' img-src data:;' : ''} base-uri 'none'; form-action 'self'; frame-ancestors 'self'`,
  };
}

/**
 * The style block must hold exactly `page.styles`: its CSP hash covers every
 * byte, whitespace included (hence one raw string a formatter cannot indent).
 */
export function renderPage(
  page: StyledPage,
  content: { lang: string; title: string; body: HtmlEscapedString | Promise<HtmlEscapedString> },
) {
  return html`<!doctype html>
    <html lang="${content.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${content.title}</title>
        ${raw(`<style>${page.styles}</style>`)}
      </head>
      <body>
        <main>${content.body}</main>
      </body>
    </html>`;
}
