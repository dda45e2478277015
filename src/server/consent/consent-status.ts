/**
 * The one place that decides who may be written to. Every reader (status,
 * history, campaign audience, proof, unsubscribe) asks a ConsentView.
 *
 * Identity: a customer is the set of identifiers (customer id, e-mail,
 * phone) the ledger has seen together in any record, linked transitively. A
 * record naming only the customer id, or only the phone, still belongs to
 * the customer whose booking named that id or phone with an e-mail address.
 *
 * The decision, per purpose and address (the e-mail for the e-mail
 * newsletter, the phone number for SMS): the address is granted when a grant
 * for that purpose named this very address, and no withdrawal for the purpose
 * that reached the customer came after it. A withdrawal reaches every
 * address linked to any identifier it names; only a newer grant for an
 * address brings that address back.
 *
 * Two people sharing an address (a family phone) are one customer to the
 * ledger: a withdrawal by either reaches both. That errs on the side of not
 * writing; the other person is back in with their own next grant.
 *
 * Double opt-in, for purposes configured with it: a grant ticked online
 * counts only once the owner of the address confirmed (clicked the link in
 * the confirmation mail), and only while no withdrawal reached the customer
 * after the grant that was confirmed. Confirmation is per address: once
 * confirmed and never withdrawn, a later tick for the same address needs no
 * new mail. Until then the address is `pending`, and after the lapse period
 * without a click its sign-up has lapsed; neither is in the audience. A
 * staff entry with evidence counts without confirmation.
 *
 * Erasure: an erased record belongs to nobody (its identifiers are gone),
 * so it links no one and decides nothing. The erasure's keyed digests of the identifiers let a
 * lookup say "erased" while nothing newer is on record for them.
 */
import type { ConsentSubject } from '../../contract/consent-event.js';
import {
  isRecord,
  isErasure,
  type Audience,
  type ChainEntry,
  type ConfirmationMailRecord,
  type ConfirmationSmsRecord,
  type ErasureEntry,
  type ConfirmationRecord,
  type ConfirmationStatus,
  type PurposeStatus,
  type SubjectStatus,
} from '../../contract/ledger-records.js';
import { decidedAt } from '../../contract/decision-time.js';
import { isConfirmationStep, type ConfirmationStep } from '../../contract/confirmation-steps.js';
import { addressPrefix, type AddressBook, type IdentifierKey } from './addresses.js';
import type { LedgerEntry } from '../store/ledger-store.js';

/** Identifiers to look a customer up by; any one of them finds the whole customer. */
export type SubjectQuery = Partial<ConsentSubject>;

/** Where one address stands for one purpose, and the record that decided it. */
export interface AddressDecision {
  state: 'granted' | 'pending' | 'withdrawn' | 'never';
  deciding?: LedgerEntry;
  /** For purposes with double opt-in, once an online grant named the address. */
  confirmation?: Confirmation;
  /** The latest withdrawal that reached the address's customer for this purpose. */
  withdrawal?: LedgerEntry;
  /**
   * A hard bounce reported after the deciding grant: the decision stands
   * (the customer made no other), but the address reaches nobody, so it is
   * left out of the audience until it is granted again.
   */
  bounced?: LedgerEntry;
}

/** The double opt-in of one address: the grant it is about, its mails, the click. */
export interface Confirmation {
  state: 'pending' | 'confirmed' | 'lapsed';
  /** The latest online grant for the address (the one a mail is about while pending). */
  grant: LedgerEntry;
  /** Once confirmed: the grant the owner's click confirmed, which is what makes the address count. */
  confirmedGrant?: LedgerEntry;
  lapsesAt: number;
  /** The mail records for this address since `grant` (all grants' mails count for the throttle). */
  mails: LedgerEntry[];
  click?: LedgerEntry;
}

export interface ConsentViewOptions {
  /** True for purposes whose online grants need the address owner's confirmation. */
  needsConfirmation?: (purpose: string) => boolean;
  /** How long a sign-up may wait for its confirmation (ms). Default 14 days. */
  lapseMs?: number;
  now?: () => number;
  /** The store's keyed digest of an identifier, to recognise erased ones. */
  identifierDigest?: (identifier: IdentifierKey) => string;
}

/** One customer as the view knows them: their identifiers and every record about them. */
export interface CustomerRecords {
  keys: ReadonlySet<IdentifierKey>;
  entries: readonly LedgerEntry[];
}

/** Grants per purpose and address: the latest online tick, and the latest grant that needs no confirmation. */
interface AddressGrants {
  online?: LedgerEntry;
  standing?: LedgerEntry;
  /** The latest click, and the seq of the grant it confirmed. */
  click?: { entry: LedgerEntry; grant: LedgerEntry };
  mails: LedgerEntry[];
  /** The latest hard bounce the newsletter tool reported for the address. */
  bounce?: LedgerEntry;
}

const later = (a: LedgerEntry | undefined, b: LedgerEntry | undefined) => (!a ? b : !b ? a : a.seq > b.seq ? a : b);

/** One connected set of identifiers, with what was decided for it. */
interface Customer {
  keys: Set<IdentifierKey>;
  entries: LedgerEntry[];
  /** The latest withdrawal per purpose that named any of its identifiers. */
  withdrawals: Map<string, LedgerEntry>;
}

/**
 * Entries read as customers and decisions. The ledger builds one for the
 * customer a request is about, from that customer's entries as the store's
 * index finds them (see LedgerContext.viewOf); decisions about a customer
 * depend on nothing else, so it decides as a view of the whole ledger would.
 */
export class ConsentView {
  readonly #addresses: AddressBook;
  readonly #parent = new Map<IdentifierKey, IdentifierKey>();
  readonly #customers = new Map<IdentifierKey, Customer>();
  /** What was granted per purpose and address key. */
  readonly #grants = new Map<string, Map<IdentifierKey, AddressGrants>>();
  /** Online grants by event id, for the double opt-in records that name them. */
  readonly #onlineGrants = new Map<string, LedgerEntry>();
  readonly #needsConfirmation: (purpose: string) => boolean;
  readonly #lapseMs: number;
  readonly #now: () => number;
  readonly #identifierDigest: ((identifier: IdentifierKey) => string) | undefined;
  /** The latest erasure per digest of an erased identifier. */
  readonly #erasures = new Map<string, ErasureEntry>();
  #lastSeq = 0;

  constructor(addresses: AddressBook, options: ConsentViewOptions = {}) {
    this.#addresses = addresses;
    this.#needsConfirmation = options.needsConfirmation ?? (() => false);
    this.#lapseMs = options.lapseMs ?? 14 * 86_400_000;
    this.#now = options.now ?? Date.now;
    this.#identifierDigest = options.identifierDigest;
  }

  /** The time decisions are made at (lapses, retention). */
  now(): number {
    return this.#now();
  }

  /** How long a sign-up waits for its confirmation (ms). */
  get lapseMs(): number {
    return this.#lapseMs;
  }

  /** Whether online grants for this purpose wait for the address owner's confirmation. */
  needsConfirmation(purpose: string): boolean {
    return this.#needsConfirmation(purpose);
  }

  /** The key of the address a purpose reaches this subject at (see AddressBook.addressKey). */
  addressKeyOf(purpose: string, subject: Partial<ConsentSubject>): IdentifierKey | undefined {
    return this.#addresses.addressKey(purpose, subject);
  }

  /** The online grant with this event id, if the ledger holds one. */
  onlineGrant(id: string): LedgerEntry | undefined {
    return this.#onlineGrants.get(id);
  }

  #grantsOf(purpose: string, address: IdentifierKey): AddressGrants {
    let byAddress = this.#grants.get(purpose);
    if (!byAddress) this.#grants.set(purpose, (byAddress = new Map()));
    let grants = byAddress.get(address);
    if (!grants) byAddress.set(address, (grants = { mails: [] }));
    return grants;
  }

  /** The sequence number of the last entry taken in. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Takes in the next entry (entries arrive in sequence order). Erased
   * records decide nothing; an erasure only lets lookups of the identifiers
   * it names say "erased".
   */
  absorb(entry: ChainEntry): void {
    if (entry.seq <= this.#lastSeq) return;
    this.#lastSeq = entry.seq;
    if (isErasure(entry)) {
      for (const digest of entry.event.identifierDigests ?? []) this.#erasures.set(digest, entry);
      return;
    }
    if (!isRecord(entry)) return;
    const record = entry.event;
    const keys = this.#addresses.keysOf(record.subject);
    if (keys.length === 0) return;
    let root = this.#rootOf(keys[0]!);
    for (const key of keys.slice(1)) root = this.#union(root, this.#rootOf(key));
    const customer = this.#customers.get(root)!;
    customer.entries.push(entry);
    if (isConfirmationStep(record)) {
      this.#absorbConfirmationStep(entry, record);
      return;
    }
    if (record.method === 'suppression' && record.suppression.kind === 'hard-bounce') {
      for (const purpose of record.suppression.purposes) {
        const address = this.#addresses.addressKey(purpose, record.subject);
        if (address) this.#grantsOf(purpose, address).bounce = entry;
      }
    }
    for (const { purpose, granted } of record.purposes) {
      if (granted) {
        const address = this.#addresses.addressKey(purpose, record.subject);
        if (!address) continue;
        const grants = this.#grantsOf(purpose, address);
        if (record.method === 'online-booking' && this.#needsConfirmation(purpose)) {
          grants.online = entry;
          this.#onlineGrants.set(record.id, entry);
        } else {
          grants.standing = entry;
        }
      } else {
        customer.withdrawals.set(purpose, entry);
      }
    }
  }

  #absorbConfirmationStep(entry: LedgerEntry, record: ConfirmationStep): void {
    // A STOP's notice and a delivery receipt ask nothing: only the requests to confirm count for the throttle
    // and the retries.
    if (record.method === 'sms-receipt' || (record.method === 'confirmation-sms' && record.kind === 'stop')) return;
    const address = this.#addresses.addressKey(record.purpose, record.subject);
    if (!address) return;
    const grants = this.#grantsOf(record.purpose, address);
    if (record.method !== 'double-opt-in') {
      grants.mails.push(entry);
      return;
    }
    const grant = this.#onlineGrants.get(record.grantId);
    if (grant && (!grants.click || grant.seq >= grants.click.grant.seq)) grants.click = { entry, grant };
  }

  /** The decision for one address, in the form `addressKey` gives. */
  decide(purpose: string, address: IdentifierKey): AddressDecision {
    const grants = this.#grants.get(purpose)?.get(address);
    const known = this.#parent.has(address);
    const withdrawal = known ? this.#customers.get(this.#find(address))!.withdrawals.get(purpose) : undefined;
    const after = (entry: LedgerEntry | undefined): entry is LedgerEntry =>
      Boolean(entry && (!withdrawal || entry.seq > withdrawal.seq));
    const confirmation = this.#confirmation(grants, withdrawal);
    const standing = after(grants?.standing) ? grants!.standing : undefined;
    // The grant the click confirmed decides (a later tick of a confirmed address is only a repeat).
    const confirmed = confirmation?.state === 'confirmed' ? confirmation.confirmedGrant : undefined;
    const deciding = later(standing, confirmed);
    const context = { ...(confirmation ? { confirmation } : {}), ...(withdrawal ? { withdrawal } : {}) };
    // A tick after the bounce counts as granting again (the customer gave the address anew).
    const bounce = grants?.bounce;
    if (deciding && bounce && bounce.seq > Math.max(deciding.seq, grants.online?.seq ?? 0))
      return { state: 'granted', deciding, bounced: bounce, ...context };
    if (deciding) return { state: 'granted', deciding, ...context };
    if (confirmation?.state === 'pending') return { state: 'pending', deciding: confirmation.grant, ...context };
    if (withdrawal) return { state: 'withdrawn', deciding: withdrawal, ...context };
    return { state: 'never', ...context };
  }

  /**
   * The double opt-in of one address, from its latest online grant after
   * the last withdrawal: confirmed when a click confirmed that grant or an
   * earlier one the withdrawal did not precede.
   */
  #confirmation(grants: AddressGrants | undefined, withdrawal: LedgerEntry | undefined): Confirmation | undefined {
    const grant = grants?.online;
    if (!grant || (withdrawal && grant.seq < withdrawal.seq)) return undefined;
    const click = grants.click && (!withdrawal || grants.click.grant.seq > withdrawal.seq) ? grants.click : undefined;
    const lapsesAt = Date.parse(grant.receivedAt) + this.#lapseMs;
    const since = withdrawal?.seq ?? 0;
    const mails = grants.mails.filter((mail) => mail.seq > since);
    if (click) return { state: 'confirmed', grant, confirmedGrant: click.grant, lapsesAt, mails, click: click.entry };
    return { state: this.#now() < lapsesAt ? 'pending' : 'lapsed', grant, lapsesAt, mails };
  }

  /** Every address whose sign-up waits for its double opt-in now (not lapsed, not already granted otherwise). */
  *pendingConfirmations(): Generator<{ purpose: string; address: IdentifierKey; confirmation: Confirmation }> {
    for (const [purpose, byAddress] of this.#grants) {
      if (!this.#needsConfirmation(purpose)) continue;
      for (const [address, grants] of byAddress) {
        if (!grants.online) continue;
        const decision = this.decide(purpose, address);
        if (decision.state === 'pending') yield { purpose, address, confirmation: decision.confirmation! };
      }
    }
  }

  /** Every confirmation message (mail, or SMS) to this address for this purpose, oldest first (for the throttle). */
  confirmationMails(purpose: string, address: IdentifierKey): readonly LedgerEntry[] {
    return this.#grants.get(purpose)?.get(address)?.mails ?? [];
  }

  /** The customers the query's identifiers belong to (usually one). */
  #customersOf(query: SubjectQuery): Customer[] {
    const roots = new Set<IdentifierKey>();
    for (const key of this.#addresses.keysOf(query)) if (this.#parent.has(key)) roots.add(this.#find(key));
    return [...roots].map((root) => this.#customers.get(root)!);
  }

  /** Every customer on record, with their identifiers and records. */
  *customers(): Generator<CustomerRecords> {
    yield* this.#customers.values();
  }

  /** The records of the customers the query names, and their identifiers. */
  customerOf(query: SubjectQuery): CustomerRecords | undefined {
    const customers = this.#customersOf(query);
    if (customers.length === 0) return undefined;
    return { keys: new Set(customers.flatMap((customer) => [...customer.keys])), entries: this.history(query) };
  }

  /** The erasure that took these identifiers off the record, when nothing newer is on record for them. */
  erasureOf(query: SubjectQuery): ErasureEntry | undefined {
    if (!this.#identifierDigest || this.#customersOf(query).length > 0) return undefined;
    const found = this.#addresses
      .keysOf(query)
      .map((key) => this.#erasures.get(this.#identifierDigest!(key)))
      .filter((entry): entry is ErasureEntry => Boolean(entry));
    return found.reduce<ErasureEntry | undefined>((a, b) => (!a || b.seq > a.seq ? b : a), undefined);
  }

  /** Whether any of the customer's addresses is granted or waiting for confirmation, for any of these purposes. */
  isActive(customer: CustomerRecords, purposes: readonly string[]): boolean {
    return purposes.some((purpose) =>
      [...customer.keys]
        .filter((key) => key.startsWith(addressPrefix(purpose)))
        .some((key) => ['granted', 'pending'].includes(this.decide(purpose, key).state)),
    );
  }

  /** Every record about the customer, oldest first. */
  history(query: SubjectQuery): LedgerEntry[] {
    const customers = this.#customersOf(query);
    const entries = customers.flatMap((customer) => customer.entries);
    return customers.length > 1 ? entries.sort((a, b) => a.seq - b.seq) : entries;
  }

  /** Status per purpose, and per address of the customer. */
  status(query: SubjectQuery, purposes: readonly string[]): SubjectStatus {
    const customers = this.#customersOf(query);
    const erasure = this.erasureOf(query);
    if (erasure) {
      return {
        subject: query,
        linked: { customerIds: [], emails: [], phones: [] },
        purposes: purposes.map((purpose) => ({
          purpose,
          state: 'erased',
          optInLevel: 'none',
          flags: [],
          addresses: [],
        })),
        erasure: { at: erasure.receivedAt, seq: erasure.seq, reason: erasure.event.reason },
      };
    }
    const keys = customers.flatMap((customer) => [...customer.keys]);
    const subject: ConsentSubject = {};
    for (const entry of this.history(query)) Object.assign(subject, entry.event.subject);
    return {
      subject: { ...subject, ...query },
      linked: {
        customerIds: valuesOf(keys, 'customer:'),
        emails: valuesOf(keys, 'email:'),
        phones: valuesOf(keys, 'phone:'),
      },
      purposes: purposes.map((purpose) => this.#purposeStatus(purpose, keys, customers)),
    };
  }

  #purposeStatus(purpose: string, keys: IdentifierKey[], customers: Customer[]): PurposeStatus {
    const addressKeys = keys.filter((key) => key.startsWith(addressPrefix(purpose)));
    const decisions = addressKeys.map((key) => ({ key, ...this.decide(purpose, key) }));
    const granted = decisions.filter((d) => d.state === 'granted');
    const pending = decisions.filter((d) => d.state === 'pending');
    const withdrawal = customers.map((c) => c.withdrawals.get(purpose)).reduce(later, undefined);
    const chosen = granted.length ? granted : pending;
    const deciding = chosen.length ? chosen.map((d) => d.deciding).reduce(later, undefined) : withdrawal;
    const state = granted.length ? 'granted' : pending.length ? 'pending' : withdrawal ? 'withdrawn' : 'never';
    const confirmedBy = granted.find((d) => d.deciding === deciding)?.confirmation?.state === 'confirmed';
    return {
      ...describeDecision(purpose, state, deciding, confirmedBy),
      addresses: decisions.map((d) => ({
        address: d.key.slice(d.key.indexOf(':') + 1),
        state: d.state,
        ...(d.deciding ? { since: d.deciding.receivedAt, seq: d.deciding.seq } : {}),
        ...(d.confirmation ? { confirmation: describeConfirmation(d.confirmation) } : {}),
      })),
    };
  }

  /**
   * A campaign's audience for one purpose: exactly the addresses whose
   * decision is a grant. Everyone else is left out, and counted, so the
   * salon sees why a recipient list is smaller than expected.
   */
  audience(purpose: string, options: AudienceOptions = {}): Audience {
    const leftOut = noneLeftOut();
    const recipients = [...this.#recipients(purpose, leftOut, options)];
    recipients.sort((a, b) => a.address.localeCompare(b.address));
    return { purpose, recipients, leftOut };
  }

  /**
   * The audience one recipient at a time, in no particular order, for
   * streaming a large one without building it; then the counts of those left out.
   */
  *audienceStream(
    purpose: string,
    options: AudienceOptions = {},
  ): Generator<Audience['recipients'][number], Audience['leftOut']> {
    const leftOut = noneLeftOut();
    yield* this.#recipients(purpose, leftOut, options);
    return leftOut;
  }

  /** Decides every address of the purpose, yields each recipient, and counts the rest into `leftOut`. */
  *#recipients(
    purpose: string,
    leftOut: Audience['leftOut'],
    { excludeImported = false }: AudienceOptions,
  ): Generator<Audience['recipients'][number]> {
    const prefix = addressPrefix(purpose);
    for (const key of this.#parent.keys()) {
      if (!key.startsWith(prefix)) continue;
      const { state, deciding, confirmation, bounced } = this.decide(purpose, key);
      if (state === 'withdrawn') leftOut.withdrawn += 1;
      else if (bounced) leftOut.bounced += 1;
      else if (excludeImported && deciding?.event.method === 'import') leftOut.imported += 1;
      else if (state === 'pending' || (state === 'never' && confirmation)) leftOut.unconfirmed += 1;
      else if (state === 'never') leftOut.neverGranted += 1;
      else {
        const grant = deciding!;
        yield {
          address: this.#addresses.sendableAddress(purpose, grant.event.subject) ?? key,
          subject: grant.event.subject,
          since: grant.receivedAt,
          method: grant.event.method,
          flags: grant.flags,
        };
      }
    }
  }

  #rootOf(key: IdentifierKey): IdentifierKey {
    if (this.#parent.has(key)) return this.#find(key);
    this.#parent.set(key, key);
    this.#customers.set(key, { keys: new Set([key]), entries: [], withdrawals: new Map() });
    return key;
  }

  #find(key: IdentifierKey): IdentifierKey {
    let root = key;
    while (this.#parent.get(root) !== root) root = this.#parent.get(root)!;
    // Path compression: later lookups go straight to the root.
    for (let at = key; at !== root;) {
      const next = this.#parent.get(at)!;
      this.#parent.set(at, root);
      at = next;
    }
    return root;
  }

  /** Links two customers into one; the larger absorbs the smaller. */
  #union(a: IdentifierKey, b: IdentifierKey): IdentifierKey {
    if (a === b) return a;
    let big = this.#customers.get(a)!;
    let small = this.#customers.get(b)!;
    let [root, other] = [a, b];
    if (big.keys.size + big.entries.length < small.keys.size + small.entries.length) {
      [big, small] = [small, big];
      [root, other] = [b, a];
    }
    this.#parent.set(other, root);
    for (const key of small.keys) big.keys.add(key);
    // Entries are kept in sequence order; both lists already are.
    big.entries = mergeBySeq(big.entries, small.entries);
    for (const [purpose, withdrawal] of small.withdrawals) {
      big.withdrawals.set(purpose, later(big.withdrawals.get(purpose), withdrawal)!);
    }
    this.#customers.delete(other);
    return root;
  }
}

type Recipient = Audience['recipients'][number];

/**
 * How an audience is asked for. `excludeImported`: without the addresses
 * whose only grant came by import (they never confirmed here, which a salon
 * may want before the first campaign); they are counted as left out.
 */
export interface AudienceOptions {
  excludeImported?: boolean;
}

/** The counts of an audience that left nobody out yet. */
export const noneLeftOut = (): Audience['leftOut'] => ({
  withdrawn: 0,
  unconfirmed: 0,
  neverGranted: 0,
  bounced: 0,
  imported: 0,
});

/**
 * A campaign's audience over many views (a customer each, as the ledger
 * reads them one at a time): every view decides its own addresses, by the
 * same rule as `ConsentView.audience`; then the counts of those left out.
 */
export async function* audienceAcross(
  views: AsyncIterable<ConsentView>,
  purpose: string,
  options: AudienceOptions = {},
): AsyncGenerator<Recipient, Audience['leftOut']> {
  const leftOut = noneLeftOut();
  for await (const view of views) {
    const recipients = view.audienceStream(purpose, options);
    for (let next = recipients.next(); ; next = recipients.next()) {
      if (next.done) {
        leftOut.withdrawn += next.value.withdrawn;
        leftOut.unconfirmed += next.value.unconfirmed;
        leftOut.neverGranted += next.value.neverGranted;
        leftOut.bounced += next.value.bounced;
        leftOut.imported += next.value.imported;
        break;
      }
      yield next.value;
    }
  }
  return leftOut;
}

/** The audience over many views as one answer, sorted by address (see audienceAcross). */
export async function audienceOf(
  views: AsyncIterable<ConsentView>,
  purpose: string,
  options: AudienceOptions = {},
): Promise<Audience> {
  const recipients: Recipient[] = [];
  const stream = audienceAcross(views, purpose, options);
  try {
    for (let next = await stream.next(); ; next = await stream.next()) {
      if (next.done) {
        recipients.sort((a, b) => a.address.localeCompare(b.address));
        return { purpose, recipients, leftOut: next.value };
      }
      recipients.push(next.value);
    }
  } finally {
    await stream.return(noneLeftOut());
  }
}

function valuesOf(keys: IdentifierKey[], prefix: string): string[] {
  return keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

function mergeBySeq(a: LedgerEntry[], b: LedgerEntry[]): LedgerEntry[] {
  const merged: LedgerEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

function describeConfirmation(confirmation: Confirmation): ConfirmationStatus {
  return {
    state: confirmation.state,
    grantId: (confirmation.confirmedGrant ?? confirmation.grant).event.id,
    ...(confirmation.state === 'confirmed'
      ? {
          confirmedAt: confirmation.click!.receivedAt,
          confirmedBy: (confirmation.click!.event as ConfirmationRecord).reply ? 'sms-reply' : 'mail-link',
        }
      : { lapsesAt: new Date(confirmation.lapsesAt).toISOString() }),
    mails: confirmation.mails.map((entry) => {
      const message = entry.event as ConfirmationMailRecord | ConfirmationSmsRecord;
      if (message.method === 'confirmation-sms') {
        return {
          at: entry.receivedAt,
          outcome: message.outcome,
          channel: 'sms' as const,
          ...(message.messageIds?.length ? { messageId: message.messageIds.join(' ') } : {}),
          ...(message.smscError ? { smscError: message.smscError } : {}),
        };
      }
      return {
        at: entry.receivedAt,
        outcome: message.outcome,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(message.smtpReply ? { smtpReply: message.smtpReply } : {}),
      };
    }),
  };
}

/** A purpose's status as the customer file shows it: state, since when, how, which text. */
function describeDecision(
  purpose: string,
  state: PurposeStatus['state'],
  entry: LedgerEntry | undefined,
  confirmed = false,
): Omit<PurposeStatus, 'addresses'> {
  if (!entry || state === 'never') return { purpose, state: 'never', optInLevel: 'none', flags: [] };
  const record = entry.event;
  if (isConfirmationStep(record)) throw new Error('confirmation steps never decide a purpose');
  return {
    purpose,
    state,
    since: entry.receivedAt,
    method: record.method,
    ...(record.method === 'online-booking' || record.method === 'front-desk'
      ? { textVersion: record.notice.textVersion, locale: record.notice.locale }
      : {}),
    ...(record.method === 'front-desk' ? { staff: record.staff, device: record.device } : {}),
    ...(record.method === 'staff'
      ? { staff: record.staff, ...(record.textVersion ? { textVersion: record.textVersion } : {}) }
      : {}),
    ...(record.method === 'suppression'
      ? { suppression: { kind: record.suppression.kind, source: record.suppression.source } }
      : {}),
    // An imported decision dates from when the customer made it; when it came here is kept beside it.
    ...(record.method === 'import'
      ? {
          since: decidedAt(entry),
          imported: {
            source: record.import.source,
            at: entry.receivedAt,
            ...(record.import.evidence ? { evidence: record.import.evidence } : {}),
          },
        }
      : {}),
    optInLevel:
      state !== 'granted'
        ? 'none'
        : record.method === 'front-desk'
          ? 'signed'
          : record.method === 'staff'
            ? 'staff-evidence'
            : record.method === 'import'
              ? 'imported'
              : confirmed
                ? 'confirmed'
                : 'single',
    flags: entry.flags,
    seq: entry.seq,
    eventId: record.id,
  };
}
