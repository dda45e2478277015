/**
 * Drives the fault layer between the browser and the ledger (see
 * test/support/fault-proxy.mjs) and the ledger's process, through the test
 * runner's server commands.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export type Fault =
  | { kind: 'refuse' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'drop-response' }
  | { kind: 'delay'; ms: number }
  | { kind: 'pass' };

export interface FaultLogEntry {
  method: string;
  eventId: string | undefined;
  fault: string;
  status: number | undefined;
  /** When the layer received it (ms since the epoch). */
  at: number;
}

export const faults = {
  /** Faults for the next POSTs, in order; then the standing mode applies again. */
  queue: (list: Fault[]) => executeServerCommand('fault-queue', list),
  /** The fault for every POST without a queued one ({ kind: 'pass' } to heal). */
  mode: (fault: Fault) => executeServerCommand('fault-mode', fault),
  /** Every request the layer saw since the last reset. */
  log: () => executeServerCommand<FaultLogEntry[], unknown>('fault-log'),
  reset: () => executeServerCommand('fault-reset'),
  stopLedger: () => executeServerCommand('ledger-stop'),
  startLedger: () => executeServerCommand('ledger-start'),
  /** POST attempts the layer saw for one event. */
  attemptsFor: async (eventId: string) =>
    ((await executeServerCommand<FaultLogEntry[], unknown>('fault-log')) ?? []).filter(
      (entry) => entry.method === 'POST' && entry.eventId === eventId,
    ),
};
