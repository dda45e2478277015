/**
 * The salon's legal texts are plain text with one piece of markup:
 * `[link text](https://…)`. Everything else, including anything that looks
 * like HTML, is text. The element renders the segments as text nodes and
 * anchors (never innerHTML), and the ledger prints them the same way.
 */

export type LegalSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const LINK = /\[([^[\]\n]+)\]\(([^)\s]+)\)/g;

/**
 * Links may point to https pages, mailto addresses, or a path on the page's
 * own site ("/datenschutz"). Anything else (javascript:, data:, http:) could
 * run code, leak the customer's data or be tampered with in transit.
 */
export function isAllowedHref(href: string): boolean {
  // A same-site path starts with one "/" and has no backslash: browsers read
  // "//host" and "/\\host" as links to another host.
  if (/^\/(?![/\\])[^\\\s]*$/.test(href)) return true;
  return /^(https:\/\/[^\s/]+|mailto:[^\s]+@[^\s]+)/i.test(href);
}

/** Splits a legal text into text and link segments; a link with a disallowed target stays text. */
export function parseLegalMarkup(markup: string): LegalSegment[] {
  const segments: LegalSegment[] = [];
  let last = 0;
  for (const match of markup.matchAll(LINK)) {
    const [whole, text, href] = match as unknown as [string, string, string];
    if (!isAllowedHref(href)) continue;
    if (match.index > last) segments.push({ kind: 'text', text: markup.slice(last, match.index) });
    segments.push({ kind: 'link', text, href });
    last = match.index + whole.length;
  }
  if (last < markup.length) segments.push({ kind: 'text', text: markup.slice(last) });
  return segments;
}

/** The link targets in a text that are not allowed, for configuration errors. */
export function disallowedHrefs(markup: string): string[] {
  return Array.from(markup.matchAll(LINK), (match) => match[2] as string).filter((href) => !isAllowedHref(href));
}

/** The text as a reader sees it: link markup reduced to the link text. */
export function plainText(markup: string): string {
  return parseLegalMarkup(markup)
    .map((segment) => segment.text)
    .join('');
}

/** Everything the widget shows, in reading order, as the record keeps it. */
export interface NoticeParts {
  heading: string;
  purposes: readonly { label: string; text: string }[];
  notice: string;
  privacyLink: { label: string; href: string };
}

/**
 * The one canonical form of the complete text shown to the customer: the
 * heading, each purpose's label and legal text, then the shared notice with
 * the privacy-notice link. Its SHA-256 is the record's fingerprint, so the
 * element, tests and ledgers must all compose it here.
 */
export function composeNoticeText(parts: NoticeParts): string {
  const blocks = [
    parts.heading,
    ...parts.purposes.map((purpose) => `${purpose.label}\n${purpose.text}`),
    `${parts.notice} [${parts.privacyLink.label}](${parts.privacyLink.href})`,
  ];
  return blocks.map((block) => block.trim()).join('\n\n');
}
