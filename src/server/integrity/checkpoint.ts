/**
 * Signed checkpoints of the ledger: "the chain had N entries and its head
 * hash was H", signed with the ledger's Ed25519 key, in the C2SP formats
 * transparency logs use (https://c2sp.org/signed-note and
 * https://c2sp.org/tlog-checkpoint):
 *
 *   salon-bella.ch/consent-ledger      ← origin: names the ledger
 *   1234                               ← number of entries
 *   q1Vb…=                             ← head hash (base64 of the 32 bytes)
 *
 *   — salon-bella.ch/consent-ledger Az3gr…=   ← key name, base64(key id ‖ signature)
 *
 * One difference from tlog-checkpoint: the third line is the head of the
 * ledger's hash chain, not a Merkle tree root; a verifier checks it by
 * replaying the chain. A hash chain alone is recomputed by whoever rewrites
 * the file; a checkpoint can only be made with the key, and a checkpoint
 * held elsewhere (a receipt, a witness directory) cannot be rewritten by
 * the ledger's operator at all.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** A checkpoint as read from its text. */
export interface Checkpoint {
  origin: string;
  size: number;
  /** Head hash, hex (as in the ledger's entries). */
  headHash: string;
}

const ED25519 = 0x01;
const SIGNATURE_LINE = /^— (\S+) ([A-Za-z0-9+/=]+)$/;
/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function keyId(name: string, rawPublicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([ED25519]), rawPublicKey]))
    .digest()
    .subarray(0, 4);
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** The checkpoint's note text (what is signed), ending in a newline. */
export function checkpointText(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${Buffer.from(checkpoint.headHash, 'hex').toString('base64')}\n`;
}

/** A public key in signed-note form: `<name>+<key id hex>+<base64(0x01 ‖ key)>`. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  return verifierKeyOfRaw(name, rawPublicKey(publicKey));
}

function verifierKeyOfRaw(name: string, raw: Buffer): string {
  return `${name}+${keyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

/** A private key with what every ledger signing with it shares: read from the key once, not per salon. */
interface SigningKey {
  key: KeyObject;
  rawPublicKey: Buffer;
  /** The private key's 32 bytes, for secretFor (read when first needed). */
  seed?: Buffer;
}

/** Signs checkpoints of one ledger. */
export class CheckpointSigner {
  readonly name: string;
  readonly #key: SigningKey;
  readonly #keyId: Buffer;
  readonly verifierKey: string;

  /** `privateKey`: an Ed25519 private key in PKCS#8 PEM (as `keygen` writes it), or the key itself. */
  constructor(name: string, privateKey: string | KeyObject | SigningKey) {
    if (!/^[^\s+]+$/.test(name)) throw new Error(`checkpoint key name "${name}" must have no spaces and no "+"`);
    this.name = name;
    if (typeof privateKey === 'string' || !('rawPublicKey' in privateKey)) {
      const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('the checkpoint key must be an Ed25519 key');
      privateKey = { key, rawPublicKey: rawPublicKey(createPublicKey(key)) };
    }
    this.#key = privateKey;
    this.#keyId = keyId(name, privateKey.rawPublicKey);
    this.verifierKey = verifierKeyOfRaw(name, privateKey.rawPublicKey);
  }

  /**
   * The same key under another name, for another ledger: a platform signs
   * each salon's chain as "<name>/<salon>", so no salon's checkpoint can
   * pass for another's.
   */
  forLedger(name: string): CheckpointSigner {
    return new CheckpointSigner(name, this.#key);
  }

  /**
   * A secret for one use, derived from the private key (HKDF-SHA-256) and
   * bound to this ledger's name: what the ledger MACs with it (its entries,
   * its index files) only the holder of the key can make, and no salon's
   * MAC holds for another's. The key file lives outside the data folder.
   */
  secretFor(use: 'entries' | 'index'): Buffer {
    const key = this.#key;
    key.seed ??= Buffer.from(key.key.export({ format: 'jwk' }).d!, 'base64url');
    return Buffer.from(hkdfSync('sha256', key.seed, 'marketing-consent ledger', `${this.name}\n${use}`, 32));
  }

  /** The signed note for a checkpoint. The origin is the key name: one key, one ledger. */
  sign(size: number, headHash: string): string {
    const text = checkpointText({ origin: this.name, size, headHash });
    const signature = sign(null, Buffer.from(text), this.#key.key);
    return `${text}\n— ${this.name} ${Buffer.concat([this.#keyId, signature]).toString('base64')}\n`;
  }
}

/** A new key pair: the private key as PKCS#8 PEM, and its verifier key to publish. */
export function generateCheckpointKey(name: string): { privateKeyPem: string; verifierKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    verifierKey: verifierKey(name, publicKey),
  };
}

/** A verifier key under another name (see CheckpointSigner.forLedger): the same public key, the other ledger. */
export function renameVerifierKey(vkey: string, name: string): string {
  return verifierKey(name, parseVerifierKey(vkey).key);
}

interface Verifier {
  name: string;
  id: Buffer;
  key: KeyObject;
}

function parseVerifierKey(vkey: string): Verifier {
  // The base64 part may itself hold "+": split at the first two only.
  const [, name, idHex, data] = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(\S+)$/.exec(vkey.trim()) ?? [];
  const bytes = Buffer.from(data ?? '', 'base64');
  if (!name || !idHex || bytes.length !== 33 || bytes[0] !== ED25519) {
    throw new Error(`"${vkey}" is not an Ed25519 verifier key (name+keyid+base64)`);
  }
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes.subarray(1)]), format: 'der', type: 'spki' });
  const id = keyId(name, bytes.subarray(1));
  if (id.toString('hex') !== idHex.toLowerCase()) throw new Error(`verifier key "${name}": the key id does not match`);
  return { name, id, key };
}

/**
 * Reads and checks a signed checkpoint: the signature of one of the trusted
 * keys must hold. Returns the checkpoint, or a reason it cannot be trusted.
 */
export function openCheckpoint(
  note: string,
  trustedKeys: readonly string[],
): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, reason: 'not a signed note (no blank line before the signatures)' };
  const text = note.slice(0, split + 1);
  const lines = text.split('\n');
  const [origin, sizeLine, hashLine] = lines;
  const hash = Buffer.from(hashLine ?? '', 'base64');
  if (!origin || !/^\d+$/.test(sizeLine ?? '') || hash.length !== 32) {
    return { ok: false, reason: 'the checkpoint body is not origin, size and a 32-byte base64 hash' };
  }
  const verifiers = trustedKeys.map(parseVerifierKey);
  for (const line of note.slice(split + 2).split('\n')) {
    const match = SIGNATURE_LINE.exec(line);
    if (!match) continue;
    const blob = Buffer.from(match[2]!, 'base64');
    const verifier = verifiers.find((v) => v.name === match[1] && v.id.equals(blob.subarray(0, 4)));
    if (verifier && verify(null, Buffer.from(text), verifier.key, blob.subarray(4))) {
      return { ok: true, checkpoint: { origin, size: Number(sizeLine), headHash: hash.toString('hex') } };
    }
  }
  return { ok: false, reason: 'no signature by a trusted key holds' };
}

/**
 * The latest `count` checkpoints a trusted key signed, newest first, from
 * notes given newest first: it stops there, so a long log is not verified
 * signature by signature at every start.
 */
export function latestTrusted(
  notesNewestFirst: Iterable<string>,
  trustedKeys: readonly string[],
  count: number,
): { note: string; checkpoint: Checkpoint }[] {
  const found: { note: string; checkpoint: Checkpoint }[] = [];
  if (trustedKeys.length === 0) return found;
  for (const note of notesNewestFirst) {
    if (found.length === count) break;
    const opened = openCheckpoint(note, trustedKeys);
    if (opened.ok) found.push({ note, checkpoint: opened.checkpoint });
  }
  return found;
}

/** The entry count a signed note names (its second line); check its signature with openCheckpoint first. */
export function checkpointSize(note: string): number {
  return Number(note.split('\n')[1]);
}

/** Splits a file that may hold several checkpoints (a witness log, receipts) into notes. */
export function splitCheckpoints(text: string): string[] {
  const notes: string[] = [];
  const blocks = text.replace(/\r\n/g, '\n').split(/\n(?=[^\n—][^\n]*\n\d+\n[A-Za-z0-9+/=]{44}\n\n—)/);
  for (const block of blocks) {
    const trimmed = block.replace(/^\n+/, '');
    if (/\n\n— /.test(trimmed)) notes.push(trimmed.endsWith('\n') ? trimmed : `${trimmed}\n`);
  }
  return notes;
}
