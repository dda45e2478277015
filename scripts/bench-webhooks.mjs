// Webhook benchmark: what turning on a webhook costs the booking page's writes, and how fast the
// events reach a newsletter tool. In pairs (each going first in every other pair), the ledger command
// takes N bookings from C concurrent clients, once without a webhook and once with one to a receiver in
// this process that verifies every delivery (standardwebhooks) and reads it (cloudevents), as a tool
// would. Prints, per setup, the median run's bookings per second and, with the webhook, the events per
// second, the time from the last booking's answer to its event, and each event's delay after its
// booking's answer (p50, p99).
//
//   npm run bench:webhooks -- [--bookings 2000] [--clients 16] [--runs 5]
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { makeEvent, startLedgerCommand } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    bookings: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '16' },
    runs: { type: 'string', default: '5' },
  },
});
const BOOKINGS = Number(values.bookings);
const CLIENTS = Number(values.clients);
const RUNS = Number(values.runs);
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** The tool's endpoint: verifies, parses, notes when each booking's event arrived. */
function startReceiver() {
  const verifier = new Webhook(SECRET);
  const arrived = new Map();
  let rejected = 0;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier.verify(body, request.headers);
        const event = HTTP.toEvent({ headers: request.headers, body });
        arrived.set(event.data.address, performance.now());
        response.writeHead(204).end();
      } catch {
        rejected += 1;
        response.writeHead(400).end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hook`,
        arrived,
        rejected: () => rejected,
        close: () => new Promise((done) => server.close(done)),
      }),
    ),
  );
}

/** One run: N bookings from C clients; with a receiver, until every booking's event arrived. */
async function run(withWebhook) {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-webhooks-'));
  const receiver = withWebhook ? await startReceiver() : undefined;
  const ledger = await startLedgerCommand(['--data', dataDir, ...(receiver ? ['--webhook', receiver.url] : [])], {
    env: receiver ? { MARKETING_CONSENT_WEBHOOK_SECRET: SECRET } : {},
  });
  const answered = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const post = (event) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(event);
      const request = http.request(
        `${ledger.url}/v1/consent-events`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 201 ? resolve() : reject(new Error(`${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < BOOKINGS) {
        const i = next++;
        const event = makeEvent(i);
        await post(event);
        answered.set(event.subject.email, performance.now());
      }
    }),
  );
  const written = performance.now();
  const result = { bookingsPerSecond: BOOKINGS / ((written - started) / 1000) };
  if (receiver) {
    while (receiver.arrived.size < BOOKINGS) await new Promise((resolve) => setTimeout(resolve, 10));
    const done = performance.now();
    const delays = [...answered].map(([address, at]) => receiver.arrived.get(address) - at).sort((a, b) => a - b);
    Object.assign(result, {
      eventsPerSecond: BOOKINGS / ((done - started) / 1000),
      drainMs: done - written,
      delayP50: delays[Math.floor(delays.length * 0.5)],
      delayP99: delays[Math.floor(delays.length * 0.99)],
      rejected: receiver.rejected(),
    });
    await receiver.close();
  }
  agent.destroy();
  ledger.child.kill('SIGTERM');
  await new Promise((resolve) => ledger.child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
  return result;
}

const median = (runs, key) => {
  const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const plain = [];
const hooked = [];
for (let pair = 0; pair < RUNS; pair += 1) {
  if (pair % 2 === 0) {
    plain.push(await run(false));
    hooked.push(await run(true));
  } else {
    hooked.push(await run(true));
    plain.push(await run(false));
  }
}
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
console.log(`${BOOKINGS} bookings from ${CLIENTS} clients, ${RUNS} runs each, medians:`);
console.log(`  without a webhook: ${fmt(median(plain, 'bookingsPerSecond'))} bookings/s`);
console.log(
  `  with a webhook:    ${fmt(median(hooked, 'bookingsPerSecond'))} bookings/s ` +
    `(${fmt(median(hooked, 'bookingsPerSecond') / median(plain, 'bookingsPerSecond'), 2)}×)`,
);
console.log(
  `  events delivered:  ${fmt(median(hooked, 'eventsPerSecond'))}/s from the first booking; the last arrived ` +
    `${fmt(median(hooked, 'drainMs'))} ms after the last booking's answer`,
);
console.log(
  `  delay of an event after its booking's answer: p50 ${fmt(median(hooked, 'delayP50'))} ms, ` +
    `p99 ${fmt(median(hooked, 'delayP99'))} ms; signatures refused: ${hooked.reduce((n, r) => n + r.rejected, 0)}`,
);
