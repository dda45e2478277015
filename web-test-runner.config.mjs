// Runs the browser tests in Chromium, Firefox and WebKit (Safari's engine),
// all from Debian's packages, against a real consent ledger on loopback.
// Pick engines with BROWSERS=chromium,firefox,webkit (default: all three).
// scripts/run-browser-tests.mjs starts WebKitWebDriver and Xvfb for WebKit.
import { randomBytes } from 'node:crypto';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';
import { freePort } from './scripts/free-port.mjs';
import { startFaultProxy } from './test/support/fault-proxy.mjs';
import { startLedgerHarness } from './test/support/ledger-harness.mjs';
import { startSmsc } from './scripts/smsc.mjs';
import { startMailbox } from './scripts/mailbox.mjs';
import { readFile } from 'node:fs/promises';
import { declareShadowRoots, MARKETING_CONSENT_STYLE_HASH } from './dist/ssr.js';

// scripts/run-browser-tests.mjs passes free ports; run directly, the config finds its own.
const PORT = Number(process.env.WTR_PORT ?? (await freePort()));
const TEST_ORIGIN = `http://localhost:${PORT}`;
const WEBKIT_DRIVER_PORT = Number(process.env.WEBKIT_DRIVER_PORT);

// The real ledger the element posts to, on its own port: a cross-origin
// endpoint, as on a salon's site. Fresh data folder per run. The element
// posts through the fault layer; tests read the ledger directly.
const staffToken = randomBytes(24).toString('base64url');
const ledger = await startLedgerHarness({ allowedOrigins: [TEST_ORIGIN], staffOrigins: [TEST_ORIGIN], staffToken });
const faults = await startFaultProxy(ledger.url);
// A second ledger with double opt-in for the e-mail newsletter, mailing to a real SMTP server, and for the SMS
// newsletter, over a real SMSC.
const mailbox = await startMailbox();
const smsc = await startSmsc();
const SALON_SMS_NUMBER = '+41445550101';
const doubleOptInLedger = await startLedgerHarness({
  allowedOrigins: [TEST_ORIGIN],
  staffOrigins: [TEST_ORIGIN],
  staffToken,
  confirmation: {},
  linkSecret: randomBytes(32).toString('base64url'),
  mail: { smtp: mailbox.url, from: 'Salon Bella <hallo@salon-bella.example>' },
  sms: { smppUrl: smsc.url, from: SALON_SMS_NUMBER },
  controller: { name: 'Salon Bella', address: 'Bahnhofstrasse 1, 8001 Zürich', jurisdiction: 'CH', locale: 'de' },
});
const ledgerInfo = JSON.stringify({
  url: ledger.url(),
  proxyUrl: faults.url,
  doubleOptInUrl: doubleOptInLedger.url(),
  staffToken,
});

/** Server commands the delivery tests use to break things on purpose. */
const faultCommands = {
  'fault-queue': (payload) => faults.queue(payload),
  'fault-mode': (payload) => faults.setMode(payload),
  'fault-log': () => faults.log(),
  'fault-reset': () => faults.reset(),
  'ledger-stop': () => ledger.stop(),
  'ledger-start': () => ledger.start(),
  /** The confirmation mails the double opt-in ledger sent to an address. */
  'mails-to': ({ address }) => mailbox.mailsTo(address),
  /** The SMS the double opt-in ledger sent to a number. */
  'sms-to': ({ number }) => smsc.messagesTo(number),
  /** A customer's phone replies to the salon's number; resolves once the ledger answered (0: recorded). */
  'sms-reply': ({ from, text }) => smsc.deliver(from, SALON_SMS_NUMBER, text),
};

// The strict policy the issue asks every salon page to be able to use.
const STRICT_CSP =
  "default-src 'self'; connect-src 'self' http://127.0.0.1:* ; img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'";

/** Per self-hosted page id, the bundle's path under it (see the selfHosted middleware). */
const selfHostedBundles = new Map();

const launchers = {
  chromium: () =>
    chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } }),
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true },
    }),
  webkit: () =>
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: '127.0.0.1',
      port: WEBKIT_DRIVER_PORT,
      path: '/',
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          args: ['--automation'],
        },
        'wdio:enforceWebDriverClassic': true,
      },
    }),
};

const wanted = (process.env.BROWSERS ?? 'chromium,firefox,webkit').split(',').map((name) => name.trim());
if (wanted.includes('webkit') && !WEBKIT_DRIVER_PORT) {
  throw new Error(
    'WebKit needs WebKitWebDriver and a display: run the browser tests with node scripts/run-browser-tests.mjs',
  );
}
for (const name of wanted) {
  if (!(name in launchers)) throw new Error(`BROWSERS names "${name}"; use chromium, firefox and/or webkit`);
}

export default {
  // test/server and test/legal-text hold node:test suites (npm run test:server).
  files: ['test/**/*.test.ts', '!test/server/**', '!test/legal-text/**', '!test/page-markup/**'],
  nodeResolve: true,
  port: PORT,
  hostname: 'localhost',
  concurrency: 1,
  concurrentBrowsers: 1,
  browsers: wanted.map((name) => launchers[name]()),
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 20 * 60 * 1000,
  browserStartTimeout: 120000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    {
      name: 'fault-commands',
      async executeCommand({ command, payload }) {
        if (!(command in faultCommands)) return undefined;
        return (await faultCommands[command](payload)) ?? true;
      },
    },
    {
      name: 'ledger-info',
      serve(context) {
        if (context.path === '/__ledger.json') return { body: ledgerInfo, type: 'json' };
      },
    },
  ],
  middleware: [
    // The bundle as a salon's site serves it, and nothing else: /self-hosted/<id>/<chunks>/<path> is
    // dist/marketing-consent.bundle.js under that path (any folder, any name); <path>'s folder /chunks/<file>
    // is dist/chunks/<file>, arriving <chunks> ms later (a slow connection), or "missing" (404: not copied,
    // blocked). Any other file there is a 404, as on the salon's site. A fresh <id> per page: no cache hides a
    // delay.
    async function selfHosted(context, next) {
      const hosted = /^\/self-hosted\/([\w-]+)\/(\d+|missing)\/(.*)$/.exec(context.path);
      if (!hosted) return next();
      const [, id, chunks, path] = hosted;
      const bundle = selfHostedBundles.get(id);
      if (!bundle) selfHostedBundles.set(id, path);
      const chunk = /^(.*\/)?chunks\/([^/]+)$/.exec(path);
      const folder = (bundle ?? path).replace(/[^/]*$/, '');
      if (chunk && (chunk[1] ?? '') === folder && chunks !== 'missing') {
        await new Promise((resolve) => setTimeout(resolve, Number(chunks)));
        context.url = `/dist/chunks/${chunk[2]}`;
        return next();
      }
      // The first file asked for under an <id> is the bundle (the page imports it first).
      if (!chunk && (bundle ?? path) === path) {
        context.url = '/dist/marketing-consent.bundle.js';
        return next();
      }
      context.status = 404;
    },
    // /delayed/<ms>/<id>/<path> is <path>, <ms> later: a script that arrives after the first paint, as on a
    // slow connection (a fresh <id> per page: no cache hides the delay).
    async function delayed(context, next) {
      const wait = /^\/delayed\/(\d+)\/[\w-]+(\/.*)$/.exec(context.path);
      if (!wait) return next();
      await new Promise((resolve) => setTimeout(resolve, Number(wait[1])));
      context.url = wait[2];
      return next();
    },
    // The README's page for the layout tests: ?delay=<ms> makes its bundle arrive late, ?rendered=1 has
    // the element rendered on the server (its shadow root declared), as marketing-consent/ssr does it.
    async function layoutPage(context, next) {
      if (context.path !== '/test/fixtures/layout-page.html') return next();
      let page = await readFile(new URL('./test/fixtures/layout-page.html', import.meta.url), 'utf8');
      const delay = Number(context.query.delay ?? 0);
      page = page.replace('/dist/', `/delayed/${delay}/${randomBytes(6).toString('hex')}/dist/`);
      if (context.query.rendered) page = declareShadowRoots(page);
      context.body = page;
      context.type = 'html';
      context.set('Content-Security-Policy', `${STRICT_CSP}; style-src 'self' ${MARKETING_CONSENT_STYLE_HASH}`);
    },
    // Fixture pages that must run under the strict policy get it as a header.
    async function strictCsp(context, next) {
      await next();
      if (context.path.startsWith('/test/fixtures/') && context.path.endsWith('.html')) {
        context.set('Content-Security-Policy', STRICT_CSP);
      }
    },
  ],
};
