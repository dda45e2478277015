/**
 * The salons a platform serves, and what is each salon's own: its chain,
 * staff token, allowed origins, text register, link secret and controller
 * details. Everything the salons share (port, SMTP server, checkpoint key,
 * retention policy) is the platform's, given when it serves.
 *
 * The staff token is kept only as its SHA-256: it is shown once, when it is
 * made, and a leaked registry does not let anyone in. The link secret must
 * be kept in clear, since the ledger signs with it; the registry's files are
 * made readable by their owner only.
 *
 * Two homes, like the ledger itself: a file in each salon's folder for the
 * file store, a table for PostgreSQL. Either way, adding or changing a salon
 * costs the same at 10 or 10,000 salons, and a running platform learns of
 * it by reading only what changed.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { inTransaction } from '../store/postgres/transaction.js';
import * as z from 'zod/mini';
import type { Controller } from '../proof/proof.js';
import type { PublishedText } from '../consent/text-registry.js';

/** A salon's id: its part of the ledger's URLs (/salons/ID/v1/…) and of the folder names. */
export const SALON_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const SALONS_FILE_NAME = 'salons.json';
export const SALONS_FOLDER_NAME = 'salons';

export interface SalonSettings {
  id: string;
  /** The salon, named on proofs, pages and mails; `locale` is their language. */
  controller: Controller;
  /** Booking-page origins allowed to post. */
  origins: string[];
  /** Back-office origins allowed to call the staff API from a browser. */
  staffOrigins: string[];
  /** SHA-256 (hex) of the salon's staff token. */
  staffTokenSha256: string;
  /** Signs the salon's unsubscribe and confirmation links. */
  linkSecret: string;
  texts: PublishedText[];
  /** Country of phone numbers written without a country code (default: the jurisdiction). */
  phoneCountry?: string;
  /** Sender of the salon's confirmation mails, "Salon Bella <hallo@salon-bella.ch>". */
  mailFrom?: string;
  /** The salon's number for SMS (+41…, or a short code): its confirmation SMS come from it and replies to it reach it. */
  smsFrom?: string;
  /** Purposes whose online ticks count without a confirmation mail. */
  singleOptIn: string[];
  createdAt: string;
  /** Set while the salon is disabled: its ledger answers nothing, and its records are kept. */
  disabledAt?: string;
  /** Where the salon's decision changes are sent, each endpoint with its own Standard Webhooks secret. */
  webhooks?: { url: string; secret: string }[];
  /** SHA-256 (hex) of the token the salon's newsletter tool posts suppressions with. */
  integrationTokenSha256?: string;
}

const controllerSchema = z.object({
  name: z.string().check(z.minLength(1)),
  address: z.optional(z.string()),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  jurisdiction: z.optional(z.string()),
  locale: z.optional(z.enum(['de', 'fr', 'it', 'en'])),
  privacyUrl: z.optional(z.string()),
});

const salonSchema = z.object({
  id: z.string().check(z.regex(SALON_ID)),
  controller: controllerSchema,
  origins: z.array(z.string()),
  staffOrigins: z.array(z.string()),
  staffTokenSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  linkSecret: z.string().check(z.minLength(32)),
  texts: z.array(z.object({ version: z.string(), locale: z.string(), sha256: z.string() })),
  phoneCountry: z.optional(z.string()),
  mailFrom: z.optional(z.string()),
  smsFrom: z.optional(z.string()),
  singleOptIn: z.array(z.string()),
  createdAt: z.string(),
  disabledAt: z.optional(z.string()),
  webhooks: z.optional(z.array(z.object({ url: z.string(), secret: z.string().check(z.startsWith('whsec_')) }))),
  integrationTokenSha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
});

/** Throws, naming the salon and the field, when stored settings are not a salon's. */
function parseSalon(value: unknown, where: string): SalonSettings {
  const result = salonSchema.safeParse(value);
  if (result.success) return result.data as SalonSettings;
  const issue = result.error.issues[0]!;
  throw new Error(`${where}: ${issue.path.join('.') || 'salon'}: ${issue.message}`);
}

/** Why this is not a usable salon id, or undefined. */
export function salonIdProblem(id: string): string | undefined {
  return SALON_ID.test(id)
    ? undefined
    : `"${id}" is not a salon id: use 1–63 lowercase letters, digits and inner hyphens, e.g. "salon-bella"`;
}

export { hashStaffToken, newSecret } from '../app/secrets.js';

export interface SalonRegistry {
  /** Every salon, disabled ones included, by id. */
  list(): Promise<SalonSettings[]>;
  /**
   * The salons added or changed since `cursor` (every salon without one),
   * and the cursor to ask from next time: what a running platform reads,
   * so that a change costs the same whatever the number of salons.
   */
  changes(cursor?: string): Promise<{ salons: SalonSettings[]; cursor: string }>;
  /** Calls `onChange` soon after any process changes the registry, where the registry can say so (PostgreSQL). */
  watch?(onChange: () => void): void;
  /** Adds a salon; refuses an id already taken (also by a disabled salon). */
  add(salon: SalonSettings): Promise<void>;
  /** Changes one salon's settings; throws for an unknown id. */
  update(id: string, change: (salon: SalonSettings) => SalonSettings): Promise<SalonSettings>;
  close(): Promise<void>;
}

export class UnknownSalonError extends Error {
  constructor(id: string) {
    super(`no salon "${id}" in the registry; "marketing-consent-ledger salons list" shows the salons`);
  }
}

function takenError(id: string): Error {
  return new Error(`a salon "${id}" is already registered (perhaps disabled); choose another id`);
}

/** A salon's settings, beside its ledger: salons/ID/salon.json. */
export const SALON_FILE_NAME = 'salon.json';
/** The ids of changed salons, one a line, appended to: what a running platform reads from where it left off. */
export const SALON_CHANGES_FILE_NAME = 'salon-changes.log';

/**
 * The registry of the file store: each salon's settings in its own folder
 * (salons/ID/salon.json, beside its ledger), so adding or changing one salon
 * touches only its file, and a log of changed ids that a running platform
 * reads from where it left off. A registry kept in one salons.json (earlier
 * versions) is moved into the salons' folders when first opened.
 */
export class FileSalonRegistry implements SalonRegistry {
  readonly #directory: string;
  #moved: Promise<void> | undefined;
  // Changes made by this process to one salon, one after another.
  #writing = new Map<string, Promise<unknown>>();

  constructor(directory: string) {
    this.#directory = directory;
  }

  /** The folder of one salon's ledger. */
  static salonDirectory(directory: string, id: string): string {
    const problem = salonIdProblem(id);
    if (problem) throw new Error(problem);
    return join(directory, SALONS_FOLDER_NAME, id);
  }

  #file(id: string): string {
    return join(FileSalonRegistry.salonDirectory(this.#directory, id), SALON_FILE_NAME);
  }

  async list(): Promise<SalonSettings[]> {
    await this.#moveOldRegistry();
    const ids = await readdir(join(this.#directory, SALONS_FOLDER_NAME)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const salons: SalonSettings[] = [];
    // A few files at a time: 10,000 salons are read without opening 10,000 files at once.
    const valid = ids.filter((id) => SALON_ID.test(id)).sort();
    for (let at = 0; at < valid.length; at += 64) {
      const read = await Promise.all(valid.slice(at, at + 64).map((id) => this.#read(id)));
      for (const salon of read) if (salon) salons.push(salon);
    }
    return salons;
  }

  async changes(cursor?: string): Promise<{ salons: SalonSettings[]; cursor: string }> {
    await this.#moveOldRegistry();
    const log = join(this.#directory, SALON_CHANGES_FILE_NAME);
    const size = await stat(log).then(
      (found) => found.size,
      () => 0,
    );
    const from = cursor === undefined ? undefined : Number(cursor);
    // No cursor, or a log shorter than it (replaced): every salon.
    if (from === undefined || !(from <= size)) return { salons: await this.list(), cursor: String(size) };
    if (from === size) return { salons: [], cursor: String(size) };
    const file = await open(log, 'r');
    let text: string;
    try {
      const bytes = Buffer.alloc(size - from);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, from);
      text = bytes.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
    // Only whole lines: a line being appended is read next time.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const ids = [...new Set(whole.split('\n').filter((id) => SALON_ID.test(id)))];
    const salons = (await Promise.all(ids.map((id) => this.#read(id)))).filter((salon) => salon !== undefined);
    return { salons, cursor: String(from + Buffer.byteLength(whole)) };
  }

  add(salon: SalonSettings): Promise<void> {
    return this.#change(salon.id, async () => {
      if (!(await this.#write(parseSalon(salon, salon.id), 'if-new'))) throw takenError(salon.id);
    });
  }

  async update(id: string, change: (salon: SalonSettings) => SalonSettings): Promise<SalonSettings> {
    let changed: SalonSettings | undefined;
    await this.#change(id, async () => {
      const salon = await this.#read(id);
      if (!salon) throw new UnknownSalonError(id);
      changed = parseSalon(change(salon), id);
      await this.#write(changed, 'replace');
    });
    return changed!;
  }

  async close(): Promise<void> {
    await Promise.all(this.#writing.values());
  }

  /**
   * Writes a salon's file whole, readable by its owner only: a reader never
   * sees half a salon. `if-new` writes only where no file is (false when one
   * is: of two processes adding the same id, one wins); `replace` writes over it.
   */
  async #write(salon: SalonSettings, mode: 'if-new' | 'replace'): Promise<boolean> {
    const file = this.#file(salon.id);
    await mkdir(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(salon, null, 2)}\n`, { mode: 0o600 });
    if (mode === 'replace') {
      await rename(temporary, file);
      return true;
    }
    try {
      // A hard link is made only where no file is.
      await link(temporary, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** One salon's settings, or undefined when it has none. */
  async #read(id: string): Promise<SalonSettings | undefined> {
    const file = this.#file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not a salon's settings (${(error as Error).message}): restore it from a backup`, {
        cause: error,
      });
    }
    return parseSalon(value, file);
  }

  /** Runs a change of one salon after this process's earlier ones, then says so in the log of changes. */
  #change(id: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#writing.get(id) ?? Promise.resolve()).then(async () => {
      await this.#moveOldRegistry();
      await work();
      // One short line appended at once: lines of two processes never mix.
      await appendFile(join(this.#directory, SALON_CHANGES_FILE_NAME), `${id}\n`, { mode: 0o600 });
    });
    const settled = next.catch(() => undefined);
    this.#writing.set(id, settled);
    void settled.then(() => {
      if (this.#writing.get(id) === settled) this.#writing.delete(id);
    });
    return next;
  }

  /** salons.json of earlier versions: each salon into its folder, the file kept as salons.json.moved. */
  #moveOldRegistry(): Promise<void> {
    this.#moved ??= (async () => {
      const old = join(this.#directory, SALONS_FILE_NAME);
      let text: string;
      try {
        text = await readFile(old, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      const parsed = JSON.parse(text) as { salons?: unknown[] };
      const salons = (parsed.salons ?? []).map((salon, index) => parseSalon(salon, `${old}, salon ${index + 1}`));
      // Another process moving it at the same time, or a salon already moved: what is there is kept.
      for (const salon of salons) await this.#write(salon, 'if-new');
      await rename(old, `${old}.moved`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    })();
    return this.#moved;
  }
}

/** The channel a platform listens on (PostgreSQL LISTEN) for changes of the registry. */
const CHANGES_CHANNEL = 'ledger_salon_changes';
/** Any number, the same in every process: changes of the registry one at a time. */
const CHANGES_LOCK = 7_304_215_002;

/** The registry in PostgreSQL, beside the salons' chains (table ledger_salon_settings). */
export class PostgresSalonRegistry implements SalonRegistry {
  readonly #pool: pg.Pool;
  #listener: pg.Client | undefined;
  #closed = false;

  /** `pool`: a pool whose database is migrated (see migratePostgres). */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async list(): Promise<SalonSettings[]> {
    return (await this.changes()).salons;
  }

  async changes(cursor?: string): Promise<{ salons: SalonSettings[]; cursor: string }> {
    const { rows } = await this.#pool.query<{ salon: string; settings: unknown; change: string }>(
      `SELECT salon, settings, change FROM ledger_salon_settings WHERE change > $1 ORDER BY ${cursor === undefined ? 'salon' : 'change'}`,
      [cursor ?? '0'],
    );
    const last = rows.reduce((max, row) => (BigInt(row.change) > max ? BigInt(row.change) : max), BigInt(cursor ?? 0));
    return {
      salons: rows.map((row) => parseSalon(row.settings, `salon ${row.salon} in ledger_salon_settings`)),
      cursor: String(last),
    };
  }

  /**
   * LISTEN on a connection of its own: a salon added or changed by any
   * process is known within a moment. A lost connection is made again, and
   * `onChange` called then too (changes made meanwhile are read by cursor).
   */
  watch(onChange: () => void): void {
    const listen = async () => {
      if (this.#closed) return;
      const client = new pg.Client(this.#pool.options);
      client.on('notification', () => onChange());
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.#listener === client) this.#listener = undefined;
        if (!this.#closed) setTimeout(() => void listen().then(onChange), 1_000).unref();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANGES_CHANNEL}`);
        if (this.#closed) await client.end();
        else this.#listener = client;
      } catch {
        await client.end().catch(() => undefined);
      }
    };
    void listen();
  }

  async add(salon: SalonSettings): Promise<void> {
    const settings = JSON.stringify(parseSalon(salon, salon.id));
    await this.#change(salon.id, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO ledger_salon_settings (salon, settings) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [salon.id, settings],
      );
      if (rowCount === 0) throw takenError(salon.id);
    });
  }

  async update(id: string, change: (salon: SalonSettings) => SalonSettings): Promise<SalonSettings> {
    return this.#change(id, async (client) => {
      const { rows } = await client.query<{ settings: unknown }>(
        'SELECT settings FROM ledger_salon_settings WHERE salon = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) throw new UnknownSalonError(id);
      const changed = parseSalon(change(parseSalon(rows[0]!.settings, id)), id);
      await client.query(
        `UPDATE ledger_salon_settings SET settings = $2, change = nextval('ledger_salon_changes') WHERE salon = $1`,
        [id, JSON.stringify(changed)],
      );
      return changed;
    });
  }

  /**
   * A change of one salon, numbered and announced. Changes are made one at a
   * time (a lock held until commit), so they commit in the order of their
   * numbers, and a platform reading from its cursor never passes one that
   * commits later with a smaller number.
   */
  #change<T>(id: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [CHANGES_LOCK]);
      const result = await work(client);
      // Delivered when the transaction commits.
      await client.query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [id]);
      return result;
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#listener?.end().catch(() => undefined);
  }
}
