// Ledger benchmark: concurrent clients post consent events over loopback to
// the ledger command (a separate process, durable writes: every 2xx is after
// fdatasync). Prints records per second and latency, and beside them this
// machine's raw rate of appending and fsyncing the same bytes in the same
// folder: one record per fsync, and as many per fsync as there are clients
// (the best group commit can do), and a bare node:http server doing the same
// group-commit fdatasync (scripts/bare-ledger-server.mjs) under the same load,
// in pairs with the ledger's runs (each going first in every other pair).
// Repeats and reports the median run; the raw disk runs come after all pairs.
//
// With --store postgres the ledger keeps its entries in PostgreSQL (DATABASE_URL, or an embedded server
// started for the run), and --processes 2 runs two ledger processes on the one database, the clients
// spread over both.
//
// With --records 10000,100000 it measures reads instead: for each size it fills a store, starts the
// ledger on it and prints the start-up time, status p50/p99 over HTTP, the time to stream the
// campaign audience as CSV, and the ledger process's peak memory. With --key it does so for a
// ledger with a signing key (checkpoints, MACs; its index files vouched for by them), and without one
// (nothing vouches for the index files: start-up reads every line), one row each.
//
//   npm run bench:ledger -- [--clients 64] [--seconds 5] [--runs 5] [--store jsonl|postgres] [--processes 1] [--profile DIR]
//   npm run bench:ledger -- --records 10000,100000 [--store jsonl|postgres] [--key]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cpuSeconds,
  freshDatabase,
  makeEvent,
  noticeSha256 as sha256,
  startLedgerCommand,
  stopPostgres,
} from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    store: { type: 'string', default: 'jsonl' },
    processes: { type: 'string', default: '1' },
    records: { type: 'string' },
    // With --records: a row with a signing key beside each row without.
    key: { type: 'boolean', default: false },
    // Writes a V8 CPU profile of each ledger process into this folder (open it in Chrome's DevTools).
    profile: { type: 'string' },
  },
});
const store = values.store;
const processes = Number(values.processes);
if (!['jsonl', 'postgres'].includes(store) || !(processes >= 1)) {
  console.error('--store must be jsonl or postgres, --processes a number from 1');
  process.exit(2);
}
if (store === 'jsonl' && processes > 1) {
  console.error('the JSONL store is one process per folder (it is locked); use --store postgres for --processes 2');
  process.exit(2);
}
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const runs = Number(values.runs);

function startLedger(where, env = {}) {
  return startLedgerCommand(where, {
    env,
    nodeArgs: values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [],
  });
}

async function ledgerRun() {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-ledger-'));
  const where = store === 'postgres' ? ['--database-url', await freshDatabase()] : ['--data', dataDir];
  const servers = await Promise.all(Array.from({ length: processes }, () => startLedger(where)));
  try {
    return await loadRun(servers);
  } finally {
    await stopAll(servers);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same load on the bare node:http peer (scripts/bare-ledger-server.mjs), one process, same group commit. */
async function bareRun() {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-bare-'));
  const child = spawn(process.execPath, [new URL('./bare-ledger-server.mjs', import.meta.url).pathname, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening on (http:\/\/\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  try {
    return await loadRun([{ child, url }]);
  } finally {
    await stopAll([{ child }]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function stopAll(servers) {
  await Promise.all(
    servers.map(({ child }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
}

/** `clients` concurrent clients posting events for `seconds` to the servers (spread over them). */
async function loadRun(servers) {
  const latencies = [];
  let counter = 0;
  let failures = 0;
  // node:http with keep-alive rather than fetch: the load generator shares the cores, and must cost little.
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const post = async (client) => {
    const body = JSON.stringify(makeEvent(counter++));
    const started = performance.now();
    const status = await new Promise((resolve, reject) => {
      const request = http.request(
        `${servers[client % servers.length].url}/v1/consent-events`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    if (status !== 201) failures += 1;
    latencies.push(performance.now() - started);
  };
  // Warm up connections and the JIT, then measure.
  await Promise.all(Array.from({ length: clients }, (_, client) => post(client)));
  latencies.length = 0;
  const cpuBefore = await Promise.all(servers.map(({ child }) => cpuSeconds(child.pid)));
  const countedFrom = counter;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) await post(client);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const cpuAfter = await Promise.all(servers.map(({ child }) => cpuSeconds(child.pid)));
  const cpu = cpuAfter.reduce((sum, value, i) => sum + value - cpuBefore[i], 0);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    perSecond: latencies.length / elapsed,
    median: at(0.5),
    p99: at(0.99),
    failures,
    count: latencies.length,
    cpuPerRecordMs: (cpu * 1000) / Math.max(1, counter - countedFrom),
  };
}

/** Appending and fsyncing ledger-sized lines with nothing else going on: the disk's limit. */
async function rawRun(linesPerSync) {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-raw-'));
  const file = await open(join(dataDir, 'raw.jsonl'), 'a');
  const line = `${JSON.stringify({ seq: 1, receivedAt: new Date().toISOString(), event: makeEvent(0), flags: [], prevHash: sha256, hash: sha256 })}\n`;
  const batch = line.repeat(linesPerSync);
  let records = 0;
  const started = performance.now();
  const deadline = started + Math.min(seconds, 3) * 1000;
  while (performance.now() < deadline) {
    await file.appendFile(batch);
    await file.datasync();
    records += linesPerSync;
  }
  const elapsed = (performance.now() - started) / 1000;
  await file.close();
  await rm(dataDir, { recursive: true, force: true });
  return records / elapsed;
}

if (values.records) {
  await readBench(values.records.split(',').map(Number));
  await stopPostgres();
  process.exit(0);
}

/** Reads at each size: start-up, status p50/p99, audience streaming, memory of the ledger process. */
async function readBench(sizes) {
  const { JsonlLedgerStore, PostgresLedgerStore, AddressBook, identifiersOf } = await import('../dist/server/index.js');
  // The ledger's own rules (no phone country), so it finds the index made by them.
  const identify = identifiersOf(new AddressBook(undefined));
  console.log(
    `read benchmark: ${store} store; status over HTTP for 1000 random customers (a ledger at rest: no retention run); audience as streamed CSV`,
  );
  console.log(
    '  records    fill      start-up   status p50 / p99      audience (recipients)   audience extra   ledger peak RSS',
  );
  const { CheckpointSigner, generateCheckpointKey } = await import('../dist/server/index.js');
  const keyDir = await mkdtemp(join(tmpdir(), 'bench-key-'));
  const keyFile = join(keyDir, 'checkpoint.pem');
  const { privateKeyPem } = generateCheckpointKey('bench/ledger');
  await writeFile(keyFile, `# name: bench/ledger\n${privateKeyPem}`);
  const runs = sizes.flatMap((size) =>
    values.key
      ? [
          [size, false],
          [size, true],
        ]
      : [[size, false]],
  );
  for (const [size, keyed] of runs) {
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-reads-'));
    const databaseUrl = store === 'postgres' ? await freshDatabase() : undefined;
    const filling = performance.now();
    const signer = keyed ? new CheckpointSigner('bench/ledger', privateKeyPem) : undefined;
    const opened = databaseUrl
      ? await PostgresLedgerStore.open({ connectionString: databaseUrl, signer })
      : await JsonlLedgerStore.open(dataDir, { signer });
    // Indexed as the ledger indexes what it is given (its customer index is kept at append).
    await opened.index(identify);
    for (let i = 0; i < size; i += 2000) {
      await Promise.all(Array.from({ length: Math.min(2000, size - i) }, (_, j) => opened.append(makeEvent(i + j))));
    }
    await opened.close();
    const fillSeconds = (performance.now() - filling) / 1000;
    const started = performance.now();
    // Without the retention run at start, which reads every customer once (as the audience below does).
    const where = databaseUrl ? ['--database-url', databaseUrl] : ['--data', dataDir];
    const { child, url } = await startLedger([...where, '--no-retention', ...(keyed ? ['--key', keyFile] : [])], {
      MARKETING_CONSENT_STAFF_TOKEN: 'bench-token',
    });
    const headers = { authorization: 'Bearer bench-token' };
    // Start-up ends with the first answer.
    await (await fetch(`${url}/v1/staff/status?email=kundin-0@example.ch`, { headers })).arrayBuffer();
    const startup = performance.now() - started;
    const times = [];
    for (let i = 0; i < 1000; i += 1) {
      const at = performance.now();
      const email = `kundin-${Math.floor(Math.random() * size)}@example.ch`;
      const response = await fetch(`${url}/v1/staff/status?email=${email}`, { headers });
      await response.arrayBuffer();
      times.push(performance.now() - at);
    }
    times.sort((a, b) => a - b);
    // The audience's own memory: the peak from here on, above what the process held before it.
    const statusOf = async () => readFile(`/proc/${child.pid}/status`, 'utf8');
    const kib = (text, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)[1]);
    const peakBefore = kib(await statusOf(), 'VmHWM');
    await writeFile(`/proc/${child.pid}/clear_refs`, '5').catch(() => undefined);
    const before = kib(await statusOf(), 'VmRSS');
    const audienceAt = performance.now();
    const response = await fetch(`${url}/v1/staff/audience?purpose=email-newsletter&format=csv`, { headers });
    let recipients = -1;
    for await (const chunk of response.body) for (const byte of chunk) if (byte === 10) recipients += 1;
    const audienceMs = performance.now() - audienceAt;
    const after = await statusOf();
    const extra = (kib(after, 'VmHWM') - before) / 1024;
    const peak = Math.max(peakBefore, kib(after, 'VmHWM')) / 1024;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
    console.log(
      `  ${String(size).padStart(7)}${values.key ? (keyed ? ' key' : '    ') : ''}   ${fillSeconds.toFixed(0).padStart(4)} s   ${(startup / 1000).toFixed(1).padStart(6)} s   ${times[500].toFixed(1).padStart(6)} / ${times[989].toFixed(1).padStart(6)} ms   ${(audienceMs / 1000).toFixed(2).padStart(6)} s (${recipients})   ${extra.toFixed(0).padStart(6)} MiB     ${peak.toFixed(0).padStart(6)} MiB`,
    );
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ledger = [];
const bare = [];
const rawSingle = [];
const rawGrouped = [];
// Interleaved, so both see the machine in the same state, each going first in every other pair.
for (let run = 0; run < runs; run += 1) {
  if (run % 2 === 0) {
    ledger.push(await ledgerRun());
    bare.push(await bareRun());
  } else {
    bare.push(await bareRun());
    ledger.push(await ledgerRun());
  }
}
// The disk's limits last: a raw run writes hundreds of MB, and the disk is slower for a while after it.
for (let run = 0; run < runs; run += 1) {
  rawSingle.push(await rawRun(1));
  rawGrouped.push(await rawRun(clients));
}
await stopPostgres();
const middle = ledger.slice().sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs / 2)];
const grouped = median(rawGrouped);
const bareMiddle = bare.slice().sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs / 2)];
const single = median(rawSingle);
const line = (name, value) => console.log(`  ${name.padEnd(44)} ${value}`);
console.log(
  `ledger benchmark: ${store} store, ${processes} ledger process${processes > 1 ? 'es' : ''}, ${clients} clients over loopback, ${seconds} s per run, median of ${runs} runs (event ≈ ${JSON.stringify(makeEvent(0)).length} B)`,
);
line(
  'durable records/s (ledger, HTTP + validation)',
  `${middle.perSecond.toFixed(0)}   (runs: ${ledger.map((r) => r.perSecond.toFixed(0)).join(', ')})`,
);
line('latency median / p99', `${middle.median.toFixed(1)} ms / ${middle.p99.toFixed(1)} ms`);
line('non-201 answers', `${ledger.reduce((sum, r) => sum + r.failures, 0)}`);
line(
  `ledger process${processes > 1 ? 'es' : ''} CPU per record`,
  `${middle.cpuPerRecordMs.toFixed(2)} ms (so at most ${(1000 / middle.cpuPerRecordMs).toFixed(0)} records/s per core)`,
);
line(
  'bare node:http + group commit (the peer)',
  `${bareMiddle.perSecond.toFixed(0)} records/s, ${bareMiddle.cpuPerRecordMs.toFixed(2)} ms CPU per record   (runs: ${bare.map((r) => r.perSecond.toFixed(0)).join(', ')})`,
);
line('ledger ÷ bare node:http', `${(middle.perSecond / bareMiddle.perSecond).toFixed(2)}×`);
// Each ledger run beside the bare run of its pair: the two saw the machine in much the same state.
const pairs = ledger.map((run, i) => run.perSecond / bare[i].perSecond);
line(
  '  pair by pair',
  `${pairs.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')}   (median ${median(pairs).toFixed(2)}×)`,
);
line('raw append + fsync, 1 record per fsync', `${single.toFixed(0)} records/s`);
line(`raw append + fsync, ${clients} records per fsync`, `${grouped.toFixed(0)} records/s`);
line('ledger ÷ raw single-record fsync', `${(middle.perSecond / single).toFixed(1)}×`);
line(`ledger ÷ raw ${clients}-record fsync (the limit)`, `${((middle.perSecond / grouped) * 100).toFixed(0)} %`);
