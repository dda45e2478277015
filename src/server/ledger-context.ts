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
}

export function receiptOf(outcome: Pick<AppendOutcome, 'entry' | 'checkpoint'>): ConsentReceipt {
  const { entry, checkpoint } = outcome;
  return { id: entry.event.id, seq: entry.seq, receivedAt: entry.receivedAt, ...(checkpoint ? { checkpoint } : {}) };
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
}): LedgerContext {
  const { store, purposes, addresses, registry } = settings;
  const view = new ConsentView(addresses, settings.viewOptions);
  const checkSubject = (c: Context, subject: Partial<ConsentSubject>) => {
    const problem = subject.phone ? phoneProblem(subject.phone, addresses.defaultCountry) : undefined;
    return problem ? fail(c, 400, `phone: ${problem}`, [{ path: 'subject.phone', message: problem }]) : undefined;
  };
  return {
    ...settings,
    async view() {
      // Only the entries since the last read; absorbing is idempotent by seq,
      // so concurrent readers may overlap harmlessly.
      for (const entry of await store.entries({ afterSeq: view.lastSeq })) view.absorb(entry);
      return view;
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
}
