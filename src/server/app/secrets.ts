/** The ledger's own secrets: staff tokens (kept only as their SHA-256 where settings are stored) and link secrets. */
import { createHash, randomBytes } from 'node:crypto';

export function hashStaffToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random secret (staff token, link secret): 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
