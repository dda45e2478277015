// Start-up benchmark: time from the page's first script to painted boxes, for
// <marketing-consent> (the script-tag bundle as built) and its peer
// <md-checkbox> (Material Web, with Lit, bundled the same way: rollup and
// terser), each with 1 and with 100 instances. Both are served by the same
// server and loaded into the same kind of fresh page, interleaved (the order
// alternates every round), in Debian's Chromium. Prints the medians, the
// spread and ours ÷ peer.
//
//   npm run bench:startup [-- --rounds 21] [--instances 1,100] [--cpu-slowdown 4]
//
// --cpu-slowdown runs the page on a CPU that many times slower (DevTools'
// throttling), like a mid-range phone.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minify } from '../rollup.config.mjs';
import { launchChromium } from './chromium.mjs';
import { serveDist } from './serve-dist.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '21' },
    instances: { type: 'string', default: '1,100' },
    'cpu-slowdown': { type: 'string', default: '1' },
  },
});
const rounds = Number(values.rounds);
const counts = values.instances.split(',').map(Number);
const cpuSlowdown = Number(values['cpu-slowdown']);

// The peer, built as our bundle is built (rollup.config.mjs).
const peerEntry = 'virtual:md-checkbox';
const peerBuild = await rollup({
  input: peerEntry,
  onwarn: () => undefined,
  plugins: [
    {
      name: 'peer',
      resolveId: (id) => (id === peerEntry ? id : null),
      load: (id) => (id === peerEntry ? "import '@material/web/checkbox/checkbox.js';" : null),
    },
    nodeResolve({ browser: true }),
    minify(),
  ],
});
const { output } = await peerBuild.generate({ format: 'es', inlineDynamicImports: true });
const peerCode = output[0].code;

const TEXT = {
  heading: 'Neuigkeiten von Salon Bella (freiwillig)',
  label: 'Newsletter per E-Mail',
  purpose:
    'Ja, ich möchte den Newsletter von Salon Bella (Bahnhofstrasse 1, 8001 Zürich) mit Angeboten und Neuigkeiten per E-Mail erhalten, höchstens zweimal im Monat.',
  notice: 'Freiwillig und jederzeit widerrufbar über den Abmeldelink in jeder Nachricht.',
};

// The same words on both pages: ours renders them from its settings, the peer's page writes them around the box.
const PAGES = {
  ours: {
    script: '/dist/marketing-consent.bundle.js',
    tag: 'marketing-consent',
    instance: (i) => `<form><marketing-consent salon="Salon Bella" text-version="2026-11-01" privacy-url="/datenschutz"
  endpoint="https://consent.salon-bella.example/v1/consent-events" name="consent-${i}">
  <template data-text="email-newsletter">${TEXT.purpose}</template>
  <template data-text="notice">${TEXT.notice}</template></marketing-consent></form>`,
  },
  peer: {
    script: '/peer/md-checkbox.js',
    tag: 'md-checkbox',
    instance: (i) => `<form><fieldset><legend>${TEXT.heading}</legend>
  <label><md-checkbox touch-target="wrapper" name="consent-${i}"></md-checkbox> ${TEXT.label}</label>
  <p>${TEXT.purpose}</p><p>${TEXT.notice} <a href="/datenschutz">Datenschutzerklärung</a></p></fieldset></form>`,
  },
};

/**
 * The page: notes the time before the element's script, then, once every
 * instance has rendered its checkbox, the first moment after the next paint.
 */
function page(kind, count) {
  const { script, tag, instance } = PAGES[kind];
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${kind}</title>
<script>
  window.startedAt = performance.now();
  window.painted = new Promise((resolve, reject) => {
    window.paintedNow = () => resolve(performance.now() - window.startedAt);
    addEventListener('error', (event) => reject(new Error(event.message)));
  });
</script>
<script type="module" src="${script}"></script>
<script type="module">
  await customElements.whenDefined('${tag}');
  const elements = [...document.querySelectorAll('${tag}')];
  await Promise.all(elements.map((element) => element.updateComplete));
  if (!elements.every((element) => element.shadowRoot.querySelector('input[type=checkbox]'))) throw new Error('no box');
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = window.paintedNow;
    channel.port2.postMessage(0);
  });
</script></head><body>${Array.from({ length: count }, (_, i) => instance(i)).join('\n')}</body></html>`;
}

const site = createServer(async (request, response) => {
  if (await serveDist(request, response)) return;
  const url = new URL(request.url, 'http://x');
  if (url.pathname === '/peer/md-checkbox.js') {
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(peerCode);
  } else if (url.pathname === '/page') {
    const html = page(url.searchParams.get('kind'), Number(url.searchParams.get('count')));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  } else response.writeHead(204).end();
});
await new Promise((resolve) => site.listen(0, 'localhost', resolve));
const origin = `http://localhost:${site.address().port}`;

const browser = await launchChromium();
/** One load in a fresh context (no cache, no module map): milliseconds to painted boxes. */
async function measure(kind, count) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    if (cpuSlowdown > 1)
      await (await tab.createCDPSession()).send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    await tab.goto(`${origin}/page?kind=${kind}&count=${count}`);
    return await tab.evaluate(() => window.painted);
  } finally {
    await context.close();
  }
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const quartiles = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]];
};

const results = new Map();
try {
  for (const count of counts) for (const kind of Object.keys(PAGES)) await measure(kind, count); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    for (const count of counts) {
      const order = round % 2 ? ['ours', 'peer'] : ['peer', 'ours'];
      for (const kind of order) {
        const key = `${kind} ${count}`;
        results.set(key, [...(results.get(key) ?? []), await measure(kind, count)]);
      }
    }
  }
} finally {
  await browser.close();
  site.close();
}

const { readFile } = await import('node:fs/promises');
const ours = await readFile(new URL('../dist/marketing-consent.bundle.js', import.meta.url));
console.log(
  `script-tag JavaScript before the boxes, gzip: <marketing-consent> ${gzipSync(ours, { level: 9 }).length.toLocaleString('en')} B, <md-checkbox> + Lit ${gzipSync(peerCode, { level: 9 }).length.toLocaleString('en')} B`,
);
console.log(
  `time from first script to painted boxes, ms (median and quartiles of ${rounds} interleaved loads each, Chromium${cpuSlowdown > 1 ? `, CPU ${cpuSlowdown}× slower` : ''}):`,
);
console.log('instances  <marketing-consent>      <md-checkbox>            ours ÷ peer');
for (const count of counts) {
  const row = ['ours', 'peer'].map((kind) => {
    const list = results.get(`${kind} ${count}`);
    const [q1, q3] = quartiles(list);
    return { median: median(list), text: `${median(list).toFixed(1)} (${q1.toFixed(1)}–${q3.toFixed(1)})` };
  });
  console.log(
    `${String(count).padStart(9)}  ${row[0].text.padEnd(23)}  ${row[1].text.padEnd(23)}  ${(row[0].median / row[1].median).toFixed(2)}×`,
  );
}
