// A real SMTP server on loopback (smtp-server) that keeps what it receives,
// parsed with mailparser: the demo's mail server (shown on /mailbox) and the
// one the tests' ledgers mail their confirmations to. It can also refuse,
// fail for now or stall, as a provider's server sometimes does.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** The confirmation link in a mail's text. */
export const CONFIRMATION_LINK = /https?:\/\/\S+\/v1\/confirm\?\S+/;

export async function startMailbox({ keep = Infinity, slowMs = 2000 } = {}) {
  /** Oldest first. */
  const mails = [];
  let mode = 'accept';
  const waiters = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'marketing-consent mailbox',
    logger: false,
    onRcptTo(_address, _session, done) {
      if (mode === 'refuse') return done(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      if (mode === 'tempfail') return done(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
      done();
    },
    async onData(stream, _session, done) {
      try {
        const parsed = await simpleParser(stream);
        if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));
        const text = parsed.text ?? '';
        mails.push({
          at: new Date().toISOString(),
          from: parsed.from?.text ?? '',
          to: parsed.to?.text ?? '',
          subject: parsed.subject ?? '',
          messageId: parsed.messageId ?? '',
          text,
          link: CONFIRMATION_LINK.exec(text)?.[0] ?? '',
        });
        if (mails.length > keep) mails.shift();
        for (const wake of waiters.splice(0)) wake();
        done();
      } catch (error) {
        done(error);
      }
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    mails,
    setMode: (next) => (mode = next),
    /** The mails to one address, oldest first. */
    mailsTo: (address) => mails.filter((mail) => mail.to.toLowerCase() === address.toLowerCase()),
    /** Resolves once `count` mails have arrived, or fails after `timeoutMs`. */
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`${mails.length} mails arrived, expected ${count}`);
        await new Promise((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return mails;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
