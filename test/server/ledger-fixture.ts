/**
 * A real ledger on loopback for the server tests: the Hono app over the JSONL
 * store in a fresh folder, reached with fetch like any client.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { ConsentEvent } from '../../src/contract/consent-event.js';
import { createLedgerApp, type LedgerOptions } from '../../src/server/app/ledger-app.js';
import {
  JsonlLedgerStore,
  LEDGER_FILE_NAME,
  type JsonlStoreOptions,
} from '../../src/server/store/file/jsonl-ledger-store.js';
import { startLedgerServer } from '../../src/server/app/node-server.js';
import { PostgresLedgerStore } from '../../src/server/store/postgres/postgres-ledger-store.js';

export const STAFF_TOKEN = 'staff-token-for-tests-0123456789abcdef';
export const LINK_SECRET = 'link-secret-for-tests-0123456789abcdef-xyz';
export const PAGE_ORIGIN = 'https://salon-bella.example';

export async function startLedger(
  options: Partial<LedgerOptions> = {},
  at: { dataDir?: string; store?: JsonlStoreOptions; databaseUrl?: string } = {},
) {
  const dataDir = at.dataDir ?? (await mkdtemp(join(tmpdir(), 'ledger-test-')));
  const store = at.databaseUrl
    ? await PostgresLedgerStore.open({ connectionString: at.databaseUrl, ...at.store })
    : await JsonlLedgerStore.open(dataDir, at.store);
  const app = createLedgerApp({
    store,
    allowedOrigins: [PAGE_ORIGIN],
    staffToken: STAFF_TOKEN,
    linkSecret: LINK_SECRET,
    controller: { name: 'Salon Bella', address: 'Bahnhofstrasse 1, 8001 Zürich', jurisdiction: 'CH' },
    rateLimit: false,
    // Single opt-in unless a test asks for double opt-in (which needs an SMTP server: see scripts/mailbox.mjs).
    confirmation: { 'email-newsletter': 'none' },
    ...options,
  });
  const server = await startLedgerServer(app);
  const ledgerFile = join(dataDir, LEDGER_FILE_NAME);
  return {
    url: server.url,
    /** The Hono app itself, to ask it without Node's server (app.request). */
    app,
    dataDir,
    store,
    ledgerFile,
    /** The ledger file's bytes, to prove a request changed nothing. */
    bytes: () => readFile(ledgerFile),
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    staff: (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${STAFF_TOKEN}`,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      }),
    /** A signed unsubscribe link for an address, as the mailing tool asks for it. */
    unsubscribeLink: async (address: string, purpose = 'email-newsletter'): Promise<string> => {
      const response = await fetch(`${server.url}/v1/staff/unsubscribe-links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ purpose, address }),
      });
      return ((await response.json()) as { url: string }).url;
    },
    close: async () => {
      await app.close();
      await server.close();
      await store.close();
    },
  };
}

export type Ledger = Awaited<ReturnType<typeof startLedger>>;

export const NOTICE_TEXT =
  'Neuigkeiten von Salon Bella (freiwillig)\n\nNewsletter per E-Mail\nJa, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.\n\nWiderruf jederzeit. [Datenschutzerklärung](https://salon-bella.example/datenschutz)';
export const NOTICE_SHA256 = createHash('sha256').update(NOTICE_TEXT).digest('hex');

/** A Swiss mobile number of its own for each test customer (a shared number would link them into one customer). */
export function uniquePhone(): string {
  const digits = String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0');
  return `+41 79 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
}

/** A consent event as the element would post it. */
export function consentEvent(overrides: Partial<ConsentEvent> = {}): ConsentEvent {
  return {
    schemaVersion: 1,
    id: randomUUID(),
    subject: { email: `anna-${randomUUID().slice(0, 8)}@example.ch`, phone: uniquePhone() },
    purposes: [{ purpose: 'email-newsletter', granted: true }],
    notice: { textVersion: '2026-11-01', locale: 'de', text: NOTICE_TEXT, sha256: NOTICE_SHA256 },
    clientTime: new Date().toISOString(),
    method: 'online-booking',
    source: { pageUrl: 'https://salon-bella.example/termin', widget: { name: 'marketing-consent', version: '0.1.0' } },
    ...overrides,
  };
}
