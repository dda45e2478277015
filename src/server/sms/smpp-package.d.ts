/** The part of the `smpp` package (it ships no types) that the ledger, its tests and its demo use. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): Pdu;
  }

  export const PDU: new (command: string, options?: Record<string, unknown>) => Pdu;

  export interface Session extends EventEmitter {
    send(pdu: Pdu, onResponse?: (pdu: Pdu) => void, onSent?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    [command: string]: unknown;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  interface Coder {
    encode(text: string): Buffer;
    decode(bytes: Buffer): string;
    match(text: string): boolean;
  }

  const smpp: {
    connect(options: { host: string; port: number; tls?: boolean; auto_enquire_link_period?: number }): Session;
    createServer(listener: (session: Session) => void): Server;
    PDU: new (command: string, options?: Record<string, unknown>) => Pdu;
    encodings: { ASCII: Coder; UCS2: Coder; LATIN1: Coder };
    ESME_ROK: number;
    ESME_RBINDFAIL: number;
    ESME_RTHROTTLED: number;
    ESME_RSYSERR: number;
    ESME_RINVDSTADR: number;
    ESME_RX_T_APPN: number;
    errors: Record<string, number>;
  };
  export default smpp;
}
