/**
 * What both stores do with a record the same way: put it at its place in the
 * chain (sealed personal part, public part, hash, the line to store), tell a
 * record sent again from a different one under the same id, say which
 * entries an erasure may name, and read a stored entry back with its key or
 * its erasure.
 */
import {
  isErasure,
  type ChainEntry,
  type ErasedEntry,
  type ErasureEntry,
  type RecordFlag,
  type HistoryAcceptanceRecord,
  type StoredRecord,
  historyAcceptanceRecordSchema,
  isLedgerOwnRecord,
} from '../../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { entryMac, hashOfJson, storedEventJson } from '../integrity/hash-chain.js';
import {
  canonicalJson,
  isLiveKey,
  joinPersonal,
  newRecordKey,
  personalPart,
  publicPart,
  seal,
  unseal,
} from './personal-data.js';

/**
 * A record at its place in the chain: the entry as readers see it, its stored JSON, and its key (none
 * for a record of the ledger's own). `key`: the record's key when the store made it beforehand; a fresh
 * one otherwise. `mac`: what the entry's MAC is made with, when the ledger has a signing key (see hash-chain.ts).
 */
export function chainEntry(
  event: StoredRecord,
  place: {
    seq: number;
    receivedAt: string;
    prevHash: string;
    flags: RecordFlag[];
    key?: Buffer;
    /** With a signing key: the entry secret, and the size of the last durable checkpoint (see entryMac). */
    mac?: { secret: Buffer; checkpointed: number } | undefined;
  },
): { entry: ChainEntry; stored: string; key: Buffer | undefined } {
  const { seq, receivedAt, prevHash, flags } = place;
  const personal = isLedgerOwnRecord(event) ? undefined : personalPart(event);
  const key = personal ? (place.key ?? newRecordKey()) : undefined;
  const sealed = personal && key ? seal(personal, key, event.id) : undefined;
  // The public record is stringified once, for the hash, the MAC and the stored line (the costliest step of an append).
  const eventJson = JSON.stringify(sealed ? publicPart(event) : event);
  const hashed = { seq, receivedAt, eventJson, sealed, flags };
  const mac = place.mac ? entryMac(place.mac.secret, prevHash, hashed, place.mac.checkpointed) : undefined;
  const hash = hashOfJson(prevHash, { seq, receivedAt, eventJson, sealed, flags, mac });
  return {
    entry: {
      seq,
      receivedAt,
      event,
      flags,
      prevHash,
      hash,
      ...(sealed ? { sealed } : {}),
      ...(mac ? { mac } : {}),
    } as ChainEntry,
    stored: storedLine({ seq, receivedAt, eventJson, flags, prevHash, hash, sealed, mac }),
    key,
  };
}

/**
 * The one form an entry is stored in (a line of the file store, a row's
 * `stored` column): as JSON.stringify({ seq, receivedAt, event, flags,
 * prevHash, hash, sealed, mac }) writes it. The hash covers everything in it
 * but the hash itself, so a stored entry holding anything else (a field
 * added to its event or beside it, keys reordered, spaces) is not one the
 * ledger wrote.
 */
function storedLine(parts: {
  seq: unknown;
  receivedAt: unknown;
  eventJson: string;
  flags: unknown;
  prevHash: unknown;
  hash: unknown;
  sealed: unknown;
  mac: unknown;
}): string {
  const { seq, receivedAt, eventJson, flags, prevHash, hash, sealed, mac } = parts;
  return `{"seq":${JSON.stringify(seq)},"receivedAt":${JSON.stringify(receivedAt)},"event":${eventJson},"flags":${JSON.stringify(flags)},"prevHash":${JSON.stringify(prevHash)},"hash":${JSON.stringify(hash)}${sealed === undefined ? '' : `,"sealed":${JSON.stringify(sealed)}`}${mac === undefined ? '' : `,"mac":${JSON.stringify(mac)}`}}`;
}

/**
 * The entry a stored line holds, in its stored form (public event, sealed
 * part); undefined when the line is not JSON at all (a write a crash cut
 * off). Throws when it is JSON but not byte for byte the line the ledger
 * writes for that content: whatever the hash does not cover must not be there.
 */
export function parseStoredLine(line: string): ChainEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const entry = (parsed && typeof parsed === 'object' ? parsed : {}) as Partial<ChainEntry> & {
    sealed?: unknown;
    mac?: unknown;
  };
  const { seq, receivedAt, event, flags, prevHash, hash, sealed, mac } = entry;
  const isObject = Boolean(event && typeof event === 'object' && !Array.isArray(event));
  // A sealed entry keeps its personal fields only in the sealed part: one in clear was added after the hash.
  const eventJson = JSON.stringify(isObject && typeof sealed === 'string' ? publicPart(event!) : event);
  if (
    !isObject ||
    typeof hash !== 'string' ||
    line !== storedLine({ seq, receivedAt, eventJson, flags, prevHash, hash, sealed, mac })
  ) {
    throw new StoredLineError(
      'the stored entry holds more, less or other than the ledger writes (a field added, removed or moved outside the hash)',
    );
  }
  storedEventJson.set(entry, eventJson);
  return entry as ChainEntry;
}

/** A stored entry that is not in the form the ledger writes (see parseStoredLine). */
export class StoredLineError extends Error {}

/**
 * The record of an operator accepting the chain as found (see
 * startUpVerdict): what the ledger found, why it refused, and why the
 * operator accepts it.
 */
export function historyAcceptance(
  found: { count: number; lastHash: string },
  refusal: { problem: string; lastCheckpoint: string | undefined },
  acceptance: { operator: string; note: string },
): HistoryAcceptanceRecord {
  return historyAcceptanceRecordSchema.parse({
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    id: crypto.randomUUID(),
    method: 'history-accepted',
    found: {
      entries: found.count,
      headHash: found.lastHash,
      problem: refusal.problem,
      ...(refusal.lastCheckpoint === undefined ? {} : { lastCheckpoint: refusal.lastCheckpoint }),
    },
    operator: { name: acceptance.operator },
    note: acceptance.note,
  });
}

/**
 * Whether a record sent again under a stored id is the same act: compared by
 * content whatever the order of its fields (a record read back was put
 * together again). An erased record cannot be compared any more: its id
 * coming back is the same act sent again.
 */
export function isSameRecord(stored: ChainEntry, event: StoredRecord): boolean {
  return 'erased' in stored || canonicalJson(stored.event) === canonicalJson(event);
}

/** An entry written before sealing: its personal data is in the chained line, so no erasure can take it. */
export class UnsealedEntryError extends Error {}

/** Why an erasure cannot name this entry (an UnsealedEntryError for one from before sealing), or undefined when it can. */
export function erasureRefusal(seq: number, entry: ChainEntry | undefined): Error | undefined {
  if (!entry || isErasure(entry)) return new Error(`entry ${seq} is not a record that can be erased`);
  if (!('sealed' in entry) || entry.sealed === undefined) {
    return new UnsealedEntryError(
      `entry ${seq} was written before personal data was sealed; its personal data cannot be erased without rewriting the chain`,
    );
  }
  return undefined;
}

/** The entry as it reads once its personal data is erased: its public part, and which erasure took the rest. */
export function erasedForm(
  entry: ChainEntry,
  erasure: Pick<ErasureEntry, 'seq' | 'receivedAt' | 'event'>,
): ErasedEntry {
  const { seq, receivedAt, flags, prevHash, hash } = entry;
  const { mac } = entry as { mac?: string };
  return {
    seq,
    receivedAt,
    event: publicPart(entry.event),
    flags,
    prevHash,
    hash,
    sealed: (entry as { sealed: string }).sealed,
    ...(mac === undefined ? {} : { mac }),
    erased: { seq: erasure.seq, at: erasure.receivedAt, reason: erasure.event.reason },
  };
}

/**
 * A stored entry as readers see it: as it is when it has no sealed part,
 * erased when an erasure names it, else opened with its key. A missing key
 * that no erasure explains is damage: `missingKey` says where to restore it from.
 */
export function readStoredEntry(
  stored: ChainEntry,
  key: Buffer | undefined,
  erasure: Pick<ErasureEntry, 'seq' | 'receivedAt' | 'event'> | undefined,
  missingKey: string,
): ChainEntry {
  const sealed = (stored as { sealed?: string }).sealed;
  if (sealed === undefined) return stored;
  if (erasure) return erasedForm(stored, erasure);
  if (!isLiveKey(key)) throw new Error(missingKey);
  return { ...stored, event: joinPersonal(stored.event, unseal(sealed, key, stored.event.id)) } as ChainEntry;
}
