// A real SMSC on loopback (the `smpp` package's server) that keeps the SMS
// the ledger submits, joined from their parts as a phone joins them, and
// delivers the replies of customers' phones to the bound ledger: the demo's
// operator (shown on /sms) and the one the tests' ledgers bind to. It can
// refuse binds or messages, or go down and come back on the same port, as
// an operator's SMSC sometimes does.
import smpp from 'smpp';

/** The text of a submit_sm or deliver_sm as the package decoded it, and its concatenation header (if any). */
function partOf(pdu) {
  const payload = pdu.message_payload ?? pdu.short_message;
  const message = typeof payload?.message === 'string' ? payload.message : String(payload?.message ?? '');
  const header = (payload?.udh ?? []).find((element) => element[0] === 0x00);
  return header ? { text: message, ref: header[2], total: header[3], index: header[4] } : { text: message };
}

export async function startSmsc({ systemId = 'ledger', password = 'secret', port = 0, receipts = false } = {}) {
  /** The SMS received from the ledger, oldest first, each joined from its parts. */
  const messages = [];
  /** The replies delivered to the ledger, oldest first, with whether the ledger acknowledged them. */
  const replies = [];
  const parts = new Map();
  let mode = 'accept';
  let nextId = 1;
  /** Numbers whose phone never gets an SMS: their receipts say UNDELIV. */
  const unreachable = new Set();
  /**
   * A delivery receipt (SMPP 3.4 Appendix B) for a part, when the ledger asked for one: from the phone's number
   * to the sender, as an operator sends it once the phone has the SMS or the network gave up.
   */
  const sendReceipt = (session, pdu, messageId) => {
    if (!receipts || !(pdu.registered_delivery & 1)) return;
    const delivered = !unreachable.has(`+${pdu.destination_addr}`);
    const state = delivered ? 'DELIVRD' : 'UNDELIV';
    const at = new Date().toISOString().replace(/\D/g, '').slice(2, 12);
    // At once, as a fast operator's does: often before the ledger has written down the SMS it is about.
    setImmediate(() => {
      session.send(
        new smpp.PDU('deliver_sm', {
          source_addr_ton: pdu.dest_addr_ton,
          source_addr_npi: pdu.dest_addr_npi,
          source_addr: pdu.destination_addr,
          dest_addr_ton: pdu.source_addr_ton,
          dest_addr_npi: pdu.source_addr_npi,
          destination_addr: pdu.source_addr,
          esm_class: 0x04,
          receipted_message_id: messageId,
          message_state: delivered ? 2 : 5,
          short_message: `id:${messageId} sub:001 dlvrd:${delivered ? '001' : '000'} submit date:${at} done date:${at} stat:${state} err:${delivered ? '000' : '001'} text:`,
        }),
      );
    });
  };
  const waiters = [];
  const wake = () => {
    for (const wake of waiters.splice(0)) wake();
  };
  const bound = new Set();

  const listen = (server, at) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => resolve(server.address().port));
    });

  const makeServer = () =>
    smpp.createServer((session) => {
      session.on('error', () => {});
      session.on('bind_transceiver', (pdu) => {
        if (pdu.system_id !== systemId || pdu.password !== password) {
          session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
          session.close();
          return;
        }
        session.send(pdu.response({ system_id: 'demo-smsc' }));
        bound.add(session);
        session.on('close', () => bound.delete(session));
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu) => {
        if (!bound.has(session)) return session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
        if (mode === 'refuse') return session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
        if (mode === 'throttle') return session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
        if (mode === 'silent') return undefined;
        const messageId = `smsc-${nextId++}`;
        session.send(pdu.response({ message_id: messageId }));
        sendReceipt(session, pdu, messageId);
        const part = partOf(pdu);
        const sms = {
          from: `${pdu.source_addr_ton === 1 ? '+' : ''}${pdu.source_addr}`,
          to: `${pdu.dest_addr_ton === 1 ? '+' : ''}${pdu.destination_addr}`,
          dataCoding: pdu.data_coding,
        };
        if (part.total === undefined) {
          messages.push({ ...sms, at: new Date().toISOString(), text: part.text, parts: 1, messageIds: [messageId] });
          return wake();
        }
        const key = `${sms.to} ${part.ref}`;
        const collected = parts.get(key) ?? [];
        collected[part.index - 1] = { text: part.text, messageId };
        parts.set(key, collected);
        if (collected.filter(Boolean).length === part.total) {
          parts.delete(key);
          messages.push({
            ...sms,
            at: new Date().toISOString(),
            text: collected.map((p) => p.text).join(''),
            parts: part.total,
            messageIds: collected.map((p) => p.messageId),
          });
          wake();
        }
        return undefined;
      });
    });

  let server = makeServer();
  const actualPort = await listen(server, port);

  return {
    url: `smpp://${systemId}:${password}@127.0.0.1:${actualPort}`,
    port: actualPort,
    messages,
    replies,
    /** accept, refuse (every SMS), throttle, or silent (never answers). */
    setMode: (next) => (mode = next),
    /** The phone with this number never gets an SMS: its receipts (with `receipts`) say UNDELIV. */
    unreachable: (number) => unreachable.add(number),
    /** The SMS to one number, oldest first. */
    messagesTo: (number) => messages.filter((sms) => sms.to === number),
    get bound() {
      return bound.size > 0;
    },
    /** Resolves once `count` SMS have arrived in all, or fails after `timeoutMs`. */
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`${messages.length} SMS arrived, expected ${count}`);
        await new Promise((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    /** Resolves once a ledger is bound, or fails after `timeoutMs`. */
    async waitForBind(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (bound.size === 0) {
        if (Date.now() > deadline) throw new Error('no ledger bound to the SMSC');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /**
     * A customer's phone sends `text` to the salon's number: delivered to a
     * bound ledger; resolves with the ledger's answer (command_status 0 once
     * it recorded the SMS).
     */
    deliver(from, to, text) {
      const session = [...bound][0];
      if (!session) return Promise.reject(new Error('no ledger is bound to deliver to'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the ledger did not answer the deliver_sm')), 10_000);
        const sent = session.send(
          new smpp.PDU('deliver_sm', {
            source_addr_ton: from.startsWith('+') ? 1 : 0,
            source_addr_npi: 1,
            source_addr: from.replace(/^\+/, ''),
            dest_addr_ton: to.startsWith('+') ? 1 : 3,
            dest_addr_npi: to.startsWith('+') ? 1 : 0,
            destination_addr: to.replace(/^\+/, ''),
            short_message: text,
          }),
          (response) => {
            clearTimeout(timer);
            replies.push({ at: new Date().toISOString(), from, to, text, status: response.command_status });
            resolve(response.command_status);
          },
        );
        if (!sent) {
          clearTimeout(timer);
          reject(new Error('the session to the ledger is closed'));
        }
      });
    },
    /** The SMSC goes down: every session is cut and nobody can connect. */
    async stop() {
      for (const session of [...bound, ...server.sessions]) session.destroy();
      bound.clear();
      await new Promise((resolve) => server.close(() => resolve()));
    },
    /** The SMSC comes back on the same port. */
    async restart() {
      server = makeServer();
      await listen(server, actualPort);
    },
    close() {
      return this.stop().catch(() => undefined);
    },
  };
}
