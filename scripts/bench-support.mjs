// What the ledger benchmarks share: the booking they post, a fresh PostgreSQL database, and a
// process's CPU time (Linux /proc).
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.mjs';

export const noticeText =
  'Neuigkeiten von Salon Bella (freiwillig)\n\nNewsletter per E-Mail\nJa, ich möchte den Newsletter von Salon Bella mit Angeboten und Neuigkeiten per E-Mail erhalten.\n\nIhre Einwilligung ist freiwillig. Widerruf jederzeit über den Abmeldelink. [Datenschutzerklärung](https://salon-bella.example/datenschutz)';
export const noticeSha256 = createHash('sha256').update(noticeText).digest('hex');

/** Customer `i`'s booking, with the newsletter ticked. */
export const makeEvent = (i) => ({
  schemaVersion: 1,
  id: randomUUID(),
  // A phone of its own per customer: a shared one would link them all into one customer.
  subject: { email: `kundin-${i}@example.ch`, phone: `+4179${String(i % 10_000_000).padStart(7, '0')}` },
  purposes: [{ purpose: 'email-newsletter', granted: true }],
  notice: { textVersion: '2026-11-01', locale: 'de', text: noticeText, sha256: noticeSha256 },
  clientTime: new Date().toISOString(),
  method: 'online-booking',
  source: { pageUrl: 'https://salon-bella.example/termin', widget: { name: 'marketing-consent', version: 'bench' } },
});

/** PostgreSQL: DATABASE_URL's server, or an embedded one started on first use; a fresh database per call. */
let postgres;
export async function freshDatabase() {
  if (!postgres) {
    postgres = process.env.DATABASE_URL
      ? { url: process.env.DATABASE_URL.replace(/\/[^/]*$/, ''), stop: async () => undefined }
      : await startEmbeddedPostgres({ dir: await mkdtemp(join(tmpdir(), 'bench-pg-')) });
  }
  const name = `bench_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: `${postgres.url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return `${postgres.url}/${name}`;
}

/** Stops the embedded PostgreSQL, if one was started. */
export async function stopPostgres() {
  await postgres?.stop();
  postgres = undefined;
}

/** CPU seconds a process has used so far (Linux /proc). */
export async function cpuSeconds(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The ledger command serving on a free port, durable, without rate limit, counting ticks at once (no
 * confirmation mail); resolves with the process and its URL once it listens.
 */
export async function startLedgerCommand(args, { env = {}, nodeArgs = [] } = {}) {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      'dist/server/cli.js',
      'serve',
      ...args,
      '--port',
      '0',
      '--rate-limit',
      '0',
      '--single-opt-in',
      'email-newsletter',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening on (http:\/\/\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`ledger exited with ${code}`)));
  });
  return { child, url };
}
