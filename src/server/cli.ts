#!/usr/bin/env node
/**
 * marketing-consent-ledger: runs the consent ledger under Node, or verifies
 * a ledger file's hash chain.
 *
 *   marketing-consent-ledger serve --data ./consents --port 8787 --origin https://salon-bella.ch
 *   marketing-consent-ledger verify --data ./consents
 *
 * The staff token is read from the MARKETING_CONSENT_STAFF_TOKEN environment
 * variable, never from the command line (where `ps` would show it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLedgerApp } from './ledger-app.js';
import { findChainBreak } from './hash-chain.js';
import { JsonlLedgerStore, LEDGER_FILE_NAME, parseLedger } from './jsonl-ledger-store.js';
import { startLedgerServer } from './node-server.js';
import type { PublishedText } from './text-registry.js';

const USAGE = `usage:
  marketing-consent-ledger [serve] --data DIR [options]
  marketing-consent-ledger verify --data DIR

serve options:
  --port 8787              port (0: any free port)
  --host 127.0.0.1         address to listen on
  --origin URL             booking-page origin allowed to post (repeatable)
  --staff-origin URL       back-office origin allowed to call the staff API from a browser (repeatable)
  --texts FILE             published texts, JSON: [{"version","locale","sha256"}]; other texts are flagged
  --salon NAME             the salon, named on proofs (also --salon-address, --salon-email, --jurisdiction)
  --public-url URL         this ledger's public URL, for unsubscribe links
  --rate-limit N           public requests per minute per client address (default 120; 0: off)

environment:
  MARKETING_CONSENT_STAFF_TOKEN  token for the staff API (Authorization: Bearer …)
  MARKETING_CONSENT_LINK_SECRET  secret that signs unsubscribe links (at least 32 characters)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      origin: { type: 'string', multiple: true, default: [] },
      'staff-origin': { type: 'string', multiple: true, default: [] },
      texts: { type: 'string' },
      salon: { type: 'string' },
      'salon-address': { type: 'string' },
      'salon-email': { type: 'string' },
      jurisdiction: { type: 'string' },
      'public-url': { type: 'string' },
      'rate-limit': { type: 'string', default: '120' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.data) {
    console.error(`--data is missing: name the folder that holds the ledger file.\n${USAGE}`);
    return 2;
  }
  if (command === 'verify') return verify(values.data);
  if (command !== 'serve') {
    console.error(`unknown command "${command}".\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0–65535), not "${values.port}".`);
    return 2;
  }
  const rate = Number(values['rate-limit']);
  if (!Number.isInteger(rate) || rate < 0) {
    console.error(`--rate-limit must be a whole number of requests per minute, not "${values['rate-limit']}".`);
    return 2;
  }
  const linkSecret = process.env['MARKETING_CONSENT_LINK_SECRET'];
  if (linkSecret !== undefined && linkSecret.length < 32) {
    console.error('MARKETING_CONSENT_LINK_SECRET must be at least 32 characters (e.g. openssl rand -base64 32).');
    return 2;
  }
  const texts = values.texts ? await readPublishedTexts(values.texts) : [];
  const store = await JsonlLedgerStore.open(values.data);
  const staffToken = process.env['MARKETING_CONSENT_STAFF_TOKEN'];
  const app = createLedgerApp({
    store,
    allowedOrigins: values.origin,
    staffOrigins: values['staff-origin'],
    staffToken,
    texts,
    linkSecret,
    publicUrl: values['public-url'],
    controller: {
      name: values.salon ?? 'the salon',
      ...(values['salon-address'] ? { address: values['salon-address'] } : {}),
      ...(values['salon-email'] ? { email: values['salon-email'] } : {}),
      ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}),
    },
    rateLimit: rate === 0 ? false : { perMinute: rate },
  });
  const running = await startLedgerServer(app, { port, hostname: values.host });
  console.log(
    `consent ledger listening on ${running.url} (data: ${values.data}${staffToken ? '' : '; staff API disabled: set MARKETING_CONSENT_STAFF_TOKEN'})`,
  );
  const stop = async () => {
    await running.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

/** Reads the register of published texts, or explains what is wrong with the file. */
async function readPublishedTexts(file: string): Promise<PublishedText[]> {
  const texts: unknown = JSON.parse(await readFile(file, 'utf8'));
  const valid =
    Array.isArray(texts) &&
    texts.every(
      (text: Partial<PublishedText>) =>
        typeof text.version === 'string' && typeof text.locale === 'string' && /^[0-9a-f]{64}$/.test(text.sha256 ?? ''),
    );
  if (!valid) throw new Error(`${file} must be a JSON array of {"version", "locale", "sha256" (64 hex digits)}`);
  return texts as PublishedText[];
}

async function verify(directory: string): Promise<number> {
  const path = join(directory, LEDGER_FILE_NAME);
  const { entries, tornTail } = parseLedger(await readFile(path, 'utf8'));
  const broken = findChainBreak(entries);
  if (broken) {
    console.error(`${path}: BROKEN at entry ${broken.seq} (line ${broken.index + 1}): ${broken.reason}`);
    return 1;
  }
  console.log(
    `${path}: OK, ${entries.length} entries, hash chain intact${tornTail ? ' (a torn last line will be dropped at start-up)' : ''}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: Error) => {
    console.error(`marketing-consent-ledger: ${error.message}`);
    process.exit(1);
  },
);
