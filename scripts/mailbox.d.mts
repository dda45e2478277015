export declare const CONFIRMATION_LINK: RegExp;

export type MailboxMode = 'accept' | 'refuse' | 'tempfail' | 'slow';

export interface ReceivedMail {
  at: string;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  /** The confirmation link in the text ('' when there is none). */
  link: string;
}

export interface Mailbox {
  url: string;
  mails: ReceivedMail[];
  setMode(mode: MailboxMode): MailboxMode;
  mailsTo(address: string): ReceivedMail[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export declare function startMailbox(options?: { keep?: number; slowMs?: number }): Promise<Mailbox>;
