// A React 19 + TypeScript page and a Vue 3 page, built with Vite the way a
// salon's developers build theirs, record a consent to a real ledger in
// Chromium: the plain element with attributes and <template> children, the
// marketing-consent/react wrapper with array and object props, and Vue's
// template with a :texts property. The React page is type-checked against
// the shipped JSX types first. Run after a build (npm test does).
//   node scripts/check-frameworks.mjs
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import react from '@vitejs/plugin-react';
import vue from '@vitejs/plugin-vue';
import { build } from 'vite';
import { createLedgerApp, JsonlLedgerStore, startLedgerServer } from '../dist/server/index.js';
import { launchChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const problems = [];

// The React page and the Vue types use must compile against the shipped types
// (dist/jsx.d.ts, dist/react.d.ts, dist/vue.d.ts).
for (const app of ['react', 'vue']) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', `test/frameworks/${app}`], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (error) {
    problems.push(`the ${app} types do not check:\n${error.stdout}`);
  }
}

// The package as a consumer imports it: its own dist/, through its exports' names.
const alias = [
  { find: /^marketing-consent$/, replacement: join(root, 'dist/index.js') },
  { find: /^marketing-consent\/react$/, replacement: join(root, 'dist/react.js') },
];
const out = await mkdtemp(join(tmpdir(), 'frameworks-'));
const apps = {
  react: { plugins: [react()] },
  // Vue must leave the elements to the browser instead of resolving them as Vue components.
  vue: {
    plugins: [
      vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('marketing-consent') } } }),
    ],
  },
};
for (const [name, config] of Object.entries(apps)) {
  await build({
    root: join(root, 'test/frameworks', name),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias },
    build: { outDir: join(out, name), emptyOutDir: true },
    ...config,
  });
}

const site = createServer(async (request, response) => {
  if (request.url === '/favicon.ico') return response.writeHead(204).end();
  const file = normalize(join(out, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
  if (!file.startsWith(out)) return response.writeHead(404).end();
  const body = await readFile(file).catch(() => undefined);
  if (!body) return response.writeHead(404).end();
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${site.address().port}`;

const staffToken = crypto.randomUUID();
const store = await JsonlLedgerStore.open(await mkdtemp(join(tmpdir(), 'frameworks-ledger-')));
const ledgerApp = createLedgerApp({
  store,
  allowedOrigins: [origin],
  staffToken,
  rateLimit: false,
  confirmation: { 'email-newsletter': 'none' },
});
const ledger = await startLedgerServer(ledgerApp);

async function recorded(id) {
  const response = await fetch(`${ledger.url}/v1/staff/entries`, {
    headers: { authorization: `Bearer ${staffToken}` },
  });
  return (await response.json()).entries.find((entry) => entry.event.id === id)?.event;
}

const browser = await launchChromium();
try {
  const cases = [
    {
      app: 'react',
      form: '#plain',
      boxes: 2,
      text: 'Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.',
    },
    {
      app: 'react',
      form: '#wrapped',
      boxes: 1,
      text: 'Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.',
    },
    { app: 'vue', form: '#vue', boxes: 2, text: 'Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.' },
  ];
  for (const { app, form, boxes, text } of cases) {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    const label = `${app} ${form}`;
    try {
      await page.goto(`${origin}/${app}/index.html?ledger=${encodeURIComponent(ledger.url)}`, { waitUntil: 'load' });
      await page.waitForSelector(`${form} marketing-consent >>> #box-email-newsletter`, { timeout: 10_000 });
      const shown = await page.$$eval(`${form} marketing-consent >>> input[type=checkbox]`, (inputs) => inputs.length);
      if (shown !== boxes) problems.push(`${label}: ${shown} boxes, expected ${boxes}`);
      const email = `${app}-${form.slice(1)}-${Date.now()}@example.ch`;
      await page.type(`${form} input[name=email]`, email);
      await page.click(`${form} marketing-consent >>> #box-email-newsletter`);
      await page.click(`${form} button[type=submit]`);
      await page.waitForFunction((f) => document.querySelector(`${f} output`)?.textContent, { timeout: 10_000 }, form);
      const id = await page.$eval(`${form} output`, (output) => output.textContent);
      const event = await recorded(id);
      if (!event) problems.push(`${label}: receipt ${id} but no such record in the ledger`);
      else {
        if (event.subject.email !== email) problems.push(`${label}: recorded for ${event.subject.email}, not ${email}`);
        if (JSON.stringify(event.purposes) !== JSON.stringify([{ purpose: 'email-newsletter', granted: true }]))
          problems.push(`${label}: recorded ${JSON.stringify(event.purposes)}`);
        if (!event.notice.text.includes(text)) problems.push(`${label}: the record lacks the text shown`);
      }
      for (const error of errors) problems.push(`${label}: console error: ${error}`);
      console.log(`${label.padEnd(15)} ${shown} boxes, consent recorded as ${id}`);
    } catch (error) {
      problems.push(`${label}: ${error.message}`);
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
  await ledgerApp.close();
  await ledger.close();
  await store.close();
  site.close();
}
for (const problem of problems) console.error(`  ✗ ${problem}`);
console.log(problems.length ? `framework check FAILED: ${problems.length} problem(s)` : 'framework check passed');
process.exitCode = problems.length ? 1 : 0;
