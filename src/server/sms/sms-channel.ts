/**
 * The ledger's SMS side: the double opt-in of a phone number and STOP.
 *
 * Out: the confirmation sender (double-opt-in/confirmation-sender.ts)
 * decides what is due; this sends it over the SMSC and records each SMS,
 * sent (with the SMSC's message id of each part) or failed (with why).
 *
 * In: every SMS from a number the ledger knows is recorded, then
 * acknowledged to the SMSC. How it is read (sms-messages.ts):
 * - JA/OUI/SI/YES while the number's sign-up waits, after its confirmation
 *   SMS went: a `double-opt-in` record for that grant, with the reply;
 * - STOP (STOPP, ABMELDEN, ARRET, ALT): an `sms-reply` that withdraws every
 *   phone purpose the number had granted or pending, acknowledged by one SMS;
 * - anything else, or a confirmation when none waits: an `sms-reply` that
 *   changes nothing.
 * An SMS from a number the ledger has no record of is not recorded: it
 * would be the only thing the ledger knew of that person. The SMSC's
 * delivery receipt for an SMS the ledger sent is an `sms-receipt` beside it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { addressField, CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import type { ConfirmationSmsRecord, LedgerRecord } from '../../contract/ledger-records.js';
import type { LedgerContext } from '../app/ledger-context.js';
import { DEFAULT_RETRY_DELAYS } from '../double-opt-in/confirmation-sender.js';
import type { LedgerEntry } from '../store/ledger-store.js';
import { readReply, senderAddress } from './sms-messages.js';
import { derivedId } from '../links/derived-id.js';
import { splitSms } from './sms-segments.js';
import { parseSmppUrl, SmppGateway, type IncomingSms } from './smpp-gateway.js';

export interface SmsSettings {
  /** The operator's SMSC: smpp://SYSTEM_ID:PASSWORD@HOST:PORT (ssmpp:// for TLS). */
  smppUrl: string;
  /**
   * A session shared by many salons (a platform's; see salons/platform-app.ts):
   * this ledger sends through it and does not bind on its own; replies reach
   * it through `LedgerApp.receiveSms`, routed by the salon's number.
   */
  gateway?: SmsGateway;
  /** The salon's number customers reply to: +41 79 123 45 67, or a short code (digits). */
  from: string;
  /** At most one confirmation SMS per number within this time (ms); staff cannot ask sooner either. Default 24 h. */
  throttleMs?: number;
  /** SMS per hour for the whole ledger. Default 200. */
  maxPerHour?: number;
  /** Waits after an SMS the SMSC refused (ms); after the last one the ledger gives up. Default 1 min, 5 min, 30 min, 2 h, 6 h. */
  retryDelaysMs?: readonly number[];
  /**
   * The countries (ISO 3166 codes) whose numbers get SMS; `['all']` for any.
   * Default: the EEA, Switzerland and the United Kingdom. Anyone can post a
   * sign-up for any number, and SMS to far or premium-rate destinations cost
   * the salon (SMS pumping); a sign-up from elsewhere is kept and lapses.
   */
  countries?: readonly string[];
}

/** Where a salon's customers live, as a rule: the EEA, Switzerland and the United Kingdom. */
export const DEFAULT_SMS_COUNTRIES = [
  ...['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU'],
  ...['MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'CH', 'GB'],
] as const;

/** Throws, naming the setting and the fix, when SMS settings cannot work (the sender only when given). */
export function checkSmsSettings(sms: Omit<SmsSettings, 'from'> & { from?: string }): void {
  parseSmppUrl(sms.smppUrl);
  const wrong = sms.countries?.find((code) => code !== 'all' && !/^[A-Z]{2}$/.test(code));
  if (wrong !== undefined || sms.countries?.length === 0) {
    throw new Error(
      `--sms-countries: "${wrong ?? ''}" is not a country code; give codes such as CH,DE,AT, or all for any country`,
    );
  }
  if (sms.from !== undefined && !senderAddress(sms.from)) {
    throw new Error(
      `--sms-from "${sms.from}" cannot receive replies: give the salon's number in international form (+41 79 123 45 67) or a short code (digits); a name as sender cannot be answered with JA or STOP`,
    );
  }
}

const HOUR = 3_600_000;

/** What a ledger needs of an SMPP session: whether it is bound, and sending (see SmppGateway). */
export interface SmsGateway {
  readonly bound: boolean;
  send(sms: { from: { address: string; ton: number; npi: number }; to: string; text: string }): Promise<string[]>;
}

/** What the confirmation sender asks this channel to send. */
export interface OutgoingSms {
  kind: ConfirmationSmsRecord['kind'];
  purpose: string;
  grantId?: string;
  replyId?: string;
  /** The customer's number, E.164. */
  to: string;
  text: string;
  locale: string;
  requestedBy?: { name: string };
}

export class SmsChannel {
  readonly limits;
  readonly #ledger: LedgerContext;
  readonly #from: string;
  readonly #sender: { address: string; ton: number; npi: number };
  readonly #gateway: SmsGateway;
  /** The session this channel bound itself, or undefined when it sends through a shared one. */
  readonly #own: SmppGateway | undefined;
  readonly #hooks: { bound(): void; stopped(replyId: string, address: string): void; recorded(): void };
  /** The countries whose numbers get SMS; undefined for any. */
  readonly #countries: ReadonlySet<string> | undefined;
  readonly #refusedCountries = new Set<string>();
  /** SMS sent whose record is not written yet. */
  readonly #inFlight = new Set<Promise<LedgerEntry>>();

  constructor(
    ledger: LedgerContext,
    settings: SmsSettings,
    hooks: { bound(): void; stopped(replyId: string, address: string): void; recorded(): void },
  ) {
    checkSmsSettings(settings);
    this.#ledger = ledger;
    this.#from = settings.from.replace(/[\s-]/g, '');
    this.#sender = senderAddress(settings.from)!;
    this.#hooks = hooks;
    const countries = settings.countries ?? DEFAULT_SMS_COUNTRIES;
    this.#countries = countries.includes('all') ? undefined : new Set(countries);
    const throttleMs = settings.throttleMs ?? 24 * HOUR;
    this.limits = {
      throttleMs,
      resendAfterMs: throttleMs,
      maxPerHour: settings.maxPerHour ?? 200,
      retryDelaysMs: settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS,
    };
    this.#own = settings.gateway
      ? undefined
      : new SmppGateway(parseSmppUrl(settings.smppUrl), {
          onMessage: (sms) => this.receive(sms),
          onBound: () => this.wake(),
        });
    this.#gateway = settings.gateway ?? this.#own!;
  }

  start(): void {
    this.#own?.start();
  }

  /** The SMSC is bound (again): what waited goes now. */
  wake(): void {
    this.#hooks.bound();
  }

  /** Whether the SMSC is bound, so that an SMS can go now. */
  get bound(): boolean {
    return this.#gateway.bound;
  }

  /** Whether this number may get SMS (see SmsSettings.countries); the log says once per country when not. */
  mayText(phone: string): boolean {
    if (!this.#countries) return true;
    const country = parsePhoneNumberFromString(phone)?.country ?? 'an unknown country';
    if (this.#countries.has(country)) return true;
    if (!this.#refusedCountries.has(country)) {
      this.#refusedCountries.add(country);
      console.error(
        `ledger: no confirmation SMS to numbers in ${country}: outside the countries this salon texts (--sms-countries); such sign-ups lapse`,
      );
    }
    return false;
  }

  /**
   * Sends one SMS and records how it went. Until it is recorded it counts as
   * in flight: the SMSC may send its receipt before that (see #receipt).
   */
  send(sms: OutgoingSms): Promise<LedgerEntry> {
    const sending = this.#sendAndRecord(sms);
    this.#inFlight.add(sending);
    void sending.finally(() => this.#inFlight.delete(sending)).catch(() => undefined);
    return sending;
  }

  async #sendAndRecord(sms: OutgoingSms): Promise<LedgerEntry> {
    const { encoding, texts } = splitSms(sms.text);
    let outcome: Pick<ConfirmationSmsRecord, 'outcome' | 'messageIds' | 'smscError'>;
    try {
      outcome = {
        outcome: 'sent',
        messageIds: await this.#gateway.send({ from: this.#sender, to: sms.to, text: sms.text }),
      };
    } catch (error) {
      outcome = {
        outcome: 'failed',
        smscError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      };
    }
    const appended = await this.#ledger.appendRecord({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      subject: { phone: sms.to },
      purposes: [],
      method: 'confirmation-sms',
      purpose: sms.purpose,
      kind: sms.kind,
      ...(sms.grantId ? { grantId: sms.grantId } : {}),
      ...(sms.replyId ? { replyId: sms.replyId } : {}),
      ...outcome,
      sms: { from: this.#from, to: sms.to, locale: sms.locale, text: sms.text, encoding, parts: texts.length },
      ...(sms.requestedBy ? { requestedBy: sms.requestedBy } : {}),
    });
    return appended.entry as LedgerEntry;
  }

  /** An SMS from a customer's phone: read, recorded, and only then acknowledged (see the gateway). */
  async receive(sms: IncomingSms): Promise<void> {
    const phone = this.#ledger.addresses.phone(sms.from);
    if (!phone) return;
    if (sms.receipt) return this.#receipt(phone, sms.receipt);
    const view = await this.#ledger.viewOf({ phone });
    if (!view.customerOf({ phone })) return;
    const reading = readReply(sms.text);
    const reply = { from: phone, to: sms.to, text: sms.text.slice(0, 1600), smscSequence: sms.sequence };
    const base = { schemaVersion: CONSENT_EVENT_SCHEMA_VERSION, id: crypto.randomUUID(), subject: { phone } } as const;
    const phonePurposes = this.#ledger.purposes.filter((purpose) => addressField(purpose) === 'phone');
    const addressOf = (purpose: string) => this.#ledger.addresses.addressKey(purpose, { phone })!;
    let record: LedgerRecord | undefined;
    if (reading === 'confirm') {
      for (const purpose of phonePurposes) {
        const { state, confirmation } = view.decide(purpose, addressOf(purpose));
        if (state !== 'pending') continue;
        // The SMS it answers: the latest confirmation SMS that went since the last withdrawal. It confirms
        // the grant that SMS asked about (a second tick within the day got no SMS of its own).
        const asked = confirmation!.mails.findLast(
          ({ event }) => event.method === 'confirmation-sms' && event.outcome === 'sent' && Boolean(event.grantId),
        )?.event as ConfirmationSmsRecord | undefined;
        if (!asked?.grantId) continue;
        record = {
          ...base,
          purposes: [],
          method: 'double-opt-in',
          purpose,
          grantId: asked.grantId,
          mailId: asked.id,
          reply,
        };
        break;
      }
    }
    const withdrawn =
      reading === 'stop'
        ? phonePurposes.filter((purpose) =>
            ['granted', 'pending'].includes(view.decide(purpose, addressOf(purpose)).state),
          )
        : [];
    record ??= {
      ...base,
      purposes: withdrawn.map((purpose) => ({ purpose, granted: false })),
      method: 'sms-reply',
      reading,
      reply,
    };
    await this.#ledger.appendRecord(record);
    if (withdrawn.length > 0) this.#hooks.stopped(record.id, addressOf(withdrawn[0]!));
    this.#hooks.recorded();
  }

  /**
   * A delivery receipt for an SMS this ledger sent to the number: recorded
   * beside it (once per part and state). A fast SMSC sends it before the
   * SMS's own record is written: the sends in flight are waited for first.
   */
  async #receipt(phone: string, receipt: NonNullable<IncomingSms['receipt']>): Promise<void> {
    await Promise.allSettled(this.#inFlight);
    const history = (await this.#ledger.viewOf({ phone })).history({ phone });
    const sent = history.find(
      ({ event }) => event.method === 'confirmation-sms' && event.messageIds?.includes(receipt.messageId),
    )?.event as ConfirmationSmsRecord | undefined;
    if (!sent) return;
    const { messageId, state, error } = receipt;
    await this.#ledger.appendRecord({
      schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
      // The same receipt delivered again is the same record.
      id: derivedId('sms-receipt', sent.id, messageId, state),
      subject: { phone },
      purposes: [],
      method: 'sms-receipt',
      purpose: sent.purpose,
      smsId: sent.id,
      messageId,
      state,
      ...(error ? { error } : {}),
    });
  }

  async close(): Promise<void> {
    await this.#own?.close();
  }
}
