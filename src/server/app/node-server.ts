/** Serving a ledger app over HTTP under Node. */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface RunningLedger {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  close(): Promise<void>;
}

export function startLedgerServer(
  app: Hono,
  options: { port?: number; hostname?: string } = {},
): Promise<RunningLedger> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Idle keep-alive connections would hold close() open.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
