/**
 * The public specifications the tests check against. They are test data
 * kept beside the project (shared/specs), never copied into it: found beside
 * this checkout, or, for a clone made elsewhere (CI clones into a fresh
 * folder), beside the repository it was cloned from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The folders that may hold the specifications, nearest first. */
function specFolders(): string[] {
  const folders = [join(root, '..', 'shared', 'specs')];
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    // A clone of a repository on this machine (not a URL): the specifications beside that one.
    if (isAbsolute(origin)) folders.push(join(resolve(origin), '..', 'shared', 'specs'));
  } catch {
    // not a clone, or no git: only the folder beside this checkout
  }
  return folders;
}

/** A specification's JSON (e.g. kantara-consent-receipt-v1_1-schema.json), read from shared/specs. */
export async function readSpecJson(name: string): Promise<unknown> {
  const folders = specFolders();
  const folder = folders.find((candidate) => existsSync(join(candidate, name)));
  if (!folder) {
    throw new Error(
      `${name} is in none of ${folders.join(', ')}: the public specifications are kept in shared/specs beside the project`,
    );
  }
  return JSON.parse(await readFile(join(folder, name), 'utf8'));
}
