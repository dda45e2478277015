/**
 * Personal data apart from what is chained (crypto-shredding).
 *
 * Every record is split in two before it is stored: its public part (ids,
 * purposes and decisions, the text shown and its fingerprint, times, the
 * staff member's name) stays readable in the chain; its personal part (who
 * the customer is, the page and booking, evidence and reasons, the mail sent
 * to them, their client address and browser) is sealed with AES-256-GCM
 * under a key of its own. The hash chain covers the public part and the
 * sealed bytes, so it never needs a key to verify. Erasing a record destroys
 * its key: the sealed bytes stay in the chain, every hash still holds, and
 * nothing can open them again.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const RECORD_KEY_BYTES = 32;

/**
 * The fields that say who the customer is or what they did as a person.
 * Anything else in a record is about the salon and the act, and is needed
 * to prove what was shown and decided even after an erasure.
 */
export const PERSONAL_FIELDS: readonly (readonly string[])[] = [
  ['subject'],
  ['bookingRef'],
  // The page may carry booking or customer ids in its query.
  ['source', 'pageUrl'],
  // Free text staff write about the customer.
  ['staff', 'evidence'],
  ['reason'],
  // A newsletter tool's id of a message or complaint leads to the person in that tool.
  ['suppression', 'reference'],
  // What the old system or the signed form says about the customer.
  ['import', 'evidence'],
  // The customer's signature: their drawn image, or their typed name.
  ['signature', 'image'],
  ['signature', 'name'],
  ['mail', 'to'],
  // The mail's text names the address in its link; its hash would let anyone test a guessed address.
  ['mail', 'text'],
  ['mail', 'sha256'],
  // SMTP replies usually repeat the address ("550 <anna@…>: no such user").
  ['smtpReply'],
  // The number an SMS went to, and the customer's reply: their number and their own words.
  ['sms', 'to'],
  ['reply', 'from'],
  ['reply', 'text'],
  ['signUpClientAddress'],
  ['clientAddress'],
  ['userAgent'],
];

type Json = Record<string, unknown>;

/** The personal fields at the top of a record, and those one level down, by the field they sit in. */
const PERSONAL_AT_TOP = new Set(PERSONAL_FIELDS.filter((path) => path.length === 1).map(([field]) => field!));
const PERSONAL_INSIDE = new Map<string, string[]>();
for (const path of PERSONAL_FIELDS) {
  if (path.length === 2) PERSONAL_INSIDE.set(path[0]!, [...(PERSONAL_INSIDE.get(path[0]!) ?? []), path[1]!]);
}

/**
 * The record with its personal fields removed: what the chain keeps readable.
 * Keeps the remaining keys' order; copies only the objects it changes.
 * Built by copying what stays (deleting keys would slow every later read of the copy).
 */
export function publicPart<T extends object>(record: T): T {
  const copy: Json = {};
  // Records are plain objects parsed from JSON: for…in sees exactly their own keys.
  for (const key in record) {
    if (PERSONAL_AT_TOP.has(key)) continue;
    const value = (record as Json)[key];
    const inside = PERSONAL_INSIDE.get(key);
    if (inside && value && typeof value === 'object' && inside.some((field) => field in value)) {
      const kept: Json = {};
      for (const field in value) if (!inside.includes(field)) kept[field] = (value as Json)[field];
      copy[key] = kept;
    } else copy[key] = value;
  }
  return copy as T;
}

/** Only the personal fields of a record, in the same nesting; undefined when it has none. */
export function personalPart(record: object): Json | undefined {
  let personal: Json | undefined;
  for (const key in record) {
    const value = (record as Json)[key];
    if (PERSONAL_AT_TOP.has(key)) {
      if (value !== undefined) (personal ??= {})[key] = value;
      continue;
    }
    const inside = PERSONAL_INSIDE.get(key);
    if (!inside || !value || typeof value !== 'object') continue;
    for (const field of inside) {
      const fieldValue = (value as Json)[field];
      if (fieldValue !== undefined) (((personal ??= {})[key] ??= {}) as Json)[field] = fieldValue;
    }
  }
  return personal;
}

/** The public part and the personal part put back together. */
export function joinPersonal<T extends object>(publicRecord: T, personal: Json): T {
  const record = structuredClone(publicRecord) as Json;
  for (const path of PERSONAL_FIELDS) {
    const value = readPath(personal, path);
    if (value !== undefined) writePath(record, path, value);
  }
  return record as T;
}

/** Sets the value at the path, making the objects on the way. */
function writePath(object: Json, path: readonly string[], value: unknown): void {
  let target = object;
  for (const step of path.slice(0, -1)) target = (target[step] ??= {}) as Json;
  target[path.at(-1)!] = value;
}

function readPath(object: Json, path: readonly string[]): unknown {
  let value: unknown = object;
  for (const step of path) value = value && typeof value === 'object' ? (value as Json)[step] : undefined;
  return value;
}

/**
 * Random bytes from the system's CSPRNG, drawn 16 KiB at a time: one call
 * for hundreds of records instead of two each (the calls showed in the
 * write path's profile). Every byte is handed out once, and cleared from
 * the pool as it goes.
 */
let randomPool = Buffer.alloc(0);
let randomAt = 0;
function freshRandom(size: number): Buffer {
  if (randomAt + size > randomPool.length) {
    randomPool = randomBytes(16 * 1024);
    randomAt = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomAt, randomAt + size));
  randomPool.fill(0, randomAt, randomAt + size);
  randomAt += size;
  return bytes;
}

/** A fresh key for one record. */
export const newRecordKey = (): Buffer => freshRandom(RECORD_KEY_BYTES);

/** Whether a key slot holds a key (an erased or never-used slot is all zeros). */
export const isLiveKey = (key: Buffer | undefined): key is Buffer =>
  Boolean(key && key.length === RECORD_KEY_BYTES && key.some((byte) => byte !== 0));

/**
 * Seals the personal part under `key`, bound to the record's id (a sealed
 * part moved to another record does not open). base64url of iv ‖ ciphertext ‖ tag.
 */
export function seal(personal: Json, key: Buffer, recordId: string): string {
  const iv = freshRandom(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(recordId));
  // GCM is a stream mode: final() adds no bytes, so update() holds the whole ciphertext.
  const body = cipher.update(JSON.stringify(personal), 'utf8');
  cipher.final();
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a sealed part; throws when the key or the bytes are wrong. */
export function unseal(sealed: string, key: Buffer, recordId: string): Json {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(recordId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Json;
}

/** JSON with object keys sorted, to compare records whatever order their fields were put together in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
