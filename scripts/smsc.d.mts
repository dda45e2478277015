export type SmscMode = 'accept' | 'refuse' | 'throttle' | 'silent';

export interface SubmittedSms {
  at: string;
  /** The sender as submitted: +E.164 for an international number, else as given. */
  from: string;
  to: string;
  dataCoding: number;
  /** The text, joined from its parts. */
  text: string;
  parts: number;
  messageIds: string[];
}

export interface DeliveredReply {
  at: string;
  from: string;
  to: string;
  text: string;
  /** The ledger's answer to the deliver_sm (0: recorded). */
  status: number;
}

export interface Smsc {
  url: string;
  port: number;
  messages: SubmittedSms[];
  replies: DeliveredReply[];
  readonly bound: boolean;
  setMode(mode: SmscMode): SmscMode;
  unreachable(number: string): void;
  messagesTo(number: string): SubmittedSms[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  waitForBind(timeoutMs?: number): Promise<void>;
  deliver(from: string, to: string, text: string): Promise<number>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export declare function startSmsc(options?: {
  systemId?: string;
  password?: string;
  port?: number;
  /** Send a delivery receipt for every part the ledger asks one for. */
  receipts?: boolean;
}): Promise<Smsc>;
