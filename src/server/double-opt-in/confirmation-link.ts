/**
 * The signed link in a confirmation mail. It names the grant to confirm, the
 * purpose, the mail it came in and when it stops working; the signature
 * covers all of them and the address, so a link cannot be edited into a
 * confirmation of another grant, address or purpose, or made to live longer.
 */
import { signParts, verifyParts } from '../links/signed-link.js';

export interface ConfirmationTarget {
  grantId: string;
  purpose: string;
  /** The e-mail address the grant names (compared form). */
  address: string;
  mailId: string;
  /** Seconds since the epoch. */
  expires: number;
}

const parts = (t: ConfirmationTarget) => [
  'marketing-consent confirm v1',
  t.grantId,
  t.purpose,
  t.address,
  t.mailId,
  String(t.expires),
];

/** The confirmation URL: `<base>/v1/confirm?g=…&p=…&m=…&e=…&sig=…`. */
export async function createConfirmationUrl(baseUrl: string, secret: string, target: ConfirmationTarget) {
  const url = new URL('v1/confirm', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('g', target.grantId);
  url.searchParams.set('p', target.purpose);
  url.searchParams.set('m', target.mailId);
  url.searchParams.set('e', String(target.expires));
  url.searchParams.set('sig', await signParts(secret, parts(target)));
  return url.href;
}

/** The same URL with its signature taken out: what the ledger keeps of a mail. */
export function withoutSignature(text: string): string {
  return text.replace(/([?&]sig=)[A-Za-z0-9_-]+/g, '$1…');
}

/** The link's parts as given (unverified), or undefined when one is missing. */
export function readConfirmationUrl(url: URL) {
  const get = (name: string) => url.searchParams.get(name) ?? '';
  const expires = Number(get('e'));
  if (!get('g') || !get('p') || !get('m') || !Number.isSafeInteger(expires)) return undefined;
  return { grantId: get('g'), purpose: get('p'), mailId: get('m'), expires, signature: get('sig') };
}

export function verifyConfirmation(secret: string, target: ConfirmationTarget, signature: string): Promise<boolean> {
  return verifyParts(secret, parts(target), signature);
}
