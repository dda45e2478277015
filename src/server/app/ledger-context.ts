/**
 * What the ledger's route groups share: the store, the one ConsentView
 * every reader asks, the checks every write passes, and the guards.
 */
import { memoryBuckets } from './rate-limit.js';
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { consentSubjectSchema, type ConsentReceipt, type ConsentSubject } from '../../contract/consent-event.js';
import { describeIssues } from '../../contract/zod-issues.js';
import type { ChainEntry, ErasureRecord, LedgerRecord } from '../../contract/ledger-records.js';
import { AddressBook, missingAddresses } from '../consent/addresses.js';
import { ConsentView, type ConsentViewOptions, type SubjectQuery } from '../consent/consent-status.js';
import type { ConfirmationSender } from '../double-opt-in/confirmation-sender.js';
import type { WebhookDispatcher } from '../integrations/webhooks.js';
import { applyRetention, erasureRecords, type ErasurePlan, type RetentionPolicy } from '../consent/erasure.js';
import { fail } from './http.js';
import type { AppendOutcome, Identify, LedgerStore } from '../store/ledger-store.js';
import type { Controller } from '../proof/proof.js';
import { TextRegistry } from '../consent/text-registry.js';

export interface LedgerContext {
  store: LedgerStore;
  purposes: readonly string[];
  addresses: AddressBook;
  registry: TextRegistry;
  controller: Controller;
  /**
   * The view of the customer the query names, as the ledger holds them now:
   * every record linked to them, and the erasures of the query's identifiers.
   * Decisions about one customer need no other customer's records, so this
   * costs the customer, not the ledger. With `upToSeq`, as the ledger held
   * them once it had that entry (what changed since is left out); with
   * `at`, deciding as at that time (lapses).
   */
  viewOf(query: SubjectQuery, options?: { upToSeq?: number; at?: number }): Promise<ConsentView>;
  /** Every customer's view, one at a time (audiences, retention, the confirmation mails' first pass). */
  customerViews(): AsyncGenerator<ConsentView>;
  /** Whether online grants for this purpose wait for the address owner's confirmation. */
  needsConfirmation(purpose: string): boolean;
  /** Appends a record made by the ledger itself (staff entries, unsubscribes). */
  appendRecord(record: LedgerRecord): Promise<AppendOutcome>;
  /**
   * Claims `key` for `forMs`: true for the first caller, false for every
   * other until then, in this process and in every process sharing the
   * store (PostgreSQL). For what must not happen twice before its record
   * lands, such as a mail being sent.
   */
  claim(key: string, forMs: number): Promise<boolean>;
  /** A 400 for purposes this ledger does not record, phone numbers it cannot read, or a missing address. */
  checkWrite(
    c: Context,
    purposes: readonly string[],
    subject: ConsentSubject,
    needAddress: boolean,
  ): Response | undefined;
  /** A 400 for identifiers in a lookup that cannot match anything. */
  checkSubject(c: Context, subject: Partial<ConsentSubject>): Response | undefined;
  /** Where this ledger is reached from outside, for the links it makes (mount prefix included). */
  publicBase(c: Context): string;
  /** Rate limit and body limit for the public endpoints. */
  publicGuard: MiddlewareHandler;
  limitBody: MiddlewareHandler;
  /** The client's address, as the configured proxies tell it. */
  clientAddress(c: Context): string | undefined;
  /** Sends the double opt-in mails; absent when no purpose uses double opt-in. */
  confirmations?: ConfirmationSender;
  /** Sends decision changes to the salon's other tools; absent without webhooks. */
  webhooks?: WebhookDispatcher;
  /** The retention policy the schedule, the staff endpoint and the CLI apply. */
  retention: RetentionPolicy;
  /** Erases what the plans name (see erasure.ts); no view made afterwards holds it. */
  erase(plans: readonly ErasurePlan[], by?: { staffName?: string; note?: string }): Promise<AppendOutcome[]>;
  /** What the retention policy erases now; with dryRun, only the list. */
  applyRetention(options: { dryRun: boolean }): Promise<ErasurePlan[]>;
}

export function receiptOf(outcome: Pick<AppendOutcome, 'entry' | 'checkpoint'>): ConsentReceipt {
  const { entry, checkpoint } = outcome;
  return { id: entry.event.id, seq: entry.seq, receivedAt: entry.receivedAt, ...(checkpoint ? { checkpoint } : {}) };
}

/** A view of these entries (one customer's, or the whole ledger's), recognising erased identifiers by the store's digests. */
export function viewOfEntries(
  entries: Iterable<ChainEntry>,
  store: Pick<LedgerStore, 'identifierDigest'>,
  addresses: AddressBook,
  viewOptions: ConsentViewOptions,
): ConsentView {
  const view = new ConsentView(addresses, { ...viewOptions, identifierDigest: (key) => store.identifierDigest(key) });
  for (const entry of entries) view.absorb(entry);
  return view;
}

/** Every customer's view, a customer at a time, once the store's index is complete (the CLI's retention reads it so too). */
export async function* customerViews(
  store: LedgerStore,
  addresses: AddressBook,
  viewOptions: ConsentViewOptions,
): AsyncGenerator<ConsentView> {
  for await (const entries of store.customers()) yield viewOfEntries(entries, store, addresses, viewOptions);
}

/** How the store's index tells a record's customer: the identifiers the view links customers by. */
export function identifiersOf(addresses: AddressBook): Identify {
  return Object.assign((record: LedgerRecord) => addresses.keysOf(record.subject), {
    version: `phone-country=${addresses.defaultCountry ?? 'none'}`,
  });
}

export function createLedgerContext(settings: {
  store: LedgerStore;
  purposes: readonly string[];
  addresses: AddressBook;
  registry: TextRegistry;
  controller: Controller;
  publicUrl: string | undefined;
  publicGuard: MiddlewareHandler;
  limitBody: MiddlewareHandler;
  clientAddress(c: Context): string | undefined;
  viewOptions: ConsentViewOptions;
  retention: RetentionPolicy;
}): LedgerContext {
  const { store, purposes, addresses, registry, viewOptions } = settings;
  const identify = identifiersOf(addresses);
  // The store's index must hold every entry before a read can trust it; a failed attempt is tried again.
  let indexing: Promise<void> | undefined;
  const indexed = () =>
    (indexing ??= store.index(identify).catch((error: unknown) => {
      indexing = undefined;
      throw error;
    }));
  void indexed().catch((error: unknown) => console.error('ledger: the customer index could not be built', error));
  const checkSubject = (c: Context, subject: Partial<ConsentSubject>) => {
    // The contract's own rules for each identifier (an address that cannot be one matches nothing), then the
    // phone number read in the salon's country.
    const named = Boolean(subject.email || subject.phone || subject.customerId);
    const parsed = named ? z.safeParse(consentSubjectSchema, subject) : undefined;
    if (parsed && !parsed.success) {
      const issues = describeIssues(parsed.error).map((issue) => ({ ...issue, path: `subject.${issue.path}` }));
      return fail(c, 400, issues.map((issue) => `${issue.path.slice(8)}: ${issue.message}`).join('; '), issues);
    }
    const problem = subject.phone ? addresses.phoneProblem(subject.phone) : undefined;
    return problem ? fail(c, 400, `phone: ${problem}`, [{ path: 'subject.phone', message: problem }]) : undefined;
  };
  // One erasure or retention run at a time: two at once could name the same records.
  let erasing: Promise<unknown> = Promise.resolve();
  const exclusively = <T>(work: () => Promise<T>): Promise<T> => {
    const next = erasing.then(work, work);
    erasing = next.catch(() => undefined);
    return next;
  };
  // A claim is a bucket of one token that refills once per claim time, kept where the rate limit keeps its buckets.
  const claims = store.rateBuckets ?? memoryBuckets();
  // Every erasure goes through here: the webhooks keep aside the addresses it takes, to tell the tools.
  const eraser = {
    identifierDigest: (identifier: string) => store.identifierDigest(identifier),
    async erase(records: readonly ErasureRecord[]) {
      await context.webhooks?.beforeErase(records);
      const outcomes = await store.erase(records);
      context.webhooks?.kick();
      return outcomes;
    },
  };
  const context: LedgerContext = {
    ...settings,
    claim: async (key, forMs) => (await claims.take(`claim ${key}`, Date.now(), 1, 1 / forMs)).granted,
    erase: (plans, by = {}) =>
      exclusively(async () => (plans.length ? eraser.erase(erasureRecords(plans, store, by)) : [])),
    applyRetention: ({ dryRun }) =>
      exclusively(async () => applyRetention(eraser, context.customerViews(), purposes, settings.retention, dryRun)),
    async viewOf(query, { upToSeq, at } = {}) {
      await indexed();
      const entries = await store.customerEntries(addresses.keysOf(query));
      const held = upToSeq === undefined ? entries : entries.filter((entry) => entry.seq <= upToSeq);
      return viewOfEntries(held, store, addresses, at === undefined ? viewOptions : { ...viewOptions, now: () => at });
    },
    async *customerViews() {
      await indexed();
      yield* customerViews(store, addresses, viewOptions);
    },
    needsConfirmation: (purpose) => viewOptions.needsConfirmation?.(purpose) ?? false,
    appendRecord: (record) => store.append(record, registry.flagsFor(record), identify(record)),
    checkSubject,
    checkWrite(c, named, subject, needAddress) {
      const unknown = named.filter((purpose) => !purposes.includes(purpose));
      if (unknown.length > 0) {
        return fail(c, 400, `unknown purpose ${unknown.join(', ')}; this ledger records ${purposes.join(', ')}`, [
          { path: 'purposes', message: `unknown purpose ${unknown.join(', ')}` },
        ]);
      }
      const badPhone = checkSubject(c, subject);
      if (badPhone) return badPhone;
      const missing = needAddress ? missingAddresses(named, subject) : [];
      return missing.length
        ? fail(c, 400, `a consent must name the address it is for: ${missing.join('; ')}`)
        : undefined;
    },
    publicBase(c) {
      if (settings.publicUrl) return settings.publicUrl;
      // Mounted under a prefix (app.route('/ledger', …)): the links keep it.
      // Every route of the ledger starts with /v1/, so what comes before is the mount point.
      const url = new URL(c.req.url);
      return `${url.origin}${url.pathname.slice(0, Math.max(0, url.pathname.lastIndexOf('/v1/')))}`;
    },
  };
  return context;
}
