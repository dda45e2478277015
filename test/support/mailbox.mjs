// A real SMTP server on loopback (smtp-server) that keeps what it receives,
// parsed with mailparser: the double opt-in ledger of the browser tests
// mails its confirmations here, and tests read them by recipient.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export async function startMailbox() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    async onData(stream, _session, done) {
      const parsed = await simpleParser(stream);
      const text = parsed.text ?? '';
      mails.push({
        to: parsed.to?.text ?? '',
        subject: parsed.subject ?? '',
        messageId: parsed.messageId ?? '',
        text,
        link: /https?:\/\/\S+\/v1\/confirm\?\S+/.exec(text)?.[0] ?? '',
      });
      done();
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    /** The mails to one address, oldest first. */
    mailsTo: (address) => mails.filter((mail) => mail.to.toLowerCase() === address.toLowerCase()),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
