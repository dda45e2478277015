/**
 * A real SMTP server on loopback (smtp-server), for the double opt-in
 * tests: it receives what the ledger sends, parses it (mailparser), and can
 * refuse, stall or be down, as a provider's server sometimes is.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createServer } from 'node:net';

export type MailServerMode = 'accept' | 'refuse' | 'tempfail' | 'slow';

export interface ReceivedMail {
  parsed: ParsedMail;
  text: string;
  /** The confirmation link in the mail. */
  link: string;
}

export async function startMailServer(options: { slowMs?: number } = {}) {
  const mails: ReceivedMail[] = [];
  let mode: MailServerMode = 'accept';
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, done) {
      if (mode === 'refuse') return done(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      if (mode === 'tempfail') return done(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
      done();
    },
    async onData(stream, _session, done) {
      const parsed = await simpleParser(stream);
      if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 2000));
      const text = parsed.text ?? '';
      mails.push({ parsed, text, link: /https?:\/\/\S+\/v1\/confirm\?\S+/.exec(text)?.[0] ?? '' });
      for (const wake of waiters.splice(0)) wake();
      done();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    setMode: (next: MailServerMode) => (mode = next),
    /** Resolves once `count` mails have arrived (or fails after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`${mails.length} mails arrived, expected ${count}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MailServer = Awaited<ReturnType<typeof startMailServer>>;

/** A loopback port nothing listens on (bound, then released): an SMTP server that is down. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
