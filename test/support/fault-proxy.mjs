// A fault layer between browser and ledger, for tests and the delivery
// benchmark: a plain HTTP proxy on loopback that forwards to the real ledger,
// or instead refuses the connection, answers with a chosen status, forwards
// and then drops the answer (the ledger stored it; the browser never hears),
// or answers slowly. Faults are queued one-shot, set as a standing mode, or
// drawn at random with set shares. Every request is logged with the event id
// in its body.
import { createServer, request as forward } from 'node:http';

/**
 * @typedef {{ kind: 'refuse' }
 *   | { kind: 'status', status: number, body?: string, headers?: Record<string, string> }
 *   | { kind: 'drop-response' }
 *   | { kind: 'delay', ms: number }
 *   | { kind: 'pass' }} Fault
 */

export async function startFaultProxy(upstream) {
  /** @type {Fault[]} */ let queue = [];
  /** @type {Fault} */ let mode = { kind: 'pass' };
  /** @type {{ share: number, fault: Fault }[]} */ let random = [];
  const log = [];

  const next = () => {
    if (queue.length > 0) return queue.shift();
    let draw = Math.random();
    for (const { share, fault } of random) {
      if (draw < share) return fault;
      draw -= share;
    }
    return mode;
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const eventId = /"id"\s*:\s*"([0-9a-f-]{36})"/.exec(body.toString('utf8'))?.[1];
      // Preflights and staff reads pass untouched: the faults are about delivery.
      const fault = req.method === 'POST' ? next() : { kind: 'pass' };
      const entry = { method: req.method, eventId, fault: fault.kind, status: undefined, at: Date.now() };
      log.push(entry);
      if (fault.kind === 'refuse') return req.socket.destroy();
      if (fault.kind === 'status') {
        entry.status = fault.status;
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          'access-control-allow-origin': req.headers.origin ?? '*',
          'access-control-expose-headers': 'retry-after',
          ...fault.headers,
        });
        return res.end(fault.body ?? JSON.stringify({ error: `fault layer: HTTP ${fault.status}` }));
      }
      if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      const upstreamRequest = forward(
        new URL(req.url, upstream()),
        { method: req.method, headers: { ...req.headers, host: new URL(upstream()).host } },
        (upstreamResponse) => {
          const answer = [];
          upstreamResponse.on('data', (chunk) => answer.push(chunk));
          upstreamResponse.on('end', () => {
            entry.status = upstreamResponse.statusCode;
            if (fault.kind === 'drop-response') return req.socket.destroy();
            res.writeHead(upstreamResponse.statusCode, upstreamResponse.headers);
            res.end(Buffer.concat(answer));
          });
        },
      );
      // The ledger is stopped: the browser sees what it would, a network error.
      upstreamRequest.on('error', () => {
        entry.fault = 'upstream-down';
        req.socket.destroy();
      });
      upstreamRequest.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Faults for the next POSTs, in order. */
    queue: (faults) => void (queue = [...queue, ...faults]),
    /** The fault for every POST that has no queued fault. */
    setMode: (fault) => void (mode = fault),
    /** Random faults: [{ share: 0.1, fault }, …]; the rest follow the mode. */
    setRandom: (shares) => void (random = shares),
    log: () => log.slice(),
    reset: () => {
      queue = [];
      mode = { kind: 'pass' };
      random = [];
      log.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
