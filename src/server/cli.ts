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

const USAGE = `usage:
  marketing-consent-ledger [serve] --data DIR [--port 8787] [--host 127.0.0.1] [--origin URL]...
  marketing-consent-ledger verify --data DIR
environment:
  MARKETING_CONSENT_STAFF_TOKEN  token for the staff API (Authorization: Bearer …)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      origin: { type: 'string', multiple: true, default: [] },
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
  const store = await JsonlLedgerStore.open(values.data);
  const staffToken = process.env['MARKETING_CONSENT_STAFF_TOKEN'];
  const app = createLedgerApp({ store, allowedOrigins: values.origin, staffToken });
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
