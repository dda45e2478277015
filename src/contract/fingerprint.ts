/**
 * SHA-256 of a text's UTF-8 bytes as lowercase hex: the fingerprint that ties
 * a record to the exact text the customer saw. Web Crypto exists in every
 * supported browser (in secure contexts) and in Node 20, so browser and
 * server compute it with the same code.
 */
export async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error(
      'Web Crypto is unavailable: the page must be served over https (or from localhost) to fingerprint the consent text.',
    );
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
