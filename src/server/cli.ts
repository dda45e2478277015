#!/usr/bin/env node
/**
 * marketing-consent-ledger: runs the consent ledger under Node, verifies a
 * ledger, and makes the key that signs its checkpoints.
 *
 *   marketing-consent-ledger keygen --key /etc/consent/checkpoint.pem --name salon-bella.ch/consent
 *   marketing-consent-ledger serve --data ./consents --key /etc/consent/checkpoint.pem --origin https://salon-bella.ch
 *   marketing-consent-ledger verify --data ./consents --public-key /etc/consent/checkpoint.pem.pub --checkpoints /mnt/witness
 *
 * The staff token is read from the MARKETING_CONSENT_STAFF_TOKEN environment
 * variable, never from the command line (where `ps` would show it).
 */
import { checkSmsSettings } from './sms/sms-channel.js';
import { plural } from '../legal-text/plural.js';
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type pg from 'pg';
import { WIDGET_NAME, WIDGET_VERSION } from '../version.js';
import { checkLedgerSettings, createLedgerApp, ledgerDecisions, type LedgerOptions } from './app/ledger-app.js';
import { applyRetention, type ErasurePlan } from './consent/erasure.js';
import { customerViews, identifiersOf } from './app/ledger-context.js';
import {
  CheckpointSigner,
  checkpointSize,
  generateCheckpointKey,
  renameVerifierKey,
  splitCheckpoints,
} from './integrity/checkpoint.js';
import { createPlatformApp, salonLedgerOptions, sharedLedgerOptions } from './salons/platform-app.js';
import { applyImport, IMPORT_COLUMNS, planImport, readImportFile, type ImportPlan } from './import/consent-import.js';
import { FileSalonRegistry, salonIdProblem, UnknownSalonError } from './salons/salon-registry.js';
import { openSalonRegistry, salonsCommand } from './salons/salons-cli.js';
import { parseTrustProxy } from './app/client-address.js';
import {
  CHECKPOINT_LOG_NAME,
  isTornLine,
  JsonlLedgerStore,
  LEDGER_FILE_NAME,
} from './store/file/jsonl-ledger-store.js';
import { ledgerLines } from './store/file/jsonl-index-files.js';
import type { LedgerStore } from './store/ledger-store.js';
import { PostgresLedgerStore, readPostgresChain } from './store/postgres/postgres-ledger-store.js';
import { startLedgerServer } from './app/node-server.js';
import type { PublishedText } from './consent/text-registry.js';
import { mergePublishedTexts, publishedTextsFromHtml } from './consent/published-texts.js';
import { LedgerVerifier, type CheckpointSource } from './integrity/verify-ledger.js';
import { checkWebhookSecret, checkWebhookUrl, newWebhookSecret } from './integrations/webhooks.js';
import type { IntegrationCredentials } from './routes/integrations.js';
import { CheckpointWitnesses } from './integrity/witness.js';
import type { CountryCode } from './consent/addresses.js';

const USAGE = `usage:
  marketing-consent-ledger [serve] --data DIR | --database-url URL [options]
  marketing-consent-ledger texts --from PAGE [--from PAGE]... --out FILE
  marketing-consent-ledger --version
  marketing-consent-ledger verify --data DIR | --database-url URL [--public-key KEY]... [--checkpoints FILE|DIR]...
  marketing-consent-ledger retention --data DIR | --database-url URL [--dry-run] [--key FILE] [retention options]
  marketing-consent-ledger retention --url LEDGER_URL [--dry-run]
  marketing-consent-ledger accept-history --data DIR | --database-url URL --key FILE --operator NAME --note TEXT
  marketing-consent-ledger import --data DIR | --database-url URL --file FILE.csv [--dry-run] [--key FILE]
  marketing-consent-ledger keygen --key FILE --name NAME
  marketing-consent-ledger webhook-secret  prints a new secret for MARKETING_CONSENT_WEBHOOK_SECRET
  marketing-consent-ledger rotate-key --key FILE

many salons on one deployment (a platform):
  marketing-consent-ledger salons add ID --salon NAME [--origin URL]... [salon options]   prints its staff token
  marketing-consent-ledger salons set ID [salon options]     changes only what is given
  marketing-consent-ledger salons list | disable ID | enable ID | new-token ID | new-integration-token ID
  marketing-consent-ledger serve --salons [options]          every enabled salon, under /salons/ID/
      --max-open-salons 500    at most this many salons open at once (about five files each): the one
                               asked for least recently is closed to open another
      --salon-idle-minutes 10  a salon nobody asked for this long is closed (opened again when asked for,
                               or when its mails are due)
  verify and retention take --salon-id ID for one salon's chain
  salon options: --salon, --salon-address, --salon-email, --jurisdiction, --locale, --privacy-url,
  --phone-country, --origin, --staff-origin, --texts, --mail-from, --sms-from, --single-opt-in (as for serve),
  --webhook URL (the salon's own endpoints, each with its own secret, printed once; "none" removes them)
  (each with --data DIR or --database-url URL, where the platform keeps its salons)

where the ledger is:
  --data DIR               a folder with the ledger file (the embedded store)
  --database-url URL       PostgreSQL, postgres://user:password@host:5432/db (or DATABASE_URL, which keeps
                           the password out of the process list); the schema is made and upgraded at start;
                           the URL's parameters (sslmode, application_name, options, host=/socket/dir) apply
  --db-pool-size 10        connections to PostgreSQL this process keeps at most (all salons share them)

serve options:
  --port 8787              port (0: any free port)
  --host 127.0.0.1         address to listen on
  --origin URL             booking-page origin allowed to post (repeatable)
  --staff-origin URL       back-office origin allowed to call the staff API from a browser (repeatable)
  --texts FILE             published texts, JSON: [{"version","locale","sha256"}]; other texts are flagged
  --salon NAME             the salon, named on proofs (also --salon-address, --salon-email, --jurisdiction)
  --locale de              the salon's language for proofs and pages (de, fr, it, en)
  --privacy-url URL        the salon's privacy notice, for receipts of staff entries
  --phone-country CH       country of phone numbers written without +country code (default: --jurisdiction)
  --public-url URL         this ledger's public URL, for unsubscribe links
  --rate-limit N           public requests per minute per client address (default 120; 0: off)
  --trust-proxy N|ADDRS    believe X-Forwarded-For for N proxy hops, or from these proxy addresses
  --key FILE               Ed25519 key that signs checkpoints (made by keygen; keep it outside DIR)
  --witness DIR            hand signed checkpoints to this directory, one new file a minute (repeatable)

the salon's newsletter tools (see the README's "Integrations"):
  --webhook URL            POST every change of a customer's decision here, signed (repeatable; https, or
                           http to a loopback address); needs MARKETING_CONSENT_WEBHOOK_SECRET
  --integration-token T    lets a tool post suppressions (unsubscribes, complaints, bounces), nothing else
                           (or MARKETING_CONSENT_INTEGRATION_TOKEN, which keeps it out of the process list)

double opt-in (on for the e-mail newsletter unless --single-opt-in names it):
  --smtp-url URL           SMTP server for confirmation mails, smtp://user:pass@host:587 or smtps://…
                           (or MARKETING_CONSENT_SMTP_URL, which keeps the password out of the process list)
  --mail-from ADDRESS      sender of confirmation mails, e.g. "Salon Bella <hallo@salon-bella.ch>"
  --single-opt-in PURPOSE  count this purpose's online ticks at once, without a confirmation mail (repeatable)
  --confirmation-days 14   days a sign-up waits for its confirmation before it lapses
  --mail-throttle-hours 24 at most one confirmation mail per address and purpose in this time
  --record-client-address  keep the client address of sign-up and click as evidence (personal data)

SMS (double opt-in and STOP for the SMS newsletter, over the operator's SMSC):
  --smpp-url URL           smpp://SYSTEM_ID:PASSWORD@HOST:PORT (ssmpp:// for TLS), bound as a transceiver
                           (or MARKETING_CONSENT_SMPP_URL, which keeps the password out of the process list)
  --sms-from NUMBER        the salon's number customers reply to: +41 79 123 45 67, or a short code
                           with both, an SMS newsletter tick waits for the reply JA/OUI/SI/YES (unless
                           --single-opt-in sms-newsletter), and STOP withdraws it at any time; with --salons,
                           one session for all salons, each with its own number (salons set ID --sms-from …)
  --sms-countries CH,DE    the countries whose numbers get SMS, or "all" (default: the EEA, CH and GB); a
                           sign-up from elsewhere gets no SMS and lapses (no SMS pumping on the salon's bill)

retention (erasing personal data the salon no longer needs; also on a schedule while serving):
  --retention-years 3      erase customers with nothing granted or pending this long after their latest
                           record (a default, the usual German limitation period; not legal advice)
  --unconfirmed-grace-days 0  keep an unconfirmed double opt-in sign-up this long after it lapsed
  --retention-interval-hours 24  how often the running ledger applies retention
  --no-retention           serve without the schedule (the staff API and this command still apply it)
  --dry-run                only list what would be erased
  --url URL                ask a running ledger (its staff API, MARKETING_CONSENT_STAFF_TOKEN) instead of
                           opening DIR, which the running ledger holds

texts: the register of published texts (for --texts), made from the booking page's
  <marketing-consent> elements and their <template data-text> children, fingerprinted as the
  element does. PAGE is an HTML file or the page's URL. Versions already in FILE are kept.

verify options:
  --public-key KEY|FILE    verifier key(s) whose checkpoints to trust (a .pub file from keygen; repeatable)
  --checkpoints FILE|DIR   checkpoints kept elsewhere: a witness directory, receipts saved as text (repeatable)

accept-history: when a ledger with a key refuses to start because it cannot vouch for what it found (no
  checkpoint log, a log that does not match the chain, entries written without the key), and verify
  shows the chain is as it should be (a backup restored, a ledger kept without a key until now), the
  operator accepts it as found: an entry of the chain says who, why and what was found, and is signed.
  --operator NAME          who accepts it
  --note TEXT              why (no personal data)

import (the consents a salon brings from other software; on a stopped ledger, never over the network):
  --file FILE.csv          header: email,phone,customer_id,purpose,decision,occurred_at,source,evidence,staff_name;
                           decision granted or withdrawn; occurred_at when the customer decided (ISO 8601 with
                           its zone); evidence required for a grant. A file with any wrong row is refused whole,
                           each wrong row named by its line; a row never overrides a decision on record from the
                           same time or later, so importing a file again adds nothing
  --dry-run                print what would be added, write nothing

environment:
  MARKETING_CONSENT_STAFF_TOKEN  token for the staff API (Authorization: Bearer …)
  MARKETING_CONSENT_LINK_SECRET  secret that signs unsubscribe and confirmation links (at least 32 characters)
  MARKETING_CONSENT_SMTP_URL     the SMTP server, as --smtp-url
  MARKETING_CONSENT_SMPP_URL     the SMSC, as --smpp-url
  MARKETING_CONSENT_WEBHOOK_SECRET      signs the webhooks (Standard Webhooks, whsec_…; webhook-secret makes one)
  MARKETING_CONSENT_INTEGRATION_TOKEN   a newsletter tool's token for suppressions, as --integration-token
  MARKETING_CONSENT_INTEGRATION_SECRET  a tool that signs its suppressions instead (whsec_…)
  DATABASE_URL                   PostgreSQL, as --database-url (used when --data is not given)`;

const OPTIONS = {
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
  locale: { type: 'string' },
  'privacy-url': { type: 'string' },
  'phone-country': { type: 'string' },
  'public-url': { type: 'string' },
  'rate-limit': { type: 'string', default: '120' },
  'trust-proxy': { type: 'string' },
  key: { type: 'string' },
  name: { type: 'string' },
  witness: { type: 'string', multiple: true, default: [] },
  'public-key': { type: 'string', multiple: true, default: [] },
  checkpoints: { type: 'string', multiple: true, default: [] },
  'smtp-url': { type: 'string' },
  webhook: { type: 'string', multiple: true, default: [] },
  'integration-token': { type: 'string' },
  'mail-from': { type: 'string' },
  'smpp-url': { type: 'string' },
  'sms-from': { type: 'string' },
  'sms-countries': { type: 'string' },
  'single-opt-in': { type: 'string', multiple: true, default: [] },
  'confirmation-days': { type: 'string', default: '14' },
  'mail-throttle-hours': { type: 'string', default: '24' },
  'record-client-address': { type: 'boolean', default: false },
  'retention-years': { type: 'string', default: '3' },
  'unconfirmed-grace-days': { type: 'string', default: '0' },
  'retention-interval-hours': { type: 'string', default: '24' },
  'no-retention': { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  url: { type: 'string' },
  'database-url': { type: 'string' },
  'db-pool-size': { type: 'string', default: '10' },
  salons: { type: 'boolean', default: false },
  'salon-id': { type: 'string' },
  'max-open-salons': { type: 'string', default: '500' },
  'salon-idle-minutes': { type: 'string', default: '10' },
  operator: { type: 'string' },
  note: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  from: { type: 'string', multiple: true, default: [] },
  out: { type: 'string' },
  file: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // Node's parser says what was wrong ("Unknown option '--prot'"); add where to look.
    console.error(
      `marketing-consent-ledger: ${(error as Error).message}\nRun marketing-consent-ledger --help for the options.`,
    );
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'serve';
  if (values.version || command === 'version') {
    console.log(`${WIDGET_NAME} ${WIDGET_VERSION}`);
    return 0;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'keygen' || command === 'rotate-key') return makeKey(command, values.key, values.name);
  if (command === 'texts') return registerTexts(values.from, values.out);
  if (command === 'webhook-secret') {
    console.log(newWebhookSecret());
    return 0;
  }
  if (command === 'retention' && values.url) return retentionThroughApi(values.url, values['dry-run']);
  if (values.data && values['database-url']) {
    console.error('give --data (a folder) or --database-url (PostgreSQL), not both.');
    return 2;
  }
  const databaseUrl = values.data ? undefined : (values['database-url'] ?? process.env['DATABASE_URL']);
  if (!values.data && !databaseUrl) {
    console.error(
      `--data or --database-url is missing: name the folder that holds the ledger file, or the PostgreSQL database.\n${USAGE}`,
    );
    return 2;
  }
  const poolSize = Number(values['db-pool-size']);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    console.error(
      `--db-pool-size must be a whole number of connections from 1 to 1000, not "${values['db-pool-size']}" (the server's max_connections bounds all processes together).`,
    );
    return 2;
  }
  const platform: LedgerPlace = databaseUrl ? { databaseUrl, poolSize } : { directory: values.data! };
  if (command === 'salons') {
    const texts = values.texts ? await readTextsFlag(values.texts) : undefined;
    return salonsCommand(positionals[1], positionals[2], values, texts, platform);
  }
  // One salon of a platform: its own chain, beside the others.
  const salonId = values['salon-id'];
  if (salonId !== undefined && !(await isRegistered(platform, salonId))) return 2;
  const where = salonId === undefined ? platform : salonPlace(platform, salonId);
  if (command === 'verify') return verify(where, values['public-key'], values.checkpoints, salonId);
  if (command === 'accept-history') return acceptHistory(where, salonId, values);
  if (command !== 'serve' && command !== 'retention' && command !== 'import') {
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
  const phoneCountry = values['phone-country']?.toUpperCase();
  if (phoneCountry !== undefined && !/^[A-Z]{2}$/.test(phoneCountry)) {
    console.error(`--phone-country must be a two-letter country code such as CH or DE, not "${phoneCountry}".`);
    return 2;
  }
  const linkSecret = process.env['MARKETING_CONSENT_LINK_SECRET'];
  if (linkSecret !== undefined && linkSecret.length < 32) {
    console.error('MARKETING_CONSENT_LINK_SECRET must be at least 32 characters (e.g. openssl rand -base64 32).');
    return 2;
  }
  const lapseDays = Number(values['confirmation-days']);
  const throttleHours = Number(values['mail-throttle-hours']);
  if (!(lapseDays > 0) || !(throttleHours >= 0)) {
    console.error('--confirmation-days must be a number of days above 0, --mail-throttle-hours a number of hours.');
    return 2;
  }
  const smtpUrl = values['smtp-url'] ?? process.env['MARKETING_CONSENT_SMTP_URL'];
  const smppUrl = values['smpp-url'] ?? process.env['MARKETING_CONSENT_SMPP_URL'];
  if (smppUrl && !values['sms-from'] && !values.salons) {
    console.error(
      '--sms-from is missing: confirmation SMS need the salon\'s number customers reply to, e.g. --sms-from "+41 79 123 45 67".',
    );
    return 2;
  }
  if (values['sms-from'] && !smppUrl && !values.salons) {
    console.error(
      "--smpp-url is missing: SMS go through the operator's SMSC, e.g. --smpp-url smpp://ID:PASSWORD@smsc.example:2775 (or MARKETING_CONSENT_SMPP_URL).",
    );
    return 2;
  }
  if (smppUrl) {
    try {
      const countries = smsCountries(values['sms-countries']);
      checkSmsSettings({
        smppUrl,
        // On a platform each salon has its own number (salons set ID --sms-from …), checked when it is set.
        ...(values.salons ? {} : { from: values['sms-from'] ?? '' }),
        ...(countries ? { countries } : {}),
      });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
  }
  if (smppUrl && !values.salon && !values.salons) {
    console.error('--salon is missing: confirmation SMS name the salon, e.g. --salon "Salon Bella".');
    return 2;
  }
  if (values.salons) {
    const own = [
      'origin',
      'staff-origin',
      'salon',
      'texts',
      'mail-from',
      'sms-from',
      'single-opt-in',
      'phone-country',
      'locale',
    ] as const;
    const given = own.filter((flag) => {
      const value = values[flag];
      return Array.isArray(value) ? value.length > 0 : value !== undefined;
    });
    if (given.length > 0) {
      console.error(
        `--${given[0]} is each salon's own when serving --salons: set it with "marketing-consent-ledger salons set ID --${given[0]} …"`,
      );
      return 2;
    }
  }
  if (smtpUrl && !values.salon && !values.salons) {
    console.error('--salon is missing: confirmation mails name the salon, e.g. --salon "Salon Bella".');
    return 2;
  }
  if (smtpUrl && !values['mail-from'] && !values.salons) {
    console.error(
      '--mail-from is missing: confirmation mails need a sender, e.g. "Salon Bella <hallo@salon-bella.ch>".',
    );
    return 2;
  }
  const trustProxy = values['trust-proxy'] === undefined ? undefined : parseTrustProxy(values['trust-proxy']);
  const texts = values.texts ? await readTextsFlag(values.texts) : [];
  const { platformSigner, platformKeys, signer, trustedKeys } = await signingOf(values.key, salonId);
  const witnesses = new CheckpointWitnesses(values.witness);
  const staffToken = process.env['MARKETING_CONSENT_STAFF_TOKEN'];
  const integrations = integrationsOf(values['integration-token'], staffToken);
  if (typeof integrations === 'string') {
    console.error(integrations);
    return 2;
  }
  const webhookSecret = process.env['MARKETING_CONSENT_WEBHOOK_SECRET'];
  try {
    for (const url of values.webhook) checkWebhookUrl(url);
    if (values.webhook.length) checkWebhookSecret(webhookSecret);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const settings: Omit<LedgerOptions, 'store'> = {
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
      ...(values.locale ? { locale: values.locale } : {}),
      ...(values['privacy-url'] ? { privacyUrl: values['privacy-url'] } : {}),
    },
    phoneCountry: phoneCountry as CountryCode | undefined,
    rateLimit: rate === 0 ? false : { perMinute: rate },
    trustProxy,
    checkpointKeys: signer ? [signer.verifierKey, ...trustedKeys] : [],
    confirmation: Object.fromEntries(values['single-opt-in'].map((purpose) => [purpose, 'none'])),
    confirmationLapseDays: lapseDays,
    integrations,
    ...(values.webhook.length
      ? {
          webhooks: {
            endpoints: values.webhook.map((url) => ({ url, secret: webhookSecret ?? '' })),
            salon: { name: values.salon ?? 'the salon' },
          },
        }
      : {}),
    retention: values['no-retention']
      ? false
      : {
          inactiveYears: Number(values['retention-years']),
          unconfirmedGraceDays: Number(values['unconfirmed-grace-days']),
          intervalHours: Number(values['retention-interval-hours']),
        },
    ...(smppUrl
      ? {
          sms: {
            smppUrl,
            from: values['sms-from'] ?? '',
            ...(values['sms-countries'] ? { countries: smsCountries(values['sms-countries']) } : {}),
          },
        }
      : {}),
    ...(smtpUrl
      ? {
          mail: {
            smtp: smtpUrl,
            from: values['mail-from'] ?? '',
            throttleMs: throttleHours * 3_600_000,
            recordClientAddress: values['record-client-address'],
          },
        }
      : {}),
  };
  if (command === 'import') {
    const options = salonId === undefined ? settings : await salonOptions(platform, salonId);
    return importInStore(where, values.file, values['dry-run'], { ...options, signer, trustedKeys });
  }
  if (command === 'retention') {
    return retentionInStore(where, values['dry-run'], {
      ...settings,
      retention: settings.retention || {},
      signer,
      trustedKeys,
    });
  }
  if (values.salons) {
    const maxOpen = Number(values['max-open-salons']);
    const idleMinutes = Number(values['salon-idle-minutes']);
    if (!Number.isInteger(maxOpen) || maxOpen < 1 || !(idleMinutes > 0)) {
      console.error(
        `--max-open-salons must be a whole number from 1 (not "${values['max-open-salons']}"), --salon-idle-minutes a number of minutes above 0 (not "${values['salon-idle-minutes']}").`,
      );
      return 2;
    }
    return servePlatform(platform, settings, {
      maxOpen: 'directory' in platform ? await maxOpenWithinFileLimit(maxOpen) : maxOpen,
      idleMs: idleMinutes * 60_000,
      port,
      host: values.host,
      signer: platformSigner,
      trustedKeys: platformKeys,
      witnessDirectories: values.witness,
    });
  }
  // Settings that cannot work stop the start before the data folder is touched.
  checkLedgerSettings(settings);
  const store = await openStore(where, { signer, trustedKeys, onCheckpoint: witnesses.offer });
  const app = createLedgerApp({ ...settings, store, latestCheckpoint: () => store.lastCheckpoint });
  const running = await startLedgerServer(app, { port, hostname: values.host });
  console.log(
    `consent ledger listening on ${running.url} (data: ${describePlace(where)}${staffToken ? '' : '; staff API disabled: set MARKETING_CONSENT_STAFF_TOKEN'}${signer ? '' : '; checkpoints unsigned: pass --key'})`,
  );
  const stop = async () => {
    // Connections first (the requests under way finish), then the app's background work and the store.
    await running.close();
    await app.close();
    await store.close();
    await witnesses.flush();
    process.exit(0);
  };
  const retention = settings.retention;
  console.log(
    retention
      ? `retention: unconfirmed sign-ups once lapsed (${lapseDays} days${retention.unconfirmedGraceDays ? ` + ${retention.unconfirmedGraceDays}` : ''}), customers with nothing granted or pending after ${retention.inactiveYears} years; checked every ${retention.intervalHours} h`
      : 'retention: off (--no-retention); apply it with "marketing-consent-ledger retention --url …"',
  );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

/**
 * retention without a running ledger's API: opens the store itself (a data
 * folder's lock refuses when a ledger runs there; a database may be shared),
 * lists what the policy erases, and erases it unless it is a dry run.
 */
async function retentionInStore(
  where: LedgerPlace,
  dryRun: boolean,
  settings: Omit<LedgerOptions, 'store'> & { signer: CheckpointSigner | undefined; trustedKeys: string[] },
): Promise<number> {
  const { signer, trustedKeys, ...options } = settings;
  const { purposes, addresses, viewOptions } = ledgerDecisions(options);
  const store = await openToWrite(where, { signer, trustedKeys }, dryRun, {
    running: 'A running ledger applies retention itself; to run it now, use --url with its address.',
  });
  if (typeof store === 'number') return store;
  try {
    await store.index(identifiersOf(addresses));
    const views = customerViews(store, addresses, viewOptions);
    const plans = await applyRetention(store, views, purposes, options.retention || {}, dryRun);
    printRetention(plans, dryRun);
    return 0;
  } finally {
    await store.close();
  }
}

/** One salon's ledger options as the platform serves it (its phone country, its purposes' confirmation). */
async function salonOptions(platform: LedgerPlace, id: string): Promise<Omit<LedgerOptions, 'store'>> {
  const { registry, pool } = await openSalonRegistry(platform);
  try {
    const salon = (await registry.list()).find((candidate) => candidate.id === id)!;
    return salonLedgerOptions(salon);
  } finally {
    await registry.close();
    await pool?.end();
  }
}

/**
 * import: the consents a salon brings from other software (see
 * import/consent-import.ts), into a stopped ledger; with --dry-run, only
 * what would change.
 */
async function importInStore(
  where: LedgerPlace,
  file: string | undefined,
  dryRun: boolean,
  settings: Omit<LedgerOptions, 'store'> & { signer: CheckpointSigner | undefined; trustedKeys: string[] },
): Promise<number> {
  if (!file) {
    console.error(`--file is missing: the CSV to import, with the header ${IMPORT_COLUMNS.join(',')}`);
    return 2;
  }
  const { signer, trustedKeys, ...options } = settings;
  const { purposes, addresses, viewOptions } = ledgerDecisions(options);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`${file}: ${(error as Error).message}`);
    return 2;
  }
  const read = readImportFile(text, { purposes, addresses });
  if ('problems' in read) {
    console.error(
      `${file} is not imported (nothing was written): ${plural('en', read.problems.length, { one: '# row is wrong', other: '# rows are wrong' })}`,
    );
    for (const problem of read.problems) console.error(`  ${problem}`);
    return 1;
  }
  const exists =
    !('directory' in where) ||
    (await stat(join(where.directory, LEDGER_FILE_NAME)).then(
      () => true,
      () => false,
    ));
  if (dryRun && !exists) {
    // A dry run makes no ledger: against none, every row is new but those a later row of the file decides.
    const none = { customerEntries: async () => [], identifierDigest: (key: string) => key };
    printImportPlan(await planImport(none, read.rows, { addresses, viewOptions }), read.rows.length, true);
    return 0;
  }
  const store = await openToWrite(where, { signer, trustedKeys }, dryRun, {
    running: 'Stop the ledger first: an import runs on a stopped ledger.',
  });
  if (typeof store === 'number') return store;
  try {
    const identify = identifiersOf(addresses);
    await store.index(identify);
    const plan = await planImport(store, read.rows, { addresses, viewOptions });
    printImportPlan(plan, read.rows.length, dryRun);
    if (dryRun) return 0;
    const added = await applyImport(store, plan, addresses, identify);
    console.log(`imported ${added} of ${read.rows.length} rows from ${file} (${plan.skip.length} skipped)`);
    return 0;
  } finally {
    await store.close();
  }
}

/** What an import adds and skips, by line (no addresses: the operator has the file). */
function printImportPlan(plan: ImportPlan, rows: number, dryRun: boolean): void {
  for (const row of plan.add) {
    console.log(
      `${dryRun ? 'would add' : 'adds'} line ${row.line}: ${row.purpose} ${row.granted ? 'granted' : 'withdrawn'} on ${row.occurredAt}`,
    );
  }
  for (const { row, reason } of plan.skip) console.log(`skips line ${row.line}: ${reason}`);
  if (dryRun) console.log(`dry run: ${plan.add.length} of ${rows} rows would be added; nothing was written`);
}

/**
 * The store, for a command that appends to a stopped ledger (retention,
 * import); or the exit code, having said why not: a signed ledger takes no
 * entry without its key, and a running one is in use.
 */
async function openToWrite(
  where: LedgerPlace,
  keys: { signer: CheckpointSigner | undefined; trustedKeys: string[] },
  dryRun: boolean,
  hint: { running: string },
): Promise<LedgerStore | number> {
  const signed =
    'directory' in where &&
    (await stat(join(where.directory, CHECKPOINT_LOG_NAME)).then(
      () => true,
      () => false,
    ));
  if (signed && !keys.signer && !dryRun) {
    console.error(
      `${describePlace(where)} has signed checkpoints: give --key (a signed ledger takes no entry without its key, which it could not vouch for at the next start)`,
    );
    return 2;
  }
  try {
    return await openStore(where, keys);
  } catch (error) {
    if (/in use by process/.test((error as Error).message)) {
      console.error(`${(error as Error).message}\n${hint.running}`);
      return 1;
    }
    throw error;
  }
}

/** retention --url: asks the running ledger's staff API. */
async function retentionThroughApi(url: string, dryRun: boolean): Promise<number> {
  const token = process.env['MARKETING_CONSENT_STAFF_TOKEN'];
  if (!token) {
    console.error('MARKETING_CONSENT_STAFF_TOKEN is not set: the retention endpoint is a staff endpoint.');
    return 2;
  }
  const response = await fetch(new URL('v1/staff/retention', url.endsWith('/') ? url : `${url}/`), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ dryRun }),
  });
  const body = (await response.json()) as { erasures?: ErasurePlan[]; error?: string };
  if (!response.ok || !body.erasures) {
    console.error(`the ledger answered ${response.status}: ${body.error ?? 'no list of erasures'}`);
    return 1;
  }
  printRetention(body.erasures, dryRun);
  return 0;
}

function printRetention(plans: readonly ErasurePlan[], dryRun: boolean): void {
  const records = plans.reduce((sum, plan) => sum + plan.seqs.length, 0);
  for (const plan of plans) {
    console.log(
      `${dryRun ? 'would erase' : 'erased'} ${plan.reason}: ${plan.identifiers.join(', ')} — entries ${plan.seqs.join(', ')}${plan.dueSince ? ` (due since ${plan.dueSince})` : ''}`,
    );
  }
  console.log(
    `${dryRun ? 'dry run: would erase' : 'erased'} the personal data of ${plural('en', plans.length, { one: '# customer', other: '# customers' })} in ${plural('en', records, { one: '# entry', other: '# entries' })}`,
  );
}

/** texts: adds the published texts found on the pages to the register file. */
async function registerTexts(pages: string[], out: string | undefined): Promise<number> {
  if (pages.length === 0 || !out) {
    console.error(
      'texts needs --from PAGE (an HTML file or the booking page URL) and --out FILE, e.g. --out published-texts.json',
    );
    return 2;
  }
  const register = await readPublishedTexts(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const found: PublishedText[] = [];
  let problems = 0;
  for (const page of pages) {
    const html = /^https?:\/\//.test(page) ? await (await fetch(page)).text() : await readFile(page, 'utf8');
    const result = publishedTextsFromHtml(html);
    for (const problem of result.problems) console.error(`${page}: ${problem}`);
    problems += result.problems.length;
    found.push(...result.texts);
  }
  const merged = mergePublishedTexts(register, found);
  for (const conflict of merged.conflicts) console.error(conflict);
  if (merged.conflicts.length > 0) return 1;
  await writeFile(out, `${JSON.stringify(merged.register, null, 2)}\n`);
  for (const text of merged.added) console.log(`added text version ${text.version} (${text.locale}) ${text.sha256}`);
  console.log(
    `${out}: ${plural('en', merged.register.length, { one: '# published text', other: '# published texts' })}, ${merged.added.length} new`,
  );
  return problems > 0 && found.length === 0 ? 1 : 0;
}

/** serve --salons: every enabled salon in the registry, each on its own chain under /salons/ID/. */
async function servePlatform(
  platform: LedgerPlace,
  settings: Omit<LedgerOptions, 'store'>,
  run: {
    maxOpen: number;
    idleMs: number;
    port: number;
    host: string;
    signer: CheckpointSigner | undefined;
    trustedKeys: string[];
    witnessDirectories: string[];
  },
): Promise<number> {
  for (const name of ['MARKETING_CONSENT_STAFF_TOKEN', 'MARKETING_CONSENT_LINK_SECRET']) {
    if (process.env[name]) {
      console.warn(
        `${name} is not used with --salons: each salon has its own, made by "salons add" (a new staff token: "salons new-token")`,
      );
    }
  }
  const { registry, pool } = await openSalonRegistry(platform);
  const witnesses: CheckpointWitnesses[] = [];
  const app = createPlatformApp({
    registry,
    maxOpen: run.maxOpen,
    idleMs: run.idleMs,
    ...(settings.retention ? { maintenanceMs: (settings.retention.intervalHours ?? 24) * 3_600_000 } : {}),
    // What each salon has of its own comes from the registry; the rest is the platform's.
    shared: sharedLedgerOptions(settings),
    async openSalon(id) {
      const { signer, trustedKeys } = salonSigning(run.signer, run.trustedKeys, id);
      const directories = run.witnessDirectories.map((directory) => join(directory, id));
      await Promise.all(directories.map((directory) => mkdir(directory, { recursive: true })));
      const witness = new CheckpointWitnesses(directories);
      witnesses.push(witness);
      const store = await openStore(salonPlace(platform, id), {
        signer,
        trustedKeys,
        onCheckpoint: witness.offer,
        ...(pool ? { pool } : {}),
      });
      return { store, checkpointKeys: signer ? [signer.verifierKey, ...trustedKeys] : [] };
    },
  });
  await app.start();
  const running = await startLedgerServer(app, { port: run.port, hostname: run.host });
  const registered = app.registered();
  console.log(
    `consent ledger for ${plural('en', registered.length, { one: '# salon', other: '# salons' })} listening on ${running.url} (each under /salons/ID/, opened when first asked for; registry: ${describePlace(platform)}${run.signer ? '' : '; checkpoints unsigned: pass --key'})`,
  );
  if (registered.length === 0)
    console.log('no salons yet: add one with "marketing-consent-ledger salons add ID --salon NAME"');
  const stop = async () => {
    await running.close();
    await app.close();
    await pool?.end();
    await Promise.all(witnesses.map((witness) => witness.flush()));
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

/** Files an open salon of the file store keeps open (ledger, index files, lock, checkpoint log). */
const FILES_PER_SALON = 5;
/** Files kept free for everything else: connections, the registry, modules, mail. */
const FILES_FOR_THE_REST = 150;

/**
 * The cap on open salons (file store), lowered to what the process's
 * open-files limit allows: past it, opening a salon and accepting a
 * connection both fail (EMFILE). Linux reports the limit in /proc.
 */
async function maxOpenWithinFileLimit(maxOpen: number): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
  if (!(soft > 0) || maxOpen * FILES_PER_SALON + FILES_FOR_THE_REST <= soft) return maxOpen;
  const fits = Math.max(1, Math.floor((soft - FILES_FOR_THE_REST) / FILES_PER_SALON));
  console.warn(
    `ledger: --max-open-salons ${maxOpen} needs about ${maxOpen * FILES_PER_SALON + FILES_FOR_THE_REST} open files, and this process may open ${soft}: at most ${fits} salons are open at once (raise the limit, ulimit -n or LimitNOFILE, to keep more open)`,
  );
  return fits;
}

/** Whether a salon of this id is in the registry; says so when not. */
async function isRegistered(platform: LedgerPlace, id: string): Promise<boolean> {
  const problem = salonIdProblem(id);
  if (problem) {
    console.error(`--salon-id: ${problem}`);
    return false;
  }
  const { registry, pool } = await openSalonRegistry(platform);
  try {
    if ((await registry.list()).some((salon) => salon.id === id)) return true;
    console.error(`--salon-id ${id}: ${new UnknownSalonError(id).message}`);
    return false;
  } finally {
    await registry.close();
    await pool?.end();
  }
}

/** --texts FILE, read, or an error saying how to make it. */
function readTextsFlag(file: string): Promise<PublishedText[]> {
  return readPublishedTexts(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new Error(
      `--texts ${file} does not exist: make it from the booking page with "marketing-consent-ledger texts --from https://…/booking-page --out ${file}", or leave --texts out`,
    );
  });
}

/**
 * The newsletter tools' credentials: an integration token (the flag, or
 * MARKETING_CONSENT_INTEGRATION_TOKEN) and a Standard Webhooks secret for
 * tools that sign (MARKETING_CONSENT_INTEGRATION_SECRET); or what is wrong.
 */
function integrationsOf(flag: string | undefined, staffToken: string | undefined): IntegrationCredentials | string {
  const token = flag ?? process.env['MARKETING_CONSENT_INTEGRATION_TOKEN'];
  const secret = process.env['MARKETING_CONSENT_INTEGRATION_SECRET'];
  if (token !== undefined && token.length < 24) {
    return 'the integration token must be at least 24 characters (e.g. openssl rand -base64 32)';
  }
  if (token !== undefined && token === staffToken) {
    return 'the integration token must differ from the staff token: a newsletter tool may post suppressions and nothing else';
  }
  if (secret !== undefined) {
    try {
      checkWebhookSecret(secret);
    } catch {
      return 'MARKETING_CONSENT_INTEGRATION_SECRET must be a Standard Webhooks secret, whsec_<base64> ("marketing-consent-ledger webhook-secret" makes one)';
    }
  }
  return { ...(token ? { tokens: [token] } : {}), ...(secret ? { signingSecrets: [secret] } : {}) };
}

/** The signer for a key file made by keygen (PEM, with the key's name in a comment line). */
async function readSigner(file: string): Promise<CheckpointSigner> {
  const pem = await readFile(file, 'utf8');
  const name = /^# name: (\S+)$/m.exec(pem)?.[1];
  if (!name)
    throw new Error(`${file} is not a checkpoint key made by "marketing-consent-ledger keygen" (no "# name:" line)`);
  return new CheckpointSigner(name, pem);
}

/**
 * keygen: a new key, refusing to overwrite one. rotate-key: a new key in the
 * same file under the same name; the old verifier key stays in the .pub file,
 * so checkpoints it signed still verify.
 */
async function makeKey(command: 'keygen' | 'rotate-key', file: string | undefined, givenName: string | undefined) {
  if (!file) {
    console.error(
      `--key is missing: name the file for the private key (keep it outside the ledger's folder).\n${USAGE}`,
    );
    return 2;
  }
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (command === 'keygen' && exists) {
    console.error(`${file} exists; use rotate-key to replace a key (its checkpoints stay verifiable).`);
    return 2;
  }
  if (command === 'rotate-key' && !exists) {
    console.error(`${file} does not exist; make the first key with keygen.`);
    return 2;
  }
  const name = command === 'rotate-key' ? (await readSigner(file)).name : givenName;
  if (!name) {
    console.error('--name is missing: name the ledger, e.g. --name salon-bella.ch/consent-ledger');
    return 2;
  }
  const key = generateCheckpointKey(name);
  await writeFile(file, `# name: ${name}\n${key.privateKeyPem}`, { mode: 0o600 });
  await writeFile(`${file}.pub`, `${key.verifierKey}\n`, { flag: 'a' });
  console.log(
    `${command === 'keygen' ? 'new' : 'rotated'} checkpoint key ${file}; its public key (also in ${file}.pub):\n${key.verifierKey}`,
  );
  return 0;
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

/** Verifier keys given as keys or as files of keys (one per line). */
async function readVerifierKeys(given: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const item of given) {
    const text = /\+[0-9a-f]{8}\+/.test(item) ? item : await readFile(item, 'utf8');
    keys.push(...text.split(/\s+/).filter(Boolean));
  }
  return keys;
}

/** Checkpoints from files and directories (every file in a directory). */
async function readCheckpoints(paths: readonly string[]): Promise<CheckpointSource[]> {
  const sources: CheckpointSource[] = [];
  for (const path of paths) {
    const files = (await stat(path)).isDirectory()
      ? (await readdir(path)).sort().map((name) => join(path, name))
      : [path];
    for (const file of files) {
      for (const note of splitCheckpoints(await readFile(file, 'utf8'))) sources.push({ source: file, note });
    }
  }
  return sources;
}

/** Where the ledger is: a folder (the embedded store) or a PostgreSQL database. */
/** A data folder, or a database and the salon whose chain in it (default: the single salon's). */
type LedgerPlace = { directory: string } | { databaseUrl: string; poolSize?: number; salon?: string };

/** For messages and logs: the folder, or the database without its password. */
function describePlace(where: LedgerPlace): string {
  if ('directory' in where) return where.directory;
  const url = new URL(where.databaseUrl);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}${where.salon ? `, salon ${where.salon}` : ''}`;
}

/** One salon's chain on a platform: its folder beside the others, or its rows in the platform's database. */
function salonPlace(platform: LedgerPlace, id: string): LedgerPlace {
  return 'directory' in platform
    ? { directory: FileSalonRegistry.salonDirectory(platform.directory, id) }
    : { ...platform, salon: id };
}

/** The name a platform's key signs one salon's chain under, so no salon's checkpoint passes for another's. */
function salonKeyName(keyName: string, id: string): string {
  return `${keyName}/${id}`;
}

/**
 * The key in `keyFile` (none without it) and the verifier keys to trust, for
 * the ledger itself, or for one salon's chain when `salonId` is given.
 */
async function signingOf(
  keyFile: string | undefined,
  salonId: string | undefined,
): Promise<{
  platformSigner: CheckpointSigner | undefined;
  platformKeys: string[];
  signer: CheckpointSigner | undefined;
  trustedKeys: string[];
}> {
  const platformSigner = keyFile ? await readSigner(keyFile) : undefined;
  // After a rotation the last checkpoint was signed by an earlier key: trust every key in the .pub file.
  const platformKeys = keyFile ? await readVerifierKeys([`${keyFile}.pub`]).catch(() => []) : [];
  const { signer, trustedKeys } =
    salonId === undefined
      ? { signer: platformSigner, trustedKeys: platformKeys }
      : salonSigning(platformSigner, platformKeys, salonId);
  return { platformSigner, platformKeys, signer, trustedKeys };
}

/** The platform's signing key and trusted verifier keys, as they are for one salon's chain. */
function salonSigning(
  signer: CheckpointSigner | undefined,
  trustedKeys: readonly string[],
  id: string,
): { signer: CheckpointSigner | undefined; trustedKeys: string[] } {
  if (!signer) return { signer: undefined, trustedKeys: [...trustedKeys] };
  const salonSigner = signer.forLedger(salonKeyName(signer.name, id));
  return { signer: salonSigner, trustedKeys: trustedKeys.map((key) => renameVerifierKey(key, salonSigner.name)) };
}

function openStore(
  where: LedgerPlace,
  options: {
    signer: CheckpointSigner | undefined;
    trustedKeys: string[];
    onCheckpoint?: (note: string) => void;
    /** A pool shared by every salon's store (PostgreSQL). */
    pool?: pg.Pool;
    acceptHistory?: { operator: string; note: string };
  },
): Promise<LedgerStore & { lastCheckpoint: string | undefined }> {
  return 'directory' in where
    ? JsonlLedgerStore.open(where.directory, options)
    : PostgresLedgerStore.open({
        connectionString: where.databaseUrl,
        ...(where.poolSize ? { poolSize: where.poolSize } : {}),
        ...(where.salon ? { salon: where.salon } : {}),
        ...options,
      });
}

/**
 * accept-history: the operator vouches for a chain the ledger cannot vouch
 * for itself (see startUpVerdict), after checking it with verify. The
 * acceptance is an entry of the chain, signed like any other; verify shows it.
 */
async function acceptHistory(
  where: LedgerPlace,
  salonId: string | undefined,
  values: { key?: string | undefined; operator?: string | undefined; note?: string | undefined },
): Promise<number> {
  const operator = values.operator?.trim() ?? '';
  const note = values.note?.trim() ?? '';
  if (!values.key) {
    console.error('--key is missing: the acceptance is signed with the ledger’s key, like every checkpoint.');
    return 2;
  }
  if (!operator || operator.length > 120 || !note || note.length > 500) {
    console.error(
      '--operator NAME (who accepts, up to 120 characters) and --note TEXT (why, up to 500 characters, no personal data) are needed: both go into the chain.',
    );
    return 2;
  }
  const { signer, trustedKeys } = await signingOf(values.key, salonId);
  const store = await openStore(where, { signer, trustedKeys, acceptHistory: { operator, note } });
  // The acceptance is the last entry, and the checkpoint signed over it names its number.
  const entry = store.lastCheckpoint && checkpointSize(store.lastCheckpoint);
  await store.close();
  console.log(
    `${describePlace(where)}: history accepted as found by ${operator}: recorded as entry ${entry} and signed; the ledger starts again.`,
  );
  return 0;
}

async function verify(
  where: LedgerPlace,
  publicKeys: readonly string[],
  checkpointPaths: readonly string[],
  salonId: string | undefined,
) {
  const platformKeys = await readVerifierKeys(publicKeys);
  // A platform signs each salon's chain under "<key name>/<salon>" (see servePlatform): the platform's key is enough.
  const trustedKeys = salonId
    ? platformKeys.flatMap((key) => [
        key,
        renameVerifierKey(key, salonKeyName(key.slice(0, key.indexOf('+')), salonId)),
      ])
    : platformKeys;
  let path: string;
  let tornTail = false;
  let pages: AsyncIterable<string[]>;
  let done: () => Promise<void>;
  const own: CheckpointSource[] = [];
  if ('directory' in where) {
    path = join(where.directory, LEDGER_FILE_NAME);
    const file = await open(path, 'r');
    done = () => file.close();
    const size = (await file.stat()).size;
    // A page of lines at a time: a ledger of millions of entries is never one string in memory.
    pages = (async function* () {
      let page: string[] = [];
      for await (const { text, end, complete } of ledgerLines(file, 0, size)) {
        // A last line a crash cut off was never acknowledged: start-up drops it.
        if (end === size && isTornLine(text, complete)) {
          tornTail = true;
          break;
        }
        page.push(text);
        if (page.length === 5000) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    })();
    const log = join(where.directory, CHECKPOINT_LOG_NAME);
    const hasLog = await stat(log).then(
      () => true,
      () => false,
    );
    if (hasLog) own.push(...(await readCheckpoints([log])));
  } else {
    path = describePlace(where);
    const chain = await readPostgresChain(where.databaseUrl, where.salon);
    pages = chain.pages;
    done = chain.close;
    if (chain.latestCheckpoint) own.push({ source: `${path} (latest checkpoint)`, note: chain.latestCheckpoint });
  }
  const checkpoints = [...own, ...(await readCheckpoints(checkpointPaths))];
  const verifier = new LedgerVerifier({ trustedKeys, checkpoints });
  try {
    for await (const page of pages) verifier.take(page);
  } finally {
    await done();
  }
  const report = verifier.report();
  // An operator's acceptance of history is part of what verify vouches for: always shown.
  for (const { seq, at, operator, note, found } of report.acceptances) {
    console.log(
      `${path}: entry ${seq} (${at}): history accepted as found by ${operator}: "${note}"; the ledger had refused: ${found}`,
    );
  }
  if (!report.intact) {
    console.error(`${path}: BROKEN`);
    for (const problem of report.problems) console.error(`  • ${problem}`);
    return 1;
  }
  console.log(
    `${path}: OK, ${report.entries} entries, hash chain intact${tornTail ? ' (a torn last line will be dropped at start-up)' : ''}`,
  );
  console.log(
    trustedKeys.length
      ? `  ${report.checkpointsChecked} signed checkpoints hold; entries 1–${report.coveredUpTo} are covered by a signature`
      : '  no --public-key given: only the hash chain was checked; a deleted tail or a recomputed chain would go unnoticed',
  );
  return 0;
}

/** --sms-countries as the ledger takes it: CH,DE → ['CH', 'DE']; all → ['all']. */
function smsCountries(flag: string | undefined): string[] | undefined {
  return flag
    ?.split(',')
    .map((code) => code.trim())
    .map((code) => (code.toLowerCase() === 'all' ? 'all' : code.toUpperCase()));
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
