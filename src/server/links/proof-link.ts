/**
 * Short-lived signed links to one customer's printable proof. Staff tools
 * authenticate with a token in a header, which a new browser tab cannot
 * send; so the staff API hands out a link that opens the proof page for ten
 * minutes, for that one customer, and nothing else.
 */
import type { SubjectQuery } from '../consent/consent-status.js';
import { signParts, verifyParts } from './signed-link.js';

export const PROOF_LINK_LIFETIME_MS = 10 * 60_000;

const parts = (query: SubjectQuery, expires: string) => [
  'marketing-consent proof v1',
  query.email ?? '',
  query.phone ?? '',
  query.customerId ?? '',
  expires,
];

export async function createProofUrl(
  baseUrl: string,
  secret: string,
  query: SubjectQuery,
  now = Date.now(),
): Promise<string> {
  const url = new URL('v1/proof', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const key of ['email', 'phone', 'customerId'] as const) if (query[key]) url.searchParams.set(key, query[key]);
  const expires = String(Math.floor((now + PROOF_LINK_LIFETIME_MS) / 1000));
  url.searchParams.set('exp', expires);
  url.searchParams.set('sig', await signParts(secret, parts(query, expires)));
  return url.href;
}

/** The customer a proof link is for, if its signature holds and it has not expired. */
export async function verifyProofLink(secret: string, url: URL, now = Date.now()): Promise<SubjectQuery | undefined> {
  const query: SubjectQuery = {};
  for (const key of ['email', 'phone', 'customerId'] as const) {
    const value = url.searchParams.get(key);
    if (value) query[key] = value;
  }
  const expires = url.searchParams.get('exp') ?? '';
  if (!/^\d+$/.test(expires) || Number(expires) * 1000 < now || Object.keys(query).length === 0) return undefined;
  return (await verifyParts(secret, parts(query, expires), url.searchParams.get('sig') ?? '')) ? query : undefined;
}
