// Delivery benchmark: N consents from <marketing-consent> (the built bundle)
// in headless Chromium, through a fault layer that refuses a share of the
// connections and drops another share of the answers after the ledger stored
// the event, to the real ledger with durable writes. Prints delivered, lost,
// duplicated at the ledger, attempts, and the time from record() to receipt.
//
//   npm run bench:delivery -- [--n 500] [--fail-share 0.2] [--concurrency 10]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';
import { serveDist } from './serve-dist.mjs';
import { startFaultProxy } from '../test/support/fault-proxy.mjs';
import { startLedgerHarness } from '../test/support/ledger-harness.mjs';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '500' },
    'fail-share': { type: 'string', default: '0.2' },
    concurrency: { type: 'string', default: '10' },
  },
});
const n = Number(values.n);
const failShare = Number(values['fail-share']);
const concurrency = Number(values.concurrency);

// The page that hosts the element: served on localhost (a secure context).
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>delivery bench</title>
<script type="module" src="/dist/marketing-consent.bundle.js"></script></head><body></body></html>`;
const site = createServer(async (req, res) => {
  if (!(await serveDist(req, res))) res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise((resolve) => site.listen(0, 'localhost', resolve));
const origin = `http://localhost:${site.address().port}`;

const ledger = await startLedgerHarness({ allowedOrigins: [origin] });
const faults = await startFaultProxy(ledger.url);
// Half the failures before the ledger (refused connections), half after it
// stored the event (answer lost): the second kind is what makes duplicates
// at ledgers without idempotency.
faults.setRandom([
  { share: failShare / 2, fault: { kind: 'refuse' } },
  { share: failShare / 2, fault: { kind: 'drop-response' } },
]);

const browser = await launchChromium();
let results;
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (error) => console.error('page error:', error.message));
  await tab.goto(origin, { waitUntil: 'load' });
  await tab.waitForFunction(() => customElements.get('marketing-consent'));
  results = await tab.evaluate(
    async ({ n, concurrency, endpoint }) => {
      const texts = {
        en: { 'email-newsletter': 'Yes, send me the Salon Bella newsletter by e-mail.', notice: 'Withdraw any time.' },
      };
      // One customer: an element, a tick, record() until the receipt.
      const consentOnce = async (index) => {
        const element = document.createElement('marketing-consent');
        Object.assign(element, {
          endpoint,
          salon: 'Salon Bella',
          textVersion: 'bench-1',
          privacyUrl: '/privacy',
          locale: 'en',
          texts,
        });
        document.body.append(element);
        await element.updateComplete;
        element.shadowRoot.querySelector('input').click();
        const started = performance.now();
        const receipt = await element.record({ subject: { email: `bench-${index}@example.ch` } });
        const ms = performance.now() - started;
        element.remove();
        return { id: element.consentId, ok: Boolean(receipt), ms };
      };
      const results = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) results.push(await consentOnce(next++));
        }),
      );
      return results;
    },
    { n, concurrency, endpoint: `${faults.url}/v1/consent-events` },
  );
} finally {
  await browser.close();
}

const entries = await ledger.store().entries();
const storedIds = entries.map((entry) => entry.event.id);
const distinct = new Set(storedIds);
const wanted = new Set(results.map((result) => result.id));
const delivered = [...wanted].filter((id) => distinct.has(id)).length;
const posts = faults.log().filter((entry) => entry.method === 'POST');
const refused = posts.filter((entry) => entry.fault === 'refuse').length;
const dropped = posts.filter((entry) => entry.fault === 'drop-response').length;
const times = results.map((result) => result.ms).sort((a, b) => a - b);
const quantile = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];

console.log(
  `delivery benchmark: ${n} consents, ${concurrency} at a time, ${Math.round(failShare * 100)} % of posts failed on purpose`,
);
console.log(
  `  posts seen by the fault layer: ${posts.length} (${refused} refused, ${dropped} answers dropped after storing)`,
);
console.log(`  delivered:  ${delivered} / ${n}`);
console.log(`  lost:       ${n - delivered}`);
console.log(
  `  duplicated: ${storedIds.length - distinct.size} (ledger entries ${storedIds.length}, distinct ids ${distinct.size})`,
);
console.log(
  `  record() → receipt: median ${quantile(0.5).toFixed(0)} ms, p95 ${quantile(0.95).toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms`,
);

await faults.close();
await ledger.stop();
site.close();
process.exitCode = n - delivered === 0 && storedIds.length === distinct.size ? 0 : 1;
