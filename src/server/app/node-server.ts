/** Serving a ledger app over HTTP under Node. */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long answers under way may take to finish when the server stops (ms). */
const STOP_GRACE_MS = 10_000;

/**
 * Stops taking connections and lets the requests under way finish (a
 * booking being written is answered), closing keep-alive connections as
 * they fall idle; what is still open after the grace period is cut. A load
 * balancer in front sees refused connections, not cut answers, and sends
 * new requests to the other processes: a rolling restart loses nothing.
 */
function closeGracefully(server: HttpServer): Promise<void> {
  return new Promise((done) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      done();
    });
    server.closeIdleConnections();
  });
}

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
        close: () => closeGracefully(server as HttpServer),
      });
    });
    server.once('error', reject);
  });
}
