// Two real tabs of one browser record a consent at the same millisecond
// while the ledger is unreachable; afterwards both events must be waiting in
// the outbox. Runs the trials in Chromium, Firefox and WebKit, each tab a
// top-level page of its own (not an iframe: same-origin frames share one
// event loop and cannot race). Beside the outbox it runs the design it
// replaced, one shared localStorage key with load/modify/save, in the same
// tabs: the control shows the trials really do race in that engine.
//   node scripts/check-two-tabs.mjs [trials]      (BROWSERS=chromium,firefox,webkit)
// Exits non-zero when the outbox loses a single event.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { openBrowser, underDisplay, wantedEngines } from './browsers.mjs';

const trials = Number(process.argv[2] ?? 100);
const browsers = wantedEngines();

// The tab: the real outbox from dist/, and the old single-key design as the control.
const TAB_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tab</title>
<script type="module">
import { ConsentOutbox } from '/dist/delivery/consent-outbox.js';
const LEGACY_KEY = 'check-two-tabs:one-shared-key';
// Sleep until just before the agreed moment, then spin to hit it exactly.
// Close to it, spin at once: a background tab's timers may be throttled.
const at = (time, act) => {
  const spin = () => { while (Date.now() < time); act(); };
  if (time - Date.now() < 40) spin();
  else setTimeout(spin, time - Date.now() - 30);
};
window.__outbox = (time, endpoint, id) => at(time, () => {
  void ConsentOutbox.for(endpoint).deliver({ id, subject: { email: id + '@example.ch' }, purposes: [] });
  window.__fired = { id, at: Date.now() };
});
window.__legacy = (time, id) => at(time, () => {
  const items = JSON.parse(localStorage.getItem(LEGACY_KEY) ?? '[]');
  items.push(id);
  localStorage.setItem(LEGACY_KEY, JSON.stringify(items));
  window.__fired = { id, at: Date.now() };
});
window.__stored = () => Object.keys(localStorage).filter((key) => key.startsWith('marketing-consent:outbox:'))
  .map((key) => JSON.parse(localStorage.getItem(key)).event.id)
  .concat(JSON.parse(localStorage.getItem(LEGACY_KEY) ?? '[]'));
window.__clear = () => localStorage.clear();
window.__ready = true;
</script></head><body>tab</body></html>`;

async function serve() {
  const root = process.cwd();
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    if (path === '/tab.html') return response.writeHead(200, { 'content-type': 'text/html' }).end(TAB_PAGE);
    const file = normalize(join(root, path));
    if (!path.startsWith('/dist/') || !file.startsWith(join(root, 'dist'))) return response.writeHead(404).end();
    try {
      const type = extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream';
      response.writeHead(200, { 'content-type': type }).end(await readFile(file));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Two tabs of one browser on the tab page, ready. */
async function twoTabs(name, url) {
  const browser = await openBrowser(name);
  const tabs = [await browser.newTab(), await browser.newTab()];
  for (const tab of tabs) {
    await tab.goto(url);
    while (!(await tab.run(() => window.__ready === true))) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // WebDriver switches windows between commands: schedule further ahead there.
  return { tabs, lead: name === 'webkit' ? 300 : 20, close: () => browser.close() };
}

/** Runs `trials` two-tab races of one design; returns how many events went missing. */
async function race({ tabs, lead }, design) {
  let lost = 0;
  const spread = [];
  for (let trial = 0; trial < trials; trial += 1) {
    await tabs[0].run(() => window.__clear());
    await Promise.all(tabs.map((tab) => tab.run(() => (window.__fired = null))));
    const ids = [`a${trial}-${Date.now()}`, `b${trial}-${Date.now()}`];
    // Port 9 is refused at once: every send fails and both events must wait in the outbox.
    const endpoint = `http://127.0.0.1:9/v1/consent-events?trial=${trial}`;
    const time = Date.now() + lead;
    await Promise.all(
      tabs.map((tab, i) =>
        design === 'outbox'
          ? tab.run((t, e, id) => window.__outbox(t, e, id), time, endpoint, ids[i])
          : tab.run((t, id) => window.__legacy(t, id), time, ids[i]),
      ),
    );
    // Wait until both tabs have written (a background tab may be late), then let storage settle.
    const fired = [];
    for (const [i, tab] of tabs.entries()) {
      for (let polls = 0; ; polls += 1) {
        const done = await tab.run(() => window.__fired ?? null);
        if (done?.id === ids[i]) {
          fired.push(done.at);
          break;
        }
        if (polls > 200) throw new Error(`${design}: tab ${i} never recorded trial ${trial}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    spread.push(Math.abs(fired[0] - fired[1]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Each tab's writes reach the other asynchronously: look from both sides.
    const stored = new Set([
      ...(await tabs[0].run(() => window.__stored())),
      ...(await tabs[1].run(() => window.__stored())),
    ]);
    lost += ids.filter((id) => !stored.has(id)).length;
  }
  await tabs[0].run(() => window.__clear());
  spread.sort((a, b) => a - b);
  return { lost, simultaneous: spread.filter((ms) => ms <= 1).length, median: spread[spread.length >> 1] };
}

async function main() {
  const { server, origin } = await serve();
  let failed = false;
  try {
    for (const name of browsers) {
      const browser = await twoTabs(name, `${origin}/tab.html`);
      try {
        const control = await race(browser, 'legacy');
        const outbox = await race(browser, 'outbox');
        failed ||= outbox.lost > 0;
        console.log(
          `${name.padEnd(8)} ${trials} two-tab trials: outbox lost ${outbox.lost} of ${2 * trials} events` +
            ` (${outbox.simultaneous} trials written within 1 ms of each other, median ${outbox.median} ms apart)` +
            ` | control, one shared key: lost ${control.lost} (${control.simultaneous} within 1 ms)`,
        );
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
  }
  console.log(failed ? 'two-tab check FAILED: the outbox lost events' : 'two-tab check passed');
  process.exitCode = failed ? 1 : 0;
}

if (!underDisplay(browsers)) await main();
