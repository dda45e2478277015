// What a platform's costs per salon are: `serve --salons` with N registered salons (one salon first, as the
// anchor), on the file store or PostgreSQL. For each N it prints:
//   - registration: the median time of one more `registry.add` at N salons (in process, the registry's own cost)
//   - start-up: from spawning the ledger to its first answer for a salon (health of /salons/s0/)
//   - RSS and open files of the ledger process after start-up and after the writes, and memory per salon
//     above the anchor after start-up
//   - first bookings: each salon's first booking (it is opened for it), for --seconds or until every salon has one
//   - writes: then bookings from 32 clients spread at random over the salons reached, for --seconds: durable
//     records/s, p50, p99
//   - status p99 over 300 staff status reads of random salons' customers
//   - idle CPU: the ledger's CPU use over 5 s with no request, in % of one core
// A size whose ledger is not ready within --timeout seconds is reported as such, and the next size is run.
//
//   npm run bench:platform -- [--salons 10,100,1000] [--store jsonl|postgres] [--processes 1] [--seconds 5] [--max-open-salons N]
//                             [--timeout 180] [--cpu-prof DIR]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FileSalonRegistry,
  PostgresSalonRegistry,
  generateCheckpointKey,
  hashStaffToken,
  newSecret,
  openPostgresPool,
  migratePostgres,
} from '../dist/server/index.js';
import { cpuSeconds, freshDatabase, makeEvent, stopPostgres } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    salons: { type: 'string', default: '10,100,1000' },
    store: { type: 'string', default: 'jsonl' },
    seconds: { type: 'string', default: '5' },
    // PostgreSQL: this many ledger processes serving every salon on the one database; each salon's bookings go
    // to one of them (as a load balancer hashing the path sends them), so they do not wait on each other's locks.
    processes: { type: 'string', default: '1' },
    // The ledger's cap on open salons (its default unless given).
    'max-open-salons': { type: 'string' },
    timeout: { type: 'string', default: '180' },
    // A CPU profile of each ledger process into this folder (node --cpu-prof), to see where its time goes.
    'cpu-prof': { type: 'string' },
  },
});
const store = values.store;
const processes = Number(values.processes);
if (!['jsonl', 'postgres'].includes(store) || !(processes >= 1) || (store === 'jsonl' && processes > 1)) {
  console.error(
    '--store must be jsonl or postgres, --processes a number from 1 (above 1 only with postgres: a folder is locked by one process)',
  );
  process.exit(2);
}
const sizes = [1, ...values.salons.split(',').map(Number)];
const seconds = Number(values.seconds);
const timeoutMs = Number(values.timeout) * 1000;
const STAFF_TOKEN = 'bench-staff-token-0123456789abcdef';
const ORIGIN = 'https://salon.bench.example';

/** Salon `i` as `salons add` would register it (one staff token for all, so the bench can read any). */
const salonSettings = (i) => ({
  id: `s${i}`,
  controller: { name: `Salon ${i}`, jurisdiction: 'CH', locale: 'de' },
  origins: [ORIGIN],
  staffOrigins: [],
  staffTokenSha256: hashStaffToken(STAFF_TOKEN),
  linkSecret: newSecret(),
  texts: [],
  singleOptIn: ['email-newsletter', 'sms-newsletter'],
  createdAt: new Date().toISOString(),
});

/** A platform of `n` salons: its place, and the median time of adding one more salon. */
async function platformOf(n) {
  if (store === 'jsonl') {
    const dir = await mkdtemp(join(tmpdir(), 'bench-platform-'));
    // Each salon's file written directly, as `salons add` leaves it (adding one more is what the
    // registration time below measures).
    for (let i = 0; i < n; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, async (_, j) => {
          const salon = salonSettings(i + j);
          await mkdir(join(dir, 'salons', salon.id), { recursive: true });
          await writeFile(join(dir, 'salons', salon.id, 'salon.json'), JSON.stringify(salon));
        }),
      );
    }
    const registry = new FileSalonRegistry(dir);
    const registration = await medianAdd(registry, n);
    await registry.close();
    return { where: ['--data', dir], registration };
  }
  const url = await freshDatabase();
  const pool = openPostgresPool(url, 4);
  await migratePostgres(pool);
  const registry = new PostgresSalonRegistry(pool);
  for (let i = 0; i < n; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, n - i) }, (_, j) => registry.add(salonSettings(i + j))));
  }
  const registration = await medianAdd(registry, n);
  await registry.close();
  await pool.end();
  return { where: ['--database-url', url], registration };
}

/** The median of five adds, each of one more salon, at about `n` salons; the extra salons are served too. */
async function medianAdd(registry, n) {
  const times = [];
  for (let k = 0; k < 5; k += 1) {
    const started = performance.now();
    await registry.add(salonSettings(n + k));
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2];
}

const keyDir = await mkdtemp(join(tmpdir(), 'bench-platform-key-'));
const keyFile = join(keyDir, 'platform.pem');
await writeFile(keyFile, `# name: bench/platform\n${generateCheckpointKey('bench/platform').privateKeyPem}`);

/** `serve --salons` on a free port; resolves with its URL once it listens (or rejects after the timeout). */
function startPlatform(where) {
  const child = spawn(
    process.execPath,
    [
      ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : []),
      'dist/server/cli.js',
      'serve',
      '--salons',
      ...where,
      '--port',
      '0',
      '--rate-limit',
      '0',
      '--key',
      keyFile,
      '--no-retention',
      ...(values['max-open-salons'] ? ['--max-open-salons', values['max-open-salons']] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      const match = /listening on (http:\/\/\S+)/.exec(String(chunk));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${log.slice(-300)}`)));
  });
  return { child, url, logLines: () => log.split('\n').filter(Boolean).length };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const kib = (text, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);

async function measure(n) {
  const { where, registration } = await platformOf(n);
  const served = n + 5;
  const started = performance.now();
  // The first process is the one measured; the others serve the same salons from the same database.
  const platforms = Array.from({ length: processes }, () => startPlatform(where));
  const [platform] = platforms;
  const row = { n, registration };
  try {
    const urls = await Promise.all(platforms.map((one) => one.url));
    const [url] = urls;
    row.listening = performance.now() - started;
    // The first answer of a salon's ledger.
    for (;;) {
      const { status } = await request(`${url}/salons/s0/v1/health`).catch(() => ({ status: 0 }));
      if (status === 200) break;
      if (performance.now() - started > timeoutMs) throw new Error('no answer');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    row.startup = performance.now() - started;
    const status = await readFile(`/proc/${platform.child.pid}/status`, 'utf8');
    row.rss = kib(status, 'VmRSS') / 1024;
    row.files = (await readdir(`/proc/${platform.child.pid}/fd`)).length;

    // Bookings, each to a salon of `pick(i)`, from 32 clients for `seconds` (or until `limit` bookings).
    let counter = 0;
    /** Which salon each customer booked at, for the status reads. */
    const written = [];
    const book = async (pick, limit = Infinity) => {
      let failures = 0;
      const latencies = [];
      const deadline = performance.now() + seconds * 1000;
      const writeStarted = performance.now();
      let sent = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (performance.now() < deadline && sent < limit) {
            const salon = pick(sent++);
            const i = counter++;
            const body = JSON.stringify(makeEvent(i));
            const { status: code, ms } = await request(
              `${urls[salon % urls.length]}/salons/s${salon}/v1/consent-events`,
              {
                method: 'POST',
                body,
                headers: {
                  'content-type': 'application/json',
                  origin: ORIGIN,
                  'content-length': Buffer.byteLength(body),
                },
              },
            );
            if (code === 201) written.push([i, salon]);
            else failures += 1;
            latencies.push(ms);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return {
        perSecond: latencies.length / ((performance.now() - writeStarted) / 1000),
        p50: at(latencies, 0.5),
        p99: at(latencies, 0.99),
        count: latencies.length,
        failures,
      };
    };
    // First each salon's first booking (it is opened for it), in turn; then bookings spread at random over
    // the salons reached, open now unless the cap closed them again.
    row.firstWrites = n > 1 ? await book((k) => k % served, served) : undefined;
    const reached = Math.max(1, Math.min(served, row.firstWrites?.count ?? 1));
    row.writes = await book(() => Math.floor(Math.random() * reached));
    row.reached = reached;
    // What the writes left open: the salons they reached.
    row.rssAfter = kib(await readFile(`/proc/${platform.child.pid}/status`, 'utf8'), 'VmRSS') / 1024;
    row.filesAfter = (await readdir(`/proc/${platform.child.pid}/fd`)).length;

    // Status of customers written above, at their salons.
    const reads = [];
    for (let k = 0; k < 300; k += 1) {
      const [i, salon] = written[Math.floor(Math.random() * written.length)];
      const { ms } = await request(
        `${urls[salon % urls.length]}/salons/s${salon}/v1/staff/status?email=kundin-${i}@example.ch`,
        {
          headers: { authorization: `Bearer ${STAFF_TOKEN}` },
        },
      );
      reads.push(ms);
    }
    reads.sort((a, b) => a - b);
    row.statusP99 = at(reads, 0.99);

    const cpuBefore = await cpuSeconds(platform.child.pid);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    row.idleCpu = ((await cpuSeconds(platform.child.pid)) - cpuBefore) / 5;
    row.logLines = platform.logLines();
  } catch (error) {
    row.failed = error.message;
  } finally {
    // A graceful stop (its profile is written with --cpu-prof), then a hard one.
    await Promise.all(
      platforms.map(async ({ child }) => {
        child.kill('SIGTERM');
        const stopped = await Promise.race([
          new Promise((resolve) => child.once('exit', () => resolve(true))),
          new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
        ]);
        if (!stopped) child.kill('SIGKILL');
      }),
    );
  }
  return row;
}

const fmt = (value, digits = 0) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));
console.log(
  `platform benchmark: ${store} store, ${processes} ledger process${processes > 1 ? 'es (RSS, files and CPU of the first)' : ''}, serve --salons --key, bookings from 32 clients spread over all salons for ${seconds} s`,
);
console.log(
  '  salons   register   listening   first answer   RSS (MiB)   per salon   open files   first bookings/s, p99   spread over    bookings/s   p50 / p99 (ms)      status p99   idle CPU   log lines   after writes: RSS, files',
);
let anchor;
for (const n of sizes) {
  const row = await measure(n);
  anchor ??= row;
  const perSalon = n > 1 && row.rss !== undefined ? ((row.rss - anchor.rss) * 1024) / (n - 1) : undefined;
  const first = row.firstWrites
    ? `${fmt(row.firstWrites.perSecond).padStart(6)}, ${fmt(row.firstWrites.p99).padStart(5)} ms`
    : '           —';
  console.log(
    `  ${String(n).padStart(6)}   ${fmt(row.registration, 1).padStart(6)} ms   ${fmt(row.listening / 1000, 1).padStart(7)} s   ${fmt(row.startup / 1000, 1).padStart(10)} s   ${fmt(row.rss).padStart(9)}   ${perSalon === undefined ? '        —' : `${fmt(perSalon).padStart(5)} KiB`}   ${fmt(row.files).padStart(10)}   ${first.padStart(21)}   ${fmt(row.reached).padStart(7)} salons   ${fmt(row.writes?.perSecond).padStart(9)}   ${fmt(row.writes?.p50, 1).padStart(6)} / ${fmt(row.writes?.p99, 1).padStart(7)}   ${fmt(row.statusP99, 1).padStart(7)} ms   ${fmt(row.idleCpu * 100, 1).padStart(6)} %   ${fmt(row.logLines).padStart(9)}   ${fmt(row.rssAfter).padStart(8)} MiB, ${fmt(row.filesAfter)}${row.failed ? `   (${row.failed})` : ''}${row.writes?.failures || row.firstWrites?.failures ? `   (${(row.writes?.failures ?? 0) + (row.firstWrites?.failures ?? 0)} writes failed)` : ''}`,
  );
}
agent.destroy();
await stopPostgres();
