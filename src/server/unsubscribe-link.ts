/**
 * The signed unsubscribe link a salon puts into every newsletter. The
 * signature (HMAC-SHA256 over purpose and address, with a secret only the
 * ledger knows) means nobody can withdraw someone else's consent by editing
 * the link, and no login is needed to use it. Web Crypto, so it runs on any
 * Fetch-based runtime.
 */
export interface UnsubscribeTarget {
  purpose: string;
  /** The e-mail address or phone number the newsletter went to. */
  address: string;
}

const encoder = new TextEncoder();

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

const message = (target: UnsubscribeTarget) =>
  encoder.encode(`marketing-consent unsubscribe v1\n${target.purpose}\n${target.address}`);

function toBase64Url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export async function signUnsubscribe(secret: string, target: UnsubscribeTarget): Promise<string> {
  return toBase64Url(await crypto.subtle.sign('HMAC', await key(secret), message(target)));
}

/** Constant-time check (HMAC verify) that the link was made by this ledger for exactly this target. */
export async function verifyUnsubscribe(
  secret: string,
  target: UnsubscribeTarget,
  signature: string,
): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify('HMAC', await key(secret), bytes, message(target));
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
  url.searchParams.set('sig', await signUnsubscribe(secret, target));
  return url.href;
}
