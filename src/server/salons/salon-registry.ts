/**
 * The salons a platform serves, and what is each salon's own: its chain,
 * staff token, allowed origins, text register, link secret and controller
 * details. Everything the salons share (port, SMTP server, checkpoint key,
 * retention policy) is the platform's, given when it serves.
 *
 * The staff token is kept only as its SHA-256: it is shown once, when it is
 * made, and a leaked registry does not let anyone in. The link secret must
 * be kept in clear, since the ledger signs with it; the registry file is
 * made readable by its owner only.
 *
 * Two homes, like the ledger itself: `salons.json` beside the salons'
 * folders for the file store, a table for PostgreSQL.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { inTransaction } from '../store/postgres/postgres-ledger-store.js';
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
  /** Purposes whose online ticks count without a confirmation mail. */
  singleOptIn: string[];
  createdAt: string;
  /** Set while the salon is disabled: its ledger answers nothing, and its records are kept. */
  disabledAt?: string;
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
  singleOptIn: z.array(z.string()),
  createdAt: z.string(),
  disabledAt: z.optional(z.string()),
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

/** The registry of the file store: salons.json in the platform's data folder, each salon's ledger under salons/ID/. */
export class FileSalonRegistry implements SalonRegistry {
  readonly #file: string;
  // Changes made by this process one after another (the file is rewritten whole).
  #writing: Promise<unknown> = Promise.resolve();

  constructor(directory: string) {
    this.#file = join(directory, SALONS_FILE_NAME);
  }

  /** The folder of one salon's ledger. */
  static salonDirectory(directory: string, id: string): string {
    const problem = salonIdProblem(id);
    if (problem) throw new Error(problem);
    return join(directory, SALONS_FOLDER_NAME, id);
  }

  async list(): Promise<SalonSettings[]> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as { salons?: unknown[] };
    return (parsed.salons ?? []).map((salon, index) => parseSalon(salon, `${this.#file}, salon ${index + 1}`));
  }

  add(salon: SalonSettings): Promise<void> {
    return this.#change(async (salons) => {
      if (salons.some((known) => known.id === salon.id)) throw takenError(salon.id);
      return [...salons, parseSalon(salon, salon.id)];
    }).then(() => undefined);
  }

  async update(id: string, change: (salon: SalonSettings) => SalonSettings): Promise<SalonSettings> {
    let changed: SalonSettings | undefined;
    await this.#change(async (salons) =>
      salons.map((salon) => {
        if (salon.id !== id) return salon;
        changed = parseSalon(change(salon), id);
        return changed;
      }),
    );
    if (!changed) throw new UnknownSalonError(id);
    return changed;
  }

  async close(): Promise<void> {
    await this.#writing;
  }

  #change(work: (salons: SalonSettings[]) => Promise<SalonSettings[]>): Promise<void> {
    const next = this.#writing.then(async () => {
      const salons = await work(await this.list());
      const directory = join(this.#file, '..');
      await mkdir(directory, { recursive: true });
      // A new file renamed over the old one: a reader never sees half a registry.
      const temporary = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ salons }, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.#file);
    });
    this.#writing = next.catch(() => undefined);
    return next;
  }
}

/** The registry in PostgreSQL, beside the salons' chains (table ledger_salon_settings). */
export class PostgresSalonRegistry implements SalonRegistry {
  readonly #pool: pg.Pool;

  /** `pool`: a pool whose database is migrated (see migratePostgres). */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async list(): Promise<SalonSettings[]> {
    const { rows } = await this.#pool.query<{ salon: string; settings: unknown }>(
      'SELECT salon, settings FROM ledger_salon_settings ORDER BY salon',
    );
    return rows.map((row) => parseSalon(row.settings, `salon ${row.salon} in ledger_salon_settings`));
  }

  async add(salon: SalonSettings): Promise<void> {
    const { rowCount } = await this.#pool.query(
      'INSERT INTO ledger_salon_settings (salon, settings) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [salon.id, JSON.stringify(parseSalon(salon, salon.id))],
    );
    if (rowCount === 0) throw takenError(salon.id);
  }

  async update(id: string, change: (salon: SalonSettings) => SalonSettings): Promise<SalonSettings> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ settings: unknown }>(
        'SELECT settings FROM ledger_salon_settings WHERE salon = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) throw new UnknownSalonError(id);
      const changed = parseSalon(change(parseSalon(rows[0]!.settings, id)), id);
      await client.query('UPDATE ledger_salon_settings SET settings = $2 WHERE salon = $1', [
        id,
        JSON.stringify(changed),
      ]);
      return changed;
    });
  }

  async close(): Promise<void> {}
}
