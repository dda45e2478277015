/**
 * `marketing-consent-ledger salons …`: the platform's register of salons.
 *
 *   salons add ID --salon NAME [--origin URL]… [--locale de] [--mail-from ADDRESS] [--sms-from NUMBER] …
 *   salons set ID [the same options]      changes only what is given
 *   salons list
 *   salons disable ID | enable ID
 *   salons new-token ID                   a new staff token; the old one stops working
 *
 * Each works on a running platform too: it reads the registry again within seconds.
 */
import { senderAddress, smsNumberKey } from '../sms/sms-messages.js';
import type pg from 'pg';
import { migratePostgres, openPostgresPool } from '../store/postgres/postgres-ledger-store.js';
import {
  FileSalonRegistry,
  hashStaffToken,
  newSecret,
  PostgresSalonRegistry,
  salonIdProblem,
  type SalonRegistry,
  type SalonSettings,
} from './salon-registry.js';
import type { PublishedText } from '../consent/text-registry.js';
import { checkWebhookUrl, newWebhookSecret, shownUrl, type WebhookEndpoint } from '../integrations/webhooks.js';

const LOCALES = ['de', 'fr', 'it', 'en'];

/** The flags `salons add` and `salons set` read (the same names `serve` uses for a single salon). */
export interface SalonFlags {
  salon?: string | undefined;
  'salon-address'?: string | undefined;
  'salon-email'?: string | undefined;
  jurisdiction?: string | undefined;
  locale?: string | undefined;
  'privacy-url'?: string | undefined;
  'phone-country'?: string | undefined;
  'mail-from'?: string | undefined;
  'sms-from'?: string | undefined;
  origin: string[];
  'staff-origin': string[];
  'single-opt-in': string[];
  /** The salon's webhook endpoints (replacing its list; "none" empties it). */
  webhook: string[];
}

export type RegistryPlace = { directory: string } | { databaseUrl: string; poolSize?: number };

/** The registry of the platform at `where`, and the pool it reads through (PostgreSQL). */
export async function openSalonRegistry(where: RegistryPlace): Promise<{ registry: SalonRegistry; pool?: pg.Pool }> {
  if ('directory' in where) return { registry: new FileSalonRegistry(where.directory) };
  const pool = openPostgresPool(where.databaseUrl, where.poolSize ?? 2);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { registry: new PostgresSalonRegistry(pool), pool };
}

/** Runs one `salons` command; returns the exit code. */
export async function salonsCommand(
  action: string | undefined,
  id: string | undefined,
  flags: SalonFlags,
  texts: PublishedText[] | undefined,
  where: RegistryPlace,
): Promise<number> {
  const actions = ['add', 'set', 'list', 'disable', 'enable', 'new-token', 'new-integration-token'];
  if (!action || !actions.includes(action)) {
    console.error(`salons needs one of: ${actions.join(', ')} (e.g. "salons add salon-bella --salon 'Salon Bella'")`);
    return 2;
  }
  if (action !== 'list') {
    const problem = id === undefined ? `salons ${action} needs the salon's id` : salonIdProblem(id);
    if (problem) {
      console.error(problem);
      return 2;
    }
  }
  const badFlag = flagProblem(flags);
  if (badFlag) {
    console.error(badFlag);
    return 2;
  }
  const { registry, pool } = await openSalonRegistry(where);
  try {
    // A reply reaches the salon whose number it was sent to: two salons with one number would read each other's.
    const smsFrom = flags['sms-from'];
    if (smsFrom && (action === 'add' || action === 'set')) {
      const holder = (await registry.list()).find(
        (salon) => salon.id !== id && salon.smsFrom && smsNumberKey(salon.smsFrom) === smsNumberKey(smsFrom),
      );
      if (holder) {
        console.error(
          `--sms-from ${smsFrom} is salon ${holder.id}'s number: each salon needs a number of its own, since replies reach the salon they were sent to`,
        );
        return 2;
      }
    }
    switch (action) {
      case 'list':
        return list(await registry.list());
      case 'add':
        return await add(registry, id!, flags, texts);
      case 'set': {
        let made: WebhookEndpoint[] = [];
        const salon = await registry.update(id!, (salon) => {
          const changed = withWebhooks(withFlags(salon, flags, texts), flags.webhook);
          made = changed.made;
          return changed.salon;
        });
        const problem = doubleOptInProblem(salon);
        if (problem) console.error(`warning: ${problem}`);
        console.log(`changed salon ${salon.id} (${salon.controller.name})`);
        printWebhookSecrets(made);
        return 0;
      }
      case 'new-integration-token': {
        const token = newSecret();
        await registry.update(id!, (salon) => ({ ...salon, integrationTokenSha256: hashStaffToken(token) }));
        console.log(
          `new integration token for salon ${id} (shown once; the old one no longer works). The salon's newsletter ` +
            `tool posts suppressions with it, and can do nothing else:\n${token}`,
        );
        return 0;
      }
      case 'disable':
      case 'enable': {
        const salon = await registry.update(id!, ({ disabledAt, ...salon }) =>
          action === 'disable' ? { ...salon, disabledAt: disabledAt ?? new Date().toISOString() } : salon,
        );
        console.log(
          action === 'disable'
            ? `salon ${salon.id} is disabled: its ledger answers nothing; its records are kept ("salons enable ${salon.id}" brings it back)`
            : `salon ${salon.id} is enabled`,
        );
        return 0;
      }
      default: {
        const token = newSecret();
        await registry.update(id!, (salon) => ({ ...salon, staffTokenSha256: hashStaffToken(token) }));
        console.log(`new staff token for salon ${id} (shown once; the old one no longer works):\n${token}`);
        return 0;
      }
    }
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await registry.close();
    await pool?.end();
  }
}

async function add(
  registry: SalonRegistry,
  id: string,
  flags: SalonFlags,
  texts: PublishedText[] | undefined,
): Promise<number> {
  if (!flags.salon) {
    console.error(`--salon is missing: the salon's name, for its proofs, pages and mails (--salon "Salon Bella")`);
    return 2;
  }
  const token = newSecret();
  const salon = withFlags(
    {
      id,
      controller: { name: flags.salon },
      origins: [],
      staffOrigins: [],
      staffTokenSha256: hashStaffToken(token),
      linkSecret: newSecret(),
      texts: [],
      singleOptIn: [],
      createdAt: new Date().toISOString(),
    },
    flags,
    texts,
  );
  const problem = doubleOptInProblem(salon);
  if (problem) {
    console.error(problem);
    return 2;
  }
  const { salon: withHooks, made } = withWebhooks(salon, flags.webhook);
  await registry.add(withHooks);
  printWebhookSecrets(made);
  console.log(`added salon ${id} (${salon.controller.name}); its ledger is /salons/${id}/ on the platform`);
  if (salon.origins.length === 0) {
    console.log(`  no --origin yet: booking pages can post once "salons set ${id} --origin https://…" names them`);
  }
  console.log(`staff token (shown once; the salon's back office sends it as Authorization: Bearer …):\n${token}`);
  return 0;
}

function list(salons: readonly SalonSettings[]): number {
  if (salons.length === 0) console.log('no salons yet; add one with "salons add ID --salon NAME --origin URL"');
  for (const salon of salons) {
    const state = salon.disabledAt ? `disabled since ${salon.disabledAt}` : 'enabled';
    const origins = salon.origins.length ? salon.origins.join(' ') : 'no origins';
    console.log(`${salon.id}\t${state}\t${salon.controller.name}\t${origins}\tadded ${salon.createdAt}`);
  }
  return 0;
}

/**
 * The salon with its webhook endpoints as `urls` name them ("none": none):
 * an endpoint it had keeps its secret, a new one gets its own (`made`), so
 * one salon's tool can never check another's events.
 */
function withWebhooks(
  salon: SalonSettings,
  urls: readonly string[],
): { salon: SalonSettings; made: WebhookEndpoint[] } {
  if (urls.length === 0) return { salon, made: [] };
  const wanted = urls.includes('none') ? [] : urls;
  const made: WebhookEndpoint[] = [];
  const webhooks = wanted.map((url) => {
    const had = salon.webhooks?.find((endpoint) => endpoint.url === url);
    if (had) return had;
    const endpoint = { url, secret: newWebhookSecret() };
    made.push(endpoint);
    return endpoint;
  });
  return { salon: { ...salon, webhooks }, made };
}

function printWebhookSecrets(made: readonly WebhookEndpoint[]): void {
  for (const { url, secret } of made) {
    console.log(
      `webhook ${shownUrl(url)}: its receiver checks the signatures with this secret (shown once):\n${secret}`,
    );
  }
}

function flagProblem(flags: SalonFlags): string | undefined {
  for (const url of flags.webhook.filter((url) => url !== 'none')) {
    try {
      checkWebhookUrl(url);
    } catch (error) {
      return (error as Error).message;
    }
  }
  if (flags['sms-from'] !== undefined && !senderAddress(flags['sms-from'])) {
    return `--sms-from "${flags['sms-from']}" cannot receive replies: give the salon's number in international form (+41 79 123 45 67) or a short code (digits)`;
  }
  if (flags.locale !== undefined && !LOCALES.includes(flags.locale)) {
    return `--locale must be one of ${LOCALES.join(', ')}, not "${flags.locale}"`;
  }
  const country = flags['phone-country'];
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    return `--phone-country must be a two-letter country code such as CH or DE, not "${country}"`;
  }
  for (const origin of [...flags.origin, ...flags['staff-origin']]) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      return `"${origin}" is not an origin: give scheme, host and port only, e.g. https://salon-bella.ch`;
    }
  }
  return undefined;
}

/** The salon with what the flags name changed; everything not named stays. */
function withFlags(salon: SalonSettings, flags: SalonFlags, texts: PublishedText[] | undefined): SalonSettings {
  const controller = { ...salon.controller };
  const fields = [
    ['salon', 'name'],
    ['salon-address', 'address'],
    ['salon-email', 'email'],
    ['jurisdiction', 'jurisdiction'],
    ['locale', 'locale'],
    ['privacy-url', 'privacyUrl'],
  ] as const;
  for (const [flag, field] of fields) if (flags[flag] !== undefined) controller[field] = flags[flag];
  return {
    ...salon,
    controller,
    ...(flags.origin.length ? { origins: flags.origin } : {}),
    ...(flags['staff-origin'].length ? { staffOrigins: flags['staff-origin'] } : {}),
    ...(flags['single-opt-in'].length ? { singleOptIn: flags['single-opt-in'] } : {}),
    ...(flags['phone-country'] ? { phoneCountry: flags['phone-country'].toUpperCase() } : {}),
    ...(flags['mail-from'] ? { mailFrom: flags['mail-from'] } : {}),
    ...(flags['sms-from'] ? { smsFrom: flags['sms-from'].replace(/[\s-]/g, '') } : {}),
    ...(texts ? { texts } : {}),
  };
}

/** The e-mail newsletter waits for a confirmation mail unless the salon turned that off: then it needs a sender. */
function doubleOptInProblem(salon: SalonSettings): string | undefined {
  if (salon.mailFrom || salon.singleOptIn.includes('email-newsletter')) return undefined;
  return (
    `--mail-from is missing: salon ${salon.id}'s newsletter sign-ups are confirmed by mail, which needs a sender ` +
    `("Salon Bella <hallo@salon-bella.ch>"); or --single-opt-in email-newsletter to count ticks at once`
  );
}
