/**
 * The ledger's link to the salon's SMS operator: one SMPP session bound as
 * a transceiver (it sends and receives on one connection), kept bound.
 * When the SMSC is unreachable or drops the session, it binds again with
 * growing waits (1 s up to a minute); while it is not bound nothing is sent
 * and nothing is lost, because the ledger is the queue (see
 * confirmation-sender.ts). A received SMS is acknowledged only once the
 * ledger recorded it; an SMSC delivers again what it got no answer for.
 *
 * The log names the SMSC's host and what failed, never a phone number or a
 * password.
 */
import smpp, { type Pdu, type Session } from 'smpp';
import { decodeSmsPart, smsPayloads } from './sms-segments.js';

/** Where the SMSC is and how to bind: smpp://SYSTEM_ID:PASSWORD@HOST:PORT, or ssmpp:// for TLS. */
export interface SmppEndpoint {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
}

/** An SMS as the SMSC delivered it, or its delivery receipt for an SMS the ledger sent (`receipt`). */
export interface IncomingSms {
  /** The sender's number: E.164 (with +) when the SMSC says it is international, else as given. */
  from: string;
  /** The number it was sent to (the salon's). */
  to: string;
  text: string;
  sequence: number;
  /** For a delivery receipt: the message id of the part it is about, its final state and the error code. */
  receipt?: { messageId: string; state: string; error?: string };
}

/** Why an SMS did not go: the SMSC refused it, did not answer, or is not bound. */
export class SmsNotSent extends Error {}

const RESPONSE_TIMEOUT_MS = 10_000;
const REBIND_WAITS_MS = [1000, 2000, 5000, 10_000, 30_000, 60_000];
const KEEP_ALIVE_MS = 30_000;

/**
 * Reads an smpp:// URL, naming what is wrong: SMPP 3.4 allows a system id
 * of 15 characters and a password of 8.
 */
export function parseSmppUrl(url: string): SmppEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('--smpp-url is not a URL: give smpp://SYSTEM_ID:PASSWORD@HOST:PORT');
  }
  if (parsed.protocol !== 'smpp:' && parsed.protocol !== 'ssmpp:') {
    throw new Error(
      `--smpp-url starts with ${parsed.protocol}//: give smpp://SYSTEM_ID:PASSWORD@HOST:PORT (ssmpp:// for TLS)`,
    );
  }
  const tls = parsed.protocol === 'ssmpp:';
  const systemId = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  if (!systemId || systemId.length > 15) {
    throw new Error('--smpp-url needs the system id the operator gave you (1 to 15 characters) before the @');
  }
  if (password.length > 8) throw new Error('--smpp-url: an SMPP password has at most 8 characters');
  if (!parsed.hostname) throw new Error('--smpp-url names no host: give smpp://SYSTEM_ID:PASSWORD@HOST:PORT');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : tls ? 3550 : 2775,
    tls,
    systemId,
    password,
  };
}

/**
 * A delivery receipt's id, final state and error, from its TLV or from the
 * text every SMSC writes ("id:… sub:001 dlvrd:001 submit date:… done date:…
 * stat:DELIVRD err:000 text:…", SMPP 3.4 Appendix B).
 */
function readReceipt(text: string, tlvId: unknown): IncomingSms['receipt'] | undefined {
  const messageId = (typeof tlvId === 'string' && tlvId) || /\bid:(\S+)/i.exec(text)?.[1];
  const state = /\bstat:([A-Za-z]+)/i.exec(text)?.[1]?.toUpperCase();
  const error = /\berr:(\w+)/i.exec(text)?.[1];
  if (!messageId || !state || state.length > 16) return undefined;
  return { messageId: messageId.slice(0, 65), state, ...(error ? { error: error.slice(0, 16) } : {}) };
}

/** An address as the SMSC gives it: with a plus when its type of number says international (TON 1). */
function international(ton: unknown, address: unknown): string {
  const digits = String(address ?? '');
  return Number(ton) === 1 && !digits.startsWith('+') ? `+${digits}` : digits;
}

export class SmppGateway {
  readonly #endpoint: SmppEndpoint;
  readonly #onMessage: (sms: IncomingSms) => Promise<void>;
  readonly #onBound: () => void;
  #session: Session | undefined;
  #bound = false;
  #closed = false;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  /** Requests waiting for their response, failed at once when the session drops. */
  readonly #waiting = new Set<(error: Error) => void>();
  /** A reference per message for the phone to join its parts (0–255, round). */
  #reference = Math.floor(Math.random() * 256);

  constructor(
    endpoint: SmppEndpoint,
    handlers: { onMessage: (sms: IncomingSms) => Promise<void>; onBound: () => void },
  ) {
    this.#endpoint = endpoint;
    this.#onMessage = handlers.onMessage;
    this.#onBound = handlers.onBound;
  }

  /** Whether a session is bound now, so that an SMS can go. */
  get bound(): boolean {
    return this.#bound;
  }

  start(): void {
    if (this.#closed || this.#session) return;
    const { host, port, tls } = this.#endpoint;
    const session = smpp.connect({ host, port, tls });
    this.#session = session;
    session.on(tls ? 'secureConnect' : 'connect', () => this.#bind(session));
    session.on('error', (error: Error) => {
      if (this.#failures === 0) console.error(`ledger: SMSC ${host}:${port}: ${error.message}`);
    });
    session.on('close', () => this.#lost(session));
    session.on('deliver_sm', (pdu: Pdu) => void this.#received(session, pdu));
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
  }

  #bind(session: Session): void {
    const { systemId, password, host, port } = this.#endpoint;
    session.send(
      new smpp.PDU('bind_transceiver', { system_id: systemId, password, interface_version: 0x34 }),
      (pdu) => {
        if (pdu.command_status !== 0) {
          // Said once per outage, not at every try.
          if (this.#failures === 0) {
            console.error(
              `ledger: SMSC ${host}:${port} refused the bind (status ${pdu.command_status}): check the system id and password in --smpp-url`,
            );
          }
          session.close();
          return;
        }
        if (this.#failures > 0) console.log(`ledger: SMSC ${host}:${port} bound again`);
        this.#failures = 0;
        this.#bound = true;
        this.#keepAlive(session);
        this.#onBound();
      },
    );
  }

  /**
   * An enquire_link every 30 s: a session that gets no answer within the
   * time-out is dropped and bound again, so an SMSC gone silent (a connection
   * cut without a close) does not hold replies back unnoticed.
   */
  #keepAlive(session: Session): void {
    clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = setInterval(() => {
      this.#request(session, new smpp.PDU('enquire_link', {})).catch(() => session.destroy());
    }, KEEP_ALIVE_MS);
    this.#keepAliveTimer.unref?.();
  }

  #lost(session: Session): void {
    if (this.#session !== session) return;
    clearInterval(this.#keepAliveTimer);
    this.#session = undefined;
    this.#bound = false;
    for (const fail of this.#waiting) fail(new SmsNotSent('the SMSC connection closed before it answered'));
    this.#waiting.clear();
    if (this.#closed) return;
    const wait = REBIND_WAITS_MS[Math.min(this.#failures, REBIND_WAITS_MS.length - 1)]!;
    if (this.#failures === 0) {
      console.error(`ledger: SMSC ${this.#endpoint.host}:${this.#endpoint.port} not bound; trying again`);
    }
    this.#failures += 1;
    this.#timer = setTimeout(() => this.start(), wait);
    this.#timer.unref?.();
  }

  /** One request and its response, or SmsNotSent after the time-out or when the session drops. */
  #request(session: Session, pdu: Pdu): Promise<Pdu> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.#waiting.delete(fail);
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new SmsNotSent(`the SMSC did not answer within ${RESPONSE_TIMEOUT_MS / 1000} s`)),
        RESPONSE_TIMEOUT_MS,
      );
      this.#waiting.add(fail);
      const sent = session.send(pdu, (response) => {
        clearTimeout(timer);
        this.#waiting.delete(fail);
        resolve(response);
      });
      if (!sent) fail(new SmsNotSent('the SMSC connection is not writable'));
    });
  }

  /**
   * Sends one SMS (in parts when it is long) and returns the SMSC's message
   * id of each part. Throws SmsNotSent, saying why, when any part was refused.
   */
  async send(sms: {
    from: { address: string; ton: number; npi: number };
    to: string;
    text: string;
  }): Promise<string[]> {
    const session = this.#session;
    if (!session || !this.#bound) throw new SmsNotSent('not bound to the SMSC');
    this.#reference = (this.#reference + 1) % 256;
    const ids: string[] = [];
    for (const part of smsPayloads(sms.text, this.#reference)) {
      const response = await this.#request(
        session,
        new smpp.PDU('submit_sm', {
          source_addr_ton: sms.from.ton,
          source_addr_npi: sms.from.npi,
          source_addr: sms.from.address,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: sms.to.replace(/^\+/, ''),
          data_coding: part.dataCoding,
          // A receipt for the final state: the proof can say the phone received it.
          registered_delivery: 1,
          short_message: part.udh ? { udh: part.udh, message: part.message } : part.message,
        }),
      );
      if (response.command_status !== 0) {
        throw new SmsNotSent(
          `the SMSC refused part ${ids.length + 1} (status 0x${response.command_status.toString(16)})`,
        );
      }
      ids.push(String(response['message_id'] ?? ''));
    }
    return ids;
  }

  /**
   * A delivered SMS or delivery receipt: recorded by the ledger first, then
   * acknowledged; other notifications are acknowledged only.
   */
  async #received(session: Session, pdu: Pdu): Promise<void> {
    // esm_class bits 2–5 say what kind of message this is: 0 a customer's own, 1 a delivery receipt, else a
    // notification the ledger has no use for.
    const kind = (Number(pdu['esm_class']) >> 2) & 0x0f;
    if (kind !== 0 && kind !== 1) {
      session.send(pdu.response());
      return;
    }
    const payload = (pdu['message_payload'] ?? pdu['short_message']) as { message?: string | Buffer } | undefined;
    const message = payload?.message;
    const text =
      typeof message === 'string'
        ? message
        : Buffer.isBuffer(message)
          ? decodeSmsPart(Number(pdu['data_coding']), message)
          : '';
    const receipt = kind === 1 ? readReceipt(text, pdu['receipted_message_id']) : undefined;
    if (kind === 1 && !receipt) {
      session.send(pdu.response());
      return;
    }
    const sms: IncomingSms = {
      from: international(pdu['source_addr_ton'], pdu['source_addr']),
      to: international(pdu['dest_addr_ton'], pdu['destination_addr']),
      text,
      sequence: pdu.sequence_number,
      ...(receipt ? { receipt } : {}),
    };
    try {
      await this.#onMessage(sms);
      session.send(pdu.response());
    } catch (error) {
      // A temporary error: the SMSC delivers it again later.
      console.error('ledger: a received SMS could not be recorded; the SMSC will deliver it again', error);
      session.send(pdu.response({ command_status: smpp.ESME_RX_T_APPN }));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#keepAliveTimer);
    const session = this.#session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const finish = setTimeout(() => {
        session.destroy();
        resolve();
      }, 2000);
      session.once('close', () => {
        clearTimeout(finish);
        resolve();
      });
      // Unbind politely when bound; a session still connecting is dropped.
      if (!this.#bound || !session.send(new smpp.PDU('unbind', {}), () => session.close())) session.destroy();
    });
  }
}
