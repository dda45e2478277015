/**
 * What the ledger's route groups share: the store, the one ConsentView
 * every reader asks, the checks every write passes, and the guards.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ConsentReceipt, ConsentSubject } from '../contract/consent-event.js';
import type { LedgerRecord } from '../contract/ledger-records.js';
import { AddressBook, missingAddresses, phoneProblem } from './addresses.js';
import { ConsentView, type ConsentViewOptions } from './consent-status.js';
import type { ConfirmationSender } from './double-opt-in/confirmation-sender.js';
import { applyRetention, erasureRecords, type ErasurePlan, type RetentionPolicy } from './erasure.js';
import { fail } from './http.js';
import type { AppendOutcome, LedgerStore } from './ledger-store.js';
import type { Controller } from './proof.js';
import { TextRegistry } from './text-registry.js';

export interface LedgerContext {
  store: LedgerStore;
  purposes: readonly string[];
  addresses: AddressBook;
  registry: TextRegistry;
  controller: Controller;
  /** The view of the ledger as it is now: customers and decisions. */
  view(): Promise<ConsentView>;
  /** Appends a record made by the ledger itself (staff entries, unsubscribes). */
  appendRecord(record: LedgerRecord): Promise<AppendOutcome>;
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
  /** The retention policy the schedule, the staff endpoint and the CLI apply. */
  retention: RetentionPolicy;
  /** Erases what the plans name (see erasure.ts); the next view() no longer holds it. */
  erase(plans: readonly ErasurePlan[], by?: { staffName?: string; note?: string }): Promise<AppendOutcome[]>;
  /** What the retention policy erases now; with dryRun, only the list. */
  applyRetention(options: { dryRun: boolean }): Promise<ErasurePlan[]>;
}

export function receiptOf(outcome: Pick<AppendOutcome, 'entry' | 'checkpoint'>): ConsentReceipt {
  const { entry, checkpoint } = outcome;
  return { id: entry.event.id, seq: entry.seq, receivedAt: entry.receivedAt, ...(checkpoint ? { checkpoint } : {}) };
}

/** An empty view of this store's ledger, recognising erased identifiers by the store's digests. */
function emptyView(store: LedgerStore, addresses: AddressBook, viewOptions: ConsentViewOptions): ConsentView {
  return new ConsentView(addresses, { ...viewOptions, identifierDigest: (key) => store.identifierDigest(key) });
}

/** A view of the whole ledger as it is now (the CLI's retention command reads it this way too). */
export async function readLedger(
  store: LedgerStore,
  addresses: AddressBook,
  viewOptions: ConsentViewOptions,
): Promise<ConsentView> {
  const view = emptyView(store, addresses, viewOptions);
  for (const entry of await store.entries()) view.absorb(entry);
  return view;
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
  const { store, purposes, addresses, registry } = settings;
  let view = emptyView(store, addresses, settings.viewOptions);
  const checkSubject = (c: Context, subject: Partial<ConsentSubject>) => {
    const problem = subject.phone ? phoneProblem(subject.phone, addresses.defaultCountry) : undefined;
    return problem ? fail(c, 400, `phone: ${problem}`, [{ path: 'subject.phone', message: problem }]) : undefined;
  };
  /** Takes in the entries since the last read. An erasure takes records out, which a view cannot do: then it is built again. */
  const refresh = async (): Promise<ConsentView> => {
    const fresh = await store.entries({ afterSeq: view.lastSeq });
    if (ConsentView.needsRebuild(fresh)) view = await readLedger(store, addresses, settings.viewOptions);
    else for (const entry of fresh) view.absorb(entry);
    return view;
  };
  let current: Promise<unknown> = Promise.resolve();
  let queued: Promise<ConsentView> | undefined;
  // One erasure or retention run at a time: two at once could name the same records.
  let erasing: Promise<unknown> = Promise.resolve();
  const exclusively = <T>(work: () => Promise<T>): Promise<T> => {
    const next = erasing.then(work, work);
    erasing = next.catch(() => undefined);
    return next;
  };
  const context: LedgerContext = {
    ...settings,
    erase: (plans, by = {}) =>
      exclusively(async () => (plans.length ? store.erase(erasureRecords(plans, store, by)) : [])),
    applyRetention: ({ dryRun }) =>
      exclusively(async () => applyRetention(store, await context.view(), purposes, settings.retention, dryRun)),
    view() {
      // One read of the store at a time: a caller joins the read queued after
      // the one in flight (it starts after the caller came, so it sees what
      // the caller wrote), instead of every concurrent request reading and
      // unsealing the same new entries.
      const run = () => {
        queued = undefined;
        return refresh();
      };
      // After the read in flight, whether it worked or not.
      queued ??= current.then(run, run);
      current = queued;
      return queued;
    },
    appendRecord: (record) => store.append(record, registry.flagsFor(record)),
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
