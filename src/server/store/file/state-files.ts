/**
 * The file store's small documents beside the chain (a webhook endpoint's
 * cursor, a notice waiting to be delivered): one file each in `state/`,
 * replaced whole and durably (written aside, fsynced, renamed, the folder
 * fsynced), so a crash leaves the old document or the new one, never half.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const STATE_FOLDER_NAME = 'state';

/** A name as a file name: readable where it is safe, a digest where it is not (names may hold URLs). */
const fileNameOf = (name: string) =>
  /^[a-z0-9.-]{1,100}$/i.test(name) ? `${name}.json` : `${createHash('sha256').update(name).digest('hex')}.json`;

/** fsync a directory, so a file created, renamed or removed in it stays so after a crash. */
export async function syncDirectory(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class StateFiles {
  readonly #folder: string;
  #made = false;

  constructor(ledgerFolder: string) {
    this.#folder = join(ledgerFolder, STATE_FOLDER_NAME);
  }

  async read(name: string): Promise<string | undefined> {
    try {
      const stored = JSON.parse(await readFile(join(this.#folder, fileNameOf(name)), 'utf8')) as { value: string };
      return stored.value;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(name: string, value: string | undefined): Promise<void> {
    const path = join(this.#folder, fileNameOf(name));
    if (value === undefined) {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      if (this.#made) await syncDirectory(this.#folder);
      return;
    }
    if (!this.#made) {
      await mkdir(this.#folder, { recursive: true, mode: 0o700 });
      this.#made = true;
    }
    const aside = `${path}.${randomUUID()}.tmp`;
    const handle = await open(aside, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ name, value }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(aside, path);
    await syncDirectory(this.#folder);
  }

  /** The names of the documents whose names start with `prefix`. */
  async names(prefix: string): Promise<string[]> {
    let files: string[];
    try {
      files = await readdir(this.#folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const names: string[] = [];
    for (const file of files.filter((file) => file.endsWith('.json'))) {
      const stored = JSON.parse(await readFile(join(this.#folder, file), 'utf8').catch(() => '{}')) as {
        name?: string;
      };
      if (stored.name?.startsWith(prefix)) names.push(stored.name);
    }
    return names;
  }
}
