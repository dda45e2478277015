/**
 * The ledger's hash chain: each entry's hash covers the previous entry's
 * hash and its own sequence number, receive time, public record, sealed
 * personal part, flags and MAC. Editing, deleting or reordering any entry
 * breaks every hash after it. The personal data enters only as sealed
 * bytes, so erasing it (destroying its key) changes no hash, and checking
 * the chain needs no key.
 *
 * A ledger with a signing key also MACs every entry (HMAC-SHA-256 over what
 * the hash covers without the MAC, with a secret derived from the key): the
 * MAC is inside the hash, so anyone can check the chain, and only the ledger
 * can tell an entry it wrote from one written by someone without its key
 * (what it signs a checkpoint over after a crash, see jsonl-ledger-store.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ChainEntry } from '../../contract/ledger-records.js';
import { publicPart } from '../store/personal-data.js';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Pick<ChainEntry, 'seq' | 'receivedAt' | 'event' | 'flags'> & {
  sealed?: string | undefined;
  mac?: string | undefined;
};

/**
 * The JSON of a stored entry's event as its line holds it, kept by
 * parseStoredLine (which had to write it to compare): checking the chain
 * then costs one stringify per entry, not two.
 */
export const storedEventJson = new WeakMap<object, string>();

export function entryHash(prevHash: string, entry: Hashed): string {
  const eventJson = storedEventJson.get(entry);
  if (eventJson !== undefined) return hashOfJson(prevHash, { ...entry, eventJson });
  // Entries without a sealed part (written before sealing) are hashed as they were then.
  return storedEntryHash(prevHash, entry.sealed === undefined ? entry : { ...entry, event: publicPart(entry.event) });
}

/** The hash of an entry already in its stored form (public event, sealed part). */
export function storedEntryHash(prevHash: string, entry: Hashed): string {
  return hashOfJson(prevHash, { ...entry, eventJson: JSON.stringify(entry.event) });
}

type HashedJson = Pick<Hashed, 'seq' | 'receivedAt' | 'flags' | 'sealed' | 'mac'> & { eventJson: string };

/**
 * What the hash covers, in three parts, as JSON.stringify({ seq, receivedAt,
 * event, sealed, flags, mac }) would write it after `prevHash` and a newline
 * (the last part closes the object, with the MAC when there is one). In
 * parts: the event's JSON goes in as it is, not copied into one long string.
 */
function hashedParts(prevHash: string, entry: HashedJson, mac: string | undefined): [string, string, string] {
  const { seq, receivedAt, eventJson, sealed, flags } = entry;
  const sealedJson = sealed === undefined ? '' : `,"sealed":${JSON.stringify(sealed)}`;
  return [
    `${prevHash}\n{"seq":${JSON.stringify(seq)},"receivedAt":${JSON.stringify(receivedAt)},"event":`,
    eventJson,
    `${sealedJson},"flags":${JSON.stringify(flags)}${mac === undefined ? '' : `,"mac":${JSON.stringify(mac)}`}}`,
  ];
}

/**
 * The hash from the public event's JSON: an append stringifies the event
 * once, for the hash, the MAC and the stored line.
 */
export function hashOfJson(prevHash: string, entry: HashedJson): string {
  const hash = createHash('sha256');
  for (const part of hashedParts(prevHash, entry, entry.mac)) hash.update(part);
  return hash.digest('hex');
}

/**
 * The entry's MAC under `secret`: over what its hash covers without the MAC
 * (base64url), and the size of the ledger's last durable checkpoint when the
 * entry was made (not stored: a ledger finding entries after its last
 * checkpoint tells by it whether they are the write a crash interrupted, or
 * more than that).
 */
export function entryMac(secret: Buffer, prevHash: string, entry: HashedJson, checkpointed: number): string {
  const mac = createHmac('sha256', secret).update(`${checkpointed}\n`);
  for (const part of hashedParts(prevHash, entry, undefined)) mac.update(part);
  return mac.digest('base64url');
}

/**
 * Whether a stored entry (public event, sealed part) carries a MAC made with
 * `secret` when the last durable checkpoint was one of `checkpointed`.
 */
export function hasValidMac(secret: Buffer, entry: ChainEntry, checkpointed: readonly number[]): boolean {
  const { mac } = entry as { mac?: unknown };
  if (typeof mac !== 'string') return false;
  const given = Buffer.from(mac);
  const parts = { ...entry, eventJson: storedEventJson.get(entry) ?? JSON.stringify(entry.event) };
  return checkpointed.some((size) => {
    const expected = Buffer.from(entryMac(secret, entry.prevHash, parts, size));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Where a chain breaks, or undefined when every entry holds. `from`: where
 * the entries pick up (the number of entries before them and the last one's
 * hash), to check a chain a page at a time.
 */
export function findChainBreak(
  entries: Iterable<ChainEntry>,
  from: { index: number; prevHash: string } = { index: 0, prevHash: GENESIS_HASH },
): { seq: number; index: number; reason: string } | undefined {
  let { prevHash, index } = from;
  for (const entry of entries) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq) {
      return { seq: entry.seq, index, reason: `sequence number ${entry.seq} where ${expectedSeq} was expected` };
    }
    if (entry.prevHash !== prevHash) {
      return {
        seq: entry.seq,
        index,
        reason: 'prevHash does not match the previous entry (entry removed or reordered?)',
      };
    }
    if (entryHash(prevHash, entry) !== entry.hash) {
      return { seq: entry.seq, index, reason: 'hash does not match the content (entry edited?)' };
    }
    prevHash = entry.hash;
    index += 1;
  }
  return undefined;
}
