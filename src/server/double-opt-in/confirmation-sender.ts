/**
 * Sends the confirmation messages of the double opt-in: a mail with a link
 * for an e-mail address, an SMS asking for a reply for a phone number (see
 * sms/sms-channel.ts), and the one SMS that acknowledges a STOP. The ledger
 * itself is the queue: a grant that waits for confirmation and has no
 * message yet is due, and every attempt is appended as a record (sent, with
 * the server's message id, or failed, with its reply). A restart therefore
 * loses nothing and sends nothing twice that was recorded as sent; failed
 * attempts are retried with growing waits, then given up (the sign-up lapses
 * unconfirmed). While the SMSC is not bound, SMS wait without an attempt and
 * go as soon as it is.
 *
 * No spam cannon: at most one message per address and purpose per throttle
 * period (24 h by default) whatever is posted, and a cap per hour for the
 * whole ledger and channel. A forged sign-up costs the address's owner at
 * most one message that advertises nothing, and never puts them in an audience.
 */
import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport/index.js';
import type { ConfirmationMailRecord, ConfirmationSmsRecord, SmsReplyRecord } from '../../contract/ledger-records.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { normalizeEmail } from '../consent/addresses.js';
import type { Confirmation, ConsentView } from '../consent/consent-status.js';
import type { LedgerContext } from '../app/ledger-context.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import type { SmsChannel } from '../sms/sms-channel.js';
import { createConfirmationUrl, withoutSignature } from './confirmation-link.js';
import { composeConfirmationMail, sha256Hex } from './confirmation-mail.js';
import { optInSms, stoppedSms } from '../sms/sms-messages.js';

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

/** How often a channel may send: the same settings for mail and SMS. */
interface ChannelLimits {
  throttleMs: number;
  resendAfterMs: number;
  maxPerHour: number;
  retryDelaysMs: readonly number[];
}

type Channel = 'mail' | 'sms';

const HOUR = 3_600_000;
/** Longer than a send and its record take (the SMTP time-outs below add up to under a minute). */
const SEND_CLAIM_MS = 2 * 60_000;
/** Waits after failed attempts, mail or SMS; after the last one the ledger gives up. */
export const DEFAULT_RETRY_DELAYS = [60_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 6 * HOUR];
/** A STOP's acknowledgement goes within this time of the STOP, or not at all (a day later it would puzzle). */
const STOP_NOTICE_WITHIN_MS = 24 * HOUR;

/** The channel a confirmation to this address goes by. */
const channelOf = (address: string): Channel => (address.startsWith('phone:') ? 'sms' : 'mail');

/** Why no message went out now, for staff asking for one. */
export type ResendRefusal = { reason: 'not-pending' } | { reason: 'too-soon'; retryAfterSeconds: number };

/** A message that may be due: a confirmation for an address, or the acknowledgement of a STOP. */
type Job = { kind: 'confirm'; purpose: string; address: string } | { kind: 'stop'; replyId: string; address: string };

export class ConfirmationSender {
  readonly #ledger: LedgerContext;
  readonly #limits: Partial<Record<Channel, ChannelLimits>>;
  readonly #mail: { from: string; recordClientAddress: boolean } | undefined;
  readonly #transport;
  readonly #sms: SmsChannel | undefined;
  readonly #linkSecret: string | undefined;
  readonly #now: () => number;
  /** Where links point when no public URL is configured: the last base a request came in on. */
  #base: string | undefined;
  readonly #publicUrl: string | undefined;
  /** Client addresses of sign-ups (only when recorded), until their mail is recorded. */
  readonly #signUpAddresses = new Map<string, string>();
  /**
   * The messages that may be due, by key: all the pending sign-ups and
   * unacknowledged STOPs found by the first pass over every customer, then
   * each new one as it comes in. A pass looks only at these, so it costs the
   * waiting messages, not the ledger.
   */
  readonly #waiting = new Map<string, Job>();
  #scanned = false;
  /** Send times in the last hour per channel, for the ledger-wide cap. */
  readonly #recentSends: Record<Channel, number[]> = { mail: [], sms: [] };
  #running: Promise<void> | undefined;
  #again = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the next pass is due (undefined: none planned). */
  #nextAt: number | undefined;
  #closed = false;

  constructor(
    ledger: LedgerContext,
    channels: { mail?: ConfirmationMailSettings | undefined; sms?: SmsChannel | undefined },
    options: { linkSecret: string | undefined; publicUrl: string | undefined; now?: () => number },
  ) {
    this.#ledger = ledger;
    const { mail, sms } = channels;
    this.#limits = {
      ...(mail
        ? {
            mail: {
              throttleMs: mail.throttleMs ?? 24 * HOUR,
              resendAfterMs: mail.resendAfterMs ?? 15 * 60_000,
              maxPerHour: mail.maxPerHour ?? 200,
              retryDelaysMs: mail.retryDelaysMs ?? DEFAULT_RETRY_DELAYS,
            },
          }
        : {}),
      ...(sms ? { sms: sms.limits } : {}),
    };
    this.#mail = mail ? { from: mail.from, recordClientAddress: mail.recordClientAddress ?? false } : undefined;
    // Short timeouts: a slow server must not hold the queue for minutes.
    const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
    this.#transport = mail
      ? createTransport(typeof mail.smtp === 'string' ? { url: mail.smtp, ...timeouts } : { ...timeouts, ...mail.smtp })
      : undefined;
    this.#sms = sms;
    this.#linkSecret = options.linkSecret;
    this.#publicUrl = options.publicUrl;
    this.#now = options.now ?? Date.now;
  }

  get recordsClientAddress(): boolean {
    return this.#mail?.recordClientAddress ?? false;
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
    if (clientAddress && this.recordsClientAddress) this.#signUpAddresses.set(grantId, clientAddress);
    for (const { purpose, address } of waiting) this.#wait({ kind: 'confirm', purpose, address });
    this.kick();
  }

  /** A customer's STOP was recorded: acknowledge it by one SMS. */
  stopped(replyId: string, address: string): void {
    this.#wait({ kind: 'stop', replyId, address });
    this.kick();
  }

  #wait(job: Job): void {
    this.#waiting.set(job.kind === 'confirm' ? `${job.purpose}\n${job.address}` : `stop\n${job.replyId}`, job);
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
    this.#transport?.close();
  }

  /** The first pass's look at every customer: what waited when the ledger last stopped. */
  async #scan(): Promise<void> {
    for await (const view of this.#ledger.customerViews()) {
      for (const { purpose, address } of view.pendingConfirmations()) this.#wait({ kind: 'confirm', purpose, address });
      if (!this.#sms) continue;
      // STOPs that withdrew something and are recent enough to be acknowledged (see #stopNoticeDueAt).
      const since = this.#now() - STOP_NOTICE_WITHIN_MS;
      for (const customer of view.customers()) {
        for (const { event: record, receivedAt } of customer.entries) {
          if (record.method !== 'sms-reply' || !record.purposes[0] || Date.parse(receivedAt) < since) continue;
          const address = this.#ledger.addresses.addressKey(record.purposes[0].purpose, record.subject);
          if (address) this.#wait({ kind: 'stop', replyId: record.id, address });
        }
      }
    }
    this.#scanned = true;
  }

  /** One pass over the waiting messages; schedules the next at the earliest due time. */
  async #pass(): Promise<void> {
    clearTimeout(this.#timer);
    this.#nextAt = undefined;
    let next = Infinity;
    try {
      if (!this.#scanned) await this.#scan();
      for (const [key, job] of [...this.#waiting]) {
        if (this.#closed) return;
        const channel = channelOf(job.address);
        const view = await this.#ledger.viewOf(subjectOf(job.address));
        const decision = job.kind === 'confirm' ? view.decide(job.purpose, job.address) : undefined;
        const confirmation = decision?.state === 'pending' ? decision.confirmation : undefined;
        const due =
          job.kind === 'stop'
            ? this.#stopNoticeDueAt(view, job)
            : confirmation && this.#confirmationDueAt(view, job, confirmation);
        // Confirmed, withdrawn, lapsed, erased, sent or given up: nothing more to send for it.
        if (due === undefined || !this.#limits[channel]) {
          this.#waiting.delete(key);
          continue;
        }
        if (due > this.#now()) {
          next = Math.min(next, due);
          continue;
        }
        const capFree = this.#capFreeAt(channel);
        if (capFree > this.#now()) {
          next = Math.min(next, capFree);
          continue;
        }
        // Mail without a public URL or a request seen since the start: noteBase() kicks again.
        if (channel === 'mail' && !this.#publicUrl && !this.#base) continue;
        if (channel === 'sms' && !this.#sms?.bound) {
          // Binding kicks; looking again in a minute keeps the time due known (a platform opens a closed salon then).
          next = Math.min(next, this.#now() + 60_000);
          continue;
        }
        // Another process sharing the database may be sending this very attempt: one message per attempt.
        const attempt =
          job.kind === 'confirm'
            ? `${channel} ${confirmation!.grant.event.id} ${job.purpose} ${messagesOf(view, job.purpose, job.address).length}`
            : `stop ${job.replyId} ${stopNoticesOf(view, job.address, job.replyId).length}`;
        if (!(await this.#ledger.claim(attempt, SEND_CLAIM_MS))) {
          next = Math.min(next, this.#now() + SEND_CLAIM_MS);
          continue;
        }
        if (job.kind === 'confirm') {
          await (channel === 'sms'
            ? this.#sendSms(job.purpose, job.address, confirmation!)
            : this.#sendMail(job.purpose, confirmation!));
        } else {
          await this.#sendStopNotice(view, job);
        }
        // A failed attempt is due again later; the next pass sees its record.
        next = Math.min(next, this.#now() + 1000);
      }
    } catch (error) {
      console.error('ledger: confirmation messages could not be processed; retrying in a minute', error);
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
   * When the next message for this pending sign-up may go, or undefined when
   * none will: already sent for this grant, or given up after the last retry.
   */
  #confirmationDueAt(
    view: ConsentView,
    { purpose, address }: { purpose: string; address: string },
    confirmation: Confirmation,
  ): number | undefined {
    const limits = this.#limits[channelOf(address)];
    if (!limits) return undefined;
    // A number in a country the salon does not text gets no SMS: the sign-up lapses.
    if (channelOf(address) === 'sms' && !this.#sms?.mayText(subjectOf(address).phone!)) return undefined;
    const grantId = confirmation.grant.event.id;
    const messages = messagesOf(view, purpose, address);
    const retryAt = nextAttemptAt(
      messages.filter((message) => message.grantId === grantId),
      limits.retryDelaysMs,
    );
    if (retryAt === undefined) return undefined;
    const lastSent = messages.findLast((message) => message.outcome === 'sent');
    return Math.max(lastSent ? lastSent.at + limits.throttleMs : 0, retryAt);
  }

  /** When the acknowledgement of a STOP may go, or undefined when none will (sent, given up, too late). */
  #stopNoticeDueAt(view: ConsentView, job: { replyId: string; address: string }): number | undefined {
    const reply = view.history(subjectOf(job.address)).find((entry) => entry.event.id === job.replyId);
    const limits = this.#limits.sms;
    if (!reply || !limits || Date.parse(reply.receivedAt) + STOP_NOTICE_WITHIN_MS < this.#now()) return undefined;
    return nextAttemptAt(stopNoticesOf(view, job.address, job.replyId), limits.retryDelaysMs);
  }

  #capFreeAt(channel: Channel): number {
    const hourAgo = this.#now() - HOUR;
    const recent = (this.#recentSends[channel] = this.#recentSends[channel].filter((at) => at > hourAgo));
    return recent.length < this.#limits[channel]!.maxPerHour ? 0 : recent[0]! + HOUR;
  }

  /**
   * Staff asked for the message again (the customer did not get it). Sent at
   * once unless the last one to the address is younger than the resend wait
   * (for SMS, the throttle: one per number a day).
   */
  async resend(purpose: string, address: string, staffName: string): Promise<LedgerEntry | ResendRefusal> {
    const view = await this.#ledger.viewOf(subjectOf(address));
    const decision = view.decide(purpose, address);
    const channel = channelOf(address);
    const limits = this.#limits[channel];
    if (decision.state !== 'pending' || !limits) return { reason: 'not-pending' };
    const lastSent = messagesOf(view, purpose, address).findLast((message) => message.outcome === 'sent');
    const wait = lastSent ? lastSent.at + limits.resendAfterMs - this.#now() : 0;
    if (wait > 0) return { reason: 'too-soon', retryAfterSeconds: Math.ceil(wait / 1000) };
    // Staff asking at once (two clicks, two staff members, two processes): one message.
    const claimMs = Math.min(limits.resendAfterMs, SEND_CLAIM_MS);
    if (!(await this.#ledger.claim(`resend ${purpose} ${this.#ledger.store.identifierDigest(address)}`, claimMs))) {
      return { reason: 'too-soon', retryAfterSeconds: Math.ceil(limits.resendAfterMs / 1000) };
    }
    const requestedBy = { name: staffName };
    return channel === 'sms'
      ? this.#sendSms(purpose, address, decision.confirmation!, requestedBy)
      : this.#sendMail(purpose, decision.confirmation!, requestedBy);
  }

  /** Sends one confirmation mail and records how it went. */
  async #sendMail(purpose: string, confirmation: Confirmation, requestedBy?: { name: string }): Promise<LedgerEntry> {
    const record = confirmation.grant.event;
    if (record.method !== 'online-booking' || !record.subject.email) throw new Error('not an online e-mail grant');
    const base = this.#publicUrl ?? this.#base;
    if (!base) throw new Error('no public URL for confirmation links yet: set publicUrl (--public-url)');
    if (!this.#transport || !this.#mail || !this.#linkSecret) throw new Error('no mail settings');
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
      from: this.#mail.from,
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
      this.#recentSends.mail.push(this.#now());
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

  /** Sends the SMS asking the number's owner to confirm by reply, and records how it went. */
  async #sendSms(
    purpose: string,
    address: string,
    confirmation: Confirmation,
    requestedBy?: { name: string },
  ): Promise<LedgerEntry> {
    const record = confirmation.grant.event;
    if (record.method !== 'online-booking' || !this.#sms) throw new Error('not an online grant, or no SMS settings');
    this.#recentSends.sms.push(this.#now());
    const text = optInSms(this.#ledger.controller.name, purpose, record.notice.locale);
    return this.#sms.send({
      kind: 'opt-in',
      purpose,
      grantId: record.id,
      to: subjectOf(address).phone!,
      text,
      locale: record.notice.locale,
      ...(requestedBy ? { requestedBy } : {}),
    });
  }

  /** Sends the one SMS that acknowledges a STOP, in the language of the customer's latest grant. */
  async #sendStopNotice(view: ConsentView, job: { replyId: string; address: string }): Promise<void> {
    if (!this.#sms) return;
    const history = view.history(subjectOf(job.address));
    const reply = history.find((entry) => entry.event.id === job.replyId)!.event as SmsReplyRecord;
    const purpose = reply.purposes[0]?.purpose ?? 'sms-newsletter';
    const grant = history.findLast(
      (entry) => entry.event.method === 'online-booking' || entry.event.method === 'front-desk',
    )?.event;
    const locale = (grant && 'notice' in grant ? grant.notice.locale : undefined) ?? this.#ledger.controller.locale;
    this.#recentSends.sms.push(this.#now());
    const text = stoppedSms(this.#ledger.controller.name, purpose, locale);
    await this.#sms.send({
      kind: 'stop',
      purpose,
      replyId: job.replyId,
      to: subjectOf(job.address).phone!,
      text,
      locale: locale ?? 'en',
    });
  }
}

/** The customer an address key (`email:…`, `phone:…`) names, for a lookup. */
function subjectOf(address: string): { email?: string; phone?: string } {
  const value = address.slice(address.indexOf(':') + 1);
  return address.startsWith('phone:') ? { phone: value } : { email: value };
}

/** The confirmation messages (mails or SMS) to one address, as the throttle and the retries read them. */
function messagesOf(view: ConsentView, purpose: string, address: string) {
  return view.confirmationMails(purpose, address).map((entry) => {
    const message = entry.event as ConfirmationMailRecord | ConfirmationSmsRecord;
    return { grantId: message.grantId, outcome: message.outcome, at: Date.parse(entry.receivedAt) };
  });
}

/**
 * When the next of these attempts (oldest first) may go: at once before the
 * first, after each failure its wait, never once one went out or every wait
 * was used.
 */
function nextAttemptAt(
  attempts: readonly { outcome: 'sent' | 'failed'; at: number }[],
  delays: readonly number[],
): number | undefined {
  if (attempts.some((attempt) => attempt.outcome === 'sent')) return undefined;
  const failures = attempts.length;
  if (failures > delays.length) return undefined;
  return failures > 0 ? attempts[failures - 1]!.at + delays[failures - 1]! : 0;
}

/** The acknowledgements sent (or tried) for one STOP, oldest first. */
function stopNoticesOf(view: ConsentView, address: string, replyId: string) {
  return view.history(subjectOf(address)).flatMap((entry) => {
    const record = entry.event;
    return record.method === 'confirmation-sms' && record.kind === 'stop' && record.replyId === replyId
      ? [{ outcome: record.outcome, at: Date.parse(entry.receivedAt) }]
      : [];
  });
}
