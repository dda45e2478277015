/**
 * The signed unsubscribe link a salon puts into every newsletter. The
 * signature covers purpose and address, so nobody can withdraw someone
 * else's consent by editing the link, and no login is needed to use it.
 */
import { signParts, verifyParts } from './signed-link.js';

export interface UnsubscribeTarget {
  purpose: string;
  /** The e-mail address or phone number the newsletter went to. */
  address: string;
}

const parts = (target: UnsubscribeTarget) => ['marketing-consent unsubscribe v1', target.purpose, target.address];

export function signUnsubscribe(secret: string, target: UnsubscribeTarget): Promise<string> {
  return signParts(secret, parts(target));
}

export function verifyUnsubscribe(secret: string, target: UnsubscribeTarget, signature: string): Promise<boolean> {
  return verifyParts(secret, parts(target), signature);
}

/** The link for a newsletter: `<base>/v1/unsubscribe?p=…&a=…&l=…&sig=…`. */
export async function createUnsubscribeUrl(
  baseUrl: string,
  secret: string,
  target: UnsubscribeTarget & { locale?: string },
): Promise<string> {
  const url = new URL('v1/unsubscribe', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('p', target.purpose);
  url.searchParams.set('a', target.address);
  if (target.locale) url.searchParams.set('l', target.locale);
  url.searchParams.set('sig', await signUnsubscribe(secret, { purpose: target.purpose, address: target.address }));
  return url.href;
}
