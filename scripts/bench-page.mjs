// What <marketing-consent> costs a booking page, as Lighthouse 12 scores it: the demo booking page against the
// same page with a plain <input type="checkbox"> and <label> in its place (no script of ours), in turns, under
// the same conditions, and the back office against its goal (performance ≥ 90). Prints the medians of each
// page and the differences: performance score, TBT, CLS, FCP, LCP, main-thread work (ms), JavaScript transferred.
//
//   npm run bench:page -- [--pairs 5] [--form-factor mobile|desktop|both]
//
// Lighthouse's default throttling (simulated, mobile: a mid-range phone on slow 4G); Debian's Chromium,
// headless. The plain page is the demo's own HTML with the element replaced, served through a proxy to the
// demo, so both pages load the same styles, fonts and page script.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { startDemo } from './demo-process.mjs';
import { freePort } from './free-port.mjs';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '5' },
    'form-factor': { type: 'string', default: 'both' },
  },
});
const pairs = Number(values.pairs);
const formFactors = values['form-factor'] === 'both' ? ['mobile', 'desktop'] : [values['form-factor']];
if (!(pairs >= 1) || !formFactors.every((factor) => ['mobile', 'desktop'].includes(factor))) {
  console.error('--pairs must be a number from 1, --form-factor mobile, desktop or both');
  process.exit(2);
}

/** The booking page with a plain checkbox where the element is, and without the element's script. */
function plainPage(html) {
  const start = html.indexOf('<marketing-consent');
  const end = html.indexOf('</marketing-consent>') + '</marketing-consent>'.length;
  if (start < 0 || end < start) throw new Error('the demo page has no <marketing-consent> element to replace');
  const plain = `<fieldset class="plain-consent">
          <legend>Neuigkeiten von Salon Bella (freiwillig)</legend>
          <label><input type="checkbox" name="marketing-consent" value="email-newsletter" />
            Ja, ich möchte den Newsletter von Salon Bella mit Angeboten und Neuigkeiten per E-Mail erhalten.</label>
          <label><input type="checkbox" name="marketing-consent" value="sms-newsletter" />
            Ja, ich möchte Angebote und Neuigkeiten von Salon Bella per SMS erhalten.</label>
          <p>Ihre Einwilligung ist freiwillig. Widerruf jederzeit über den Abmeldelink.
            <a href="/datenschutz">Datenschutzerklärung</a></p>
        </fieldset>`;
  return (html.slice(0, start) + plain + html.slice(end)).replace(
    /\s*<script type="module" src="\/dist\/marketing-consent[^"]*"><\/script>/,
    '',
  );
}

/**
 * A proxy to the demo that answers / with the plain page. Everything else passes through as the demo sent
 * it, compressed or not; the plain page is gzipped as the demo gzips its pages, so both pages' bytes compare.
 */
async function startPlainPage(demoBase) {
  const port = await freePort();
  const server = http.createServer((request, response) => {
    const isPage = request.url === '/';
    const upstream = http.request(
      `${demoBase}${request.url}`,
      {
        method: request.method,
        headers: {
          ...request.headers,
          host: new URL(demoBase).host,
          ...(isPage ? { 'accept-encoding': 'identity' } : {}),
        },
      },
      async (answer) => {
        if (!isPage) {
          response.writeHead(answer.statusCode, answer.headers);
          answer.pipe(response);
          return;
        }
        const chunks = [];
        for await (const chunk of answer) chunks.push(chunk);
        const gzipped = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
        const page = Buffer.from(plainPage(Buffer.concat(chunks).toString('utf8')));
        const headers = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        if (gzipped) headers['content-encoding'] = 'gzip';
        response.writeHead(answer.statusCode, headers);
        response.end(gzipped ? gzipSync(page) : page);
      },
    );
    upstream.on('error', (error) => response.destroy(error));
    request.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function measure(chrome, url, formFactor) {
  const { lhr } = await lighthouse(
    url,
    { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] },
    formFactor === 'desktop' ? desktopConfig : undefined,
  );
  const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
  const scripts = lhr.audits['resource-summary']?.details?.items?.find((item) => item.resourceType === 'script');
  return {
    score: Math.round((lhr.categories.performance.score ?? NaN) * 100),
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    fcp: audit('first-contentful-paint'),
    lcp: audit('largest-contentful-paint'),
    mainThread: audit('mainthread-work-breakdown'),
    js: (scripts?.transferSize ?? 0) / 1024,
  };
}

const demo = await startDemo();
const plain = await startPlainPage(demo.base);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const fields = [
  ['score', 'performance', (v) => v.toFixed(0)],
  ['tbt', 'TBT (ms)', (v) => v.toFixed(0)],
  ['cls', 'CLS', (v) => v.toFixed(3)],
  ['fcp', 'FCP (ms)', (v) => v.toFixed(0)],
  ['lcp', 'LCP (ms)', (v) => v.toFixed(0)],
  ['mainThread', 'main thread', (v) => v.toFixed(0)],
  ['js', 'JS (KiB)', (v) => v.toFixed(1)],
];
const row = (label, runs) =>
  `  ${label.padEnd(26)}${fields.map(([key, , format]) => format(median(runs.map((run) => run[key]))).padStart(13)).join('')}`;
try {
  for (const formFactor of formFactors) {
    const booking = [];
    const withCheckbox = [];
    const backOffice = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      // In turns, so a busy moment of the machine falls on both pages alike.
      booking.push(await measure(chrome, `${demo.base}/`, formFactor));
      withCheckbox.push(await measure(chrome, `${plain.base}/`, formFactor));
      backOffice.push(await measure(chrome, `${demo.base}/back-office`, formFactor));
    }
    console.log(`\nLighthouse ${formFactor}, median of ${pairs} runs each (booking page and plain checkbox in turns)`);
    console.log(`  ${''.padEnd(26)}${fields.map(([, label]) => label.padStart(13)).join('')}`);
    console.log(row('demo booking page', booking));
    console.log(row('same form, plain checkbox', withCheckbox));
    console.log(
      `  ${'difference'.padEnd(26)}${fields
        .map(([key, , format]) =>
          format(median(booking.map((r) => r[key])) - median(withCheckbox.map((r) => r[key]))).padStart(13),
        )
        .join('')}`,
    );
    console.log(row('back office', backOffice));
    const score = (runs) => median(runs.map((run) => run.score));
    const goals = [
      [`booking page performance ≥ plain − 2`, score(booking) >= score(withCheckbox) - 2],
      [`TBT ≤ plain + 50 ms`, median(booking.map((r) => r.tbt)) <= median(withCheckbox.map((r) => r.tbt)) + 50],
      [`CLS 0 (every run)`, booking.every((run) => run.cls === 0)],
      [`back office performance ≥ 90`, score(backOffice) >= 90],
    ];
    console.log(`  goals: ${goals.map(([goal, met]) => `${goal}: ${met ? 'met' : 'NOT met'}`).join('; ')}`);
  }
} finally {
  await chrome.kill();
  await plain.close();
  await demo.stop();
}
