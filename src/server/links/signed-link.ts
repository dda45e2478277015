/**
 * Links that carry their own permission: an HMAC-SHA256 over what the link
 * is for, with a secret only the ledger knows. Changing any part of the link
 * breaks the signature. Web Crypto, so it runs on any Fetch-based runtime.
 */
const encoder = new TextEncoder();

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** Parts are joined with newlines, which none of them may contain. */
const message = (parts: readonly string[]) => encoder.encode(parts.map((part) => part.replace(/\n/g, ' ')).join('\n'));

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

export async function signParts(secret: string, parts: readonly string[]): Promise<string> {
  return toBase64Url(await crypto.subtle.sign('HMAC', await key(secret), message(parts)));
}

/** Constant-time check (HMAC verify) that the signature was made for exactly these parts. */
export async function verifyParts(secret: string, parts: readonly string[], signature: string): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify('HMAC', await key(secret), bytes, message(parts));
}
