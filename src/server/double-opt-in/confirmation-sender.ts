/**
 * Sends the confirmation mails of the double opt-in. The ledger itself is
 * the queue: a grant that waits for confirmation and has no mail yet is due,
 * and every attempt is appended as a record (sent, with the SMTP server's
 * Message-ID, or failed, with its reply). A restart therefore loses nothing
 * and sends nothing twice that was recorded as sent; failed attempts are
 * retried with growing waits, then given up (the sign-up lapses unconfirmed).
 *
 * No spam cannon: at most one mail per address and purpose per throttle
 * period (24 h by default) whatever is posted, and a cap per hour for the
 * whole ledger. A forged sign-up costs the address's owner at most one mail
 * that advertises nothing, and never puts them in an audience.
 */
import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport/index.js';
import type { ConfirmationMailRecord } from '../../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { normalizeEmail } from '../consent/addresses.js';
import type { Confirmation, ConsentView } from '../consent/consent-status.js';
import type { LedgerContext } from '../app/ledger-context.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import { createConfirmationUrl, withoutSignature } from './confirmation-link.js';
import { composeConfirmationMail, sha256Hex } from './confirmation-mail.js';

export interface ConfirmationMailSettings {
  /** The SMTP server: a URL (smtp://user:pass@host:587, smtps://…) or nodemailer's SMTP options. */
  smtp: string | SMTPTransportOptions;
  /** The sender, e.g. "Salon Bella <hallo@salon-bella.ch>". */
  from: string;
  /** At most one confirmation mail per address and purpose within this time (ms). Default 24 h. */
  throttleMs?: number;
  /** Staff may ask for another mail once the last one is this old (ms). Default 15 min. */
  resendAfterMs?: number;
  /** Confirmation mails per hour for the whole ledger. Default 200. */
  maxPerHour?: number;
  /** Waits after failed attempts (ms); after the last one the ledger gives up. Default 1 min, 5 min, 30 min, 2 h, 6 h. */
  retryDelaysMs?: readonly number[];
  /** Keep the client address of the sign-up and of the click as evidence (it is personal data). Default off. */
  recordClientAddress?: boolean;
}

const HOUR = 3_600_000;
/** Longer than a send and its record take (the SMTP time-outs below add up to under a minute). */
const SEND_CLAIM_MS = 2 * 60_000;
const DEFAULT_RETRY_DELAYS = [60_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 6 * HOUR];

/** Why no mail went out now, for staff asking for one. */
export type ResendRefusal = { reason: 'not-pending' } | { reason: 'too-soon'; retryAfterSeconds: number };

export class ConfirmationSender {
  readonly #ledger: LedgerContext;
  readonly #settings: Required<Omit<ConfirmationMailSettings, 'smtp'>>;
  readonly #transport;
  readonly #linkSecret: string;
  readonly #now: () => number;
  /** Where links point when no public URL is configured: the last base a request came in on. */
  #base: string | undefined;
  readonly #publicUrl: string | undefined;
  /** Client addresses of sign-ups (only when recorded), until their mail is recorded. */
  readonly #signUpAddresses = new Map<string, string>();
  /**
   * The sign-ups that may need a mail, by purpose and address key: all the
   * pending ones found by the first pass over every customer, then each new
   * one as it comes in. A pass looks only at these, so it costs the waiting
   * sign-ups, not the ledger.
   */
  readonly #waiting = new Map<string, { purpose: string; address: string }>();
  #scanned = false;
  /** Send times in the last hour, for the ledger-wide cap. */
  #recentSends: number[] = [];
  #running: Promise<void> | undefined;
  #again = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the next pass is due (undefined: none planned). */
  #nextAt: number | undefined;
  #closed = false;

  constructor(
    ledger: LedgerContext,
    settings: ConfirmationMailSettings,
    options: { linkSecret: string; publicUrl: string | undefined; now?: () => number },
  ) {
    this.#ledger = ledger;
    this.#settings = {
      from: settings.from,
      throttleMs: settings.throttleMs ?? 24 * HOUR,
      resendAfterMs: settings.resendAfterMs ?? 15 * 60_000,
      maxPerHour: settings.maxPerHour ?? 200,
      retryDelaysMs: settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS,
      recordClientAddress: settings.recordClientAddress ?? false,
    };
    // Short timeouts: a slow server must not hold the queue for minutes.
    const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
    this.#transport = createTransport(
      typeof settings.smtp === 'string' ? { url: settings.smtp, ...timeouts } : { ...timeouts, ...settings.smtp },
    );
    this.#linkSecret = options.linkSecret;
    this.#publicUrl = options.publicUrl;
    this.#now = options.now ?? Date.now;
  }

  get recordsClientAddress(): boolean {
    return this.#settings.recordClientAddress;
  }

  /**
   * Where requests reach the ledger (mount prefix included), for the links
   * when no public URL is configured. Learning it late (after a restart)
   * sends what waited for it.
   */
  noteBase(base: string): void {
    const first = !this.#base && !this.#publicUrl;
    this.#base = base;
    if (first) this.kick();
  }

  /** A sign-up came in, waiting for confirmation at these addresses: send what is due now. */
  signUp(
    grantId: string,
    clientAddress: string | undefined,
    waiting: readonly { purpose: string; address: string }[],
  ): void {
    if (clientAddress && this.#settings.recordClientAddress) this.#signUpAddresses.set(grantId, clientAddress);
    for (const job of waiting) this.#waiting.set(`${job.purpose}\n${job.address}`, job);
    this.kick();
  }

  /** Sends what is due, soon; a pass already running goes round once more. */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /**
   * When this sender next has something to do: now while a pass runs, the
   * time its next pass is planned for, or undefined. A platform that closes
   * an idle salon opens it again then.
   */
  get nextDueAt(): number | undefined {
    return this.#running ? this.#now() : this.#nextAt;
  }

  /** Resolves when no pass is running (for an orderly shutdown, and for tests). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.idle();
    this.#transport.close();
  }

  /** One pass over the waiting sign-ups; schedules the next at the earliest due time. */
  async #pass(): Promise<void> {
    clearTimeout(this.#timer);
    this.#nextAt = undefined;
    let next = Infinity;
    try {
      if (!this.#scanned) {
        for await (const view of this.#ledger.customerViews()) {
          for (const { purpose, address } of view.pendingConfirmations()) {
            this.#waiting.set(`${purpose}\n${address}`, { purpose, address });
          }
        }
        this.#scanned = true;
      }
      for (const [key, { purpose, address }] of [...this.#waiting]) {
        if (this.#closed) return;
        const view = await this.#ledger.viewOf(subjectOf(address));
        const decision = view.decide(purpose, address);
        const due =
          decision.state === 'pending' ? this.#dueAt(view, purpose, address, decision.confirmation!) : undefined;
        // Confirmed, withdrawn, lapsed, erased, sent or given up: nothing more to send for it.
        if (due === undefined) {
          this.#waiting.delete(key);
          continue;
        }
        const job = { purpose, address, confirmation: decision.confirmation! };
        if (due > this.#now()) {
          next = Math.min(next, due);
          continue;
        }
        const capFree = this.#capFreeAt();
        if (capFree > this.#now()) {
          next = Math.min(next, capFree);
          continue;
        }
        // No public URL and no request seen since the start: noteBase() kicks again.
        if (!this.#publicUrl && !this.#base) return;
        // Another process sharing the database may be sending this very attempt: one mail per attempt.
        const attempt = `mail ${job.confirmation.grant.event.id} ${purpose} ${mailsOf(view, purpose, address).length}`;
        if (!(await this.#ledger.claim(attempt, SEND_CLAIM_MS))) {
          next = Math.min(next, this.#now() + SEND_CLAIM_MS);
          continue;
        }
        await this.#send(job.purpose, job.confirmation);
        // A failed attempt is due again later; the next pass sees its record.
        next = Math.min(next, this.#now() + 1000);
      }
    } catch (error) {
      console.error('ledger: confirmation mails could not be processed; retrying in a minute', error);
      next = Math.min(next, this.#now() + 60_000);
    }
    if (!this.#closed && next < Infinity) {
      // Timers beyond 2^31 ms overflow; waking once a day is plenty.
      const delay = Math.min(Math.max(next - this.#now(), 50), 86_400_000);
      this.#nextAt = this.#now() + delay;
      this.#timer = setTimeout(() => this.kick(), delay);
      this.#timer.unref?.();
    }
  }

  /**
   * When the next mail for this sign-up may go, or undefined when none will:
   * already sent for this grant, or given up after the last retry.
   */
  #dueAt(view: ConsentView, purpose: string, address: string, confirmation: Confirmation): number | undefined {
    const grantId = confirmation.grant.event.id;
    const mails = mailsOf(view, purpose, address);
    const forGrant = mails.filter((mail) => mail.grantId === grantId);
    if (forGrant.some((mail) => mail.outcome === 'sent')) return undefined;
    const failures = forGrant.length;
    const delays = this.#settings.retryDelaysMs;
    if (failures > delays.length) return undefined;
    const lastSent = mails.findLast((mail) => mail.outcome === 'sent');
    const throttledUntil = lastSent ? lastSent.at + this.#settings.throttleMs : 0;
    const retryAt = failures > 0 ? forGrant[failures - 1]!.at + delays[failures - 1]! : 0;
    return Math.max(throttledUntil, retryAt, 0);
  }

  #capFreeAt(): number {
    const hourAgo = this.#now() - HOUR;
    this.#recentSends = this.#recentSends.filter((at) => at > hourAgo);
    return this.#recentSends.length < this.#settings.maxPerHour ? 0 : this.#recentSends[0]! + HOUR;
  }

  /**
   * Staff asked for the mail again (the customer did not get it). Sent at
   * once unless the last mail to the address is younger than the resend wait.
   */
  async resend(purpose: string, address: string, staffName: string): Promise<LedgerEntry | ResendRefusal> {
    const view = await this.#ledger.viewOf(subjectOf(address));
    const decision = view.decide(purpose, address);
    if (decision.state !== 'pending') return { reason: 'not-pending' };
    const lastSent = mailsOf(view, purpose, address).findLast((mail) => mail.outcome === 'sent');
    const wait = lastSent ? lastSent.at + this.#settings.resendAfterMs - this.#now() : 0;
    if (wait > 0) return { reason: 'too-soon', retryAfterSeconds: Math.ceil(wait / 1000) };
    // Staff asking at once (two clicks, two staff members, two processes): one mail.
    const claimMs = Math.min(this.#settings.resendAfterMs, SEND_CLAIM_MS);
    if (!(await this.#ledger.claim(`resend ${purpose} ${this.#ledger.store.identifierDigest(address)}`, claimMs))) {
      return { reason: 'too-soon', retryAfterSeconds: Math.ceil(this.#settings.resendAfterMs / 1000) };
    }
    return this.#send(purpose, decision.confirmation!, { name: staffName });
  }

  /** Sends one confirmation mail and records how it went. */
  async #send(purpose: string, confirmation: Confirmation, requestedBy?: { name: string }): Promise<LedgerEntry> {
    const record = confirmation.grant.event;
    if (record.method !== 'online-booking' || !record.subject.email) throw new Error('not an online e-mail grant');
    const base = this.#publicUrl ?? this.#base;
    if (!base) throw new Error('no public URL for confirmation links yet: set publicUrl (--public-url)');
    const mailId = crypto.randomUUID();
    const { lapsesAt } = confirmation;
    const link = await createConfirmationUrl(base, this.#linkSecret, {
      grantId: record.id,
      purpose,
      address: normalizeEmail(record.subject.email),
      mailId,
      expires: Math.floor(lapsesAt / 1000),
    });
    const mail = composeConfirmationMail({
      controller: this.#ledger.controller,
      from: this.#settings.from,
      to: record.subject.email,
      purpose,
      locale: record.notice.locale,
      textVersion: record.notice.textVersion,
      // Only a text the salon's register vouches for is quoted (see composeConfirmationMail).
      noticeText:
        this.#ledger.registry.active && confirmation.grant.flags.length === 0 ? record.notice.text : undefined,
      link,
      linkExpiresAt: new Date(lapsesAt),
    });
    let outcome: Pick<ConfirmationMailRecord, 'outcome' | 'messageId' | 'smtpReply'>;
    try {
      this.#recentSends.push(this.#now());
      const info = await this.#transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // A transactional mail, not a newsletter: no auto-replies, no list headers.
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': mail.locale },
      });
      outcome = { outcome: 'sent', messageId: info.messageId };
    } catch (error) {
      const smtp = error as { response?: string; code?: string; message?: string };
      outcome = {
        outcome: 'failed',
        smtpReply: String(smtp.response ?? `${smtp.code ?? ''} ${smtp.message ?? error}`)
          .trim()
          .slice(0, 2000),
      };
    }
    const text = withoutSignature(mail.text);
    const signUpClientAddress = this.#signUpAddresses.get(record.id);
    if (outcome.outcome === 'sent') this.#signUpAddresses.delete(record.id);
    const appended = await this.#ledger.appendRecord({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: mailId,
      subject: { email: record.subject.email },
      purposes: [],
      method: 'confirmation-mail',
      purpose,
      grantId: record.id,
      ...outcome,
      ...(outcome.outcome === 'sent'
        ? {
            mail: {
              from: mail.from,
              to: mail.to,
              subject: mail.subject,
              locale: mail.locale,
              text,
              sha256: sha256Hex(text),
              linkExpiresAt: new Date(lapsesAt).toISOString(),
            },
          }
        : {}),
      ...(requestedBy ? { requestedBy } : {}),
      ...(signUpClientAddress ? { signUpClientAddress } : {}),
    });
    // A fresh id: always a new entry holding the record just made.
    return appended.entry as LedgerEntry;
  }
}

/** The customer an address key (`email:…`) names, for a lookup. */
function subjectOf(address: string): { email: string } | { phone: string } {
  const value = address.slice(address.indexOf(':') + 1);
  return address.startsWith('phone:') ? { phone: value } : { email: value };
}

/** The confirmation mails to one address, as the throttle and the retries read them. */
function mailsOf(view: ConsentView, purpose: string, address: string) {
  return view.confirmationMails(purpose, address).map((entry) => {
    const mail = entry.event as ConfirmationMailRecord;
    return { grantId: mail.grantId, outcome: mail.outcome, at: Date.parse(entry.receivedAt) };
  });
}
