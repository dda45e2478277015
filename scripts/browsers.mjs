// The three engines of the suite, driven from a script with one small
// interface: Chromium over the DevTools protocol and Firefox over WebDriver
// BiDi (both puppeteer-core), WebKitGTK's MiniBrowser over classic WebDriver
// (WebKitWebDriver). Clicks are real input events (trusted), as a customer's.
// WebKit needs an X display: call underDisplay() first.
import { spawn } from 'node:child_process';
import { puppeteerCore } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { freePort } from './free-port.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engines named in BROWSERS (default: all three). */
export function wantedEngines() {
  const names = (process.env.BROWSERS ?? ENGINES.join(',')).split(',').map((name) => name.trim());
  for (const name of names) if (!ENGINES.includes(name)) throw new Error(`BROWSERS names "${name}"; use ${ENGINES}`);
  return names;
}

/**
 * MiniBrowser has no headless mode: re-runs this script under xvfb-run when
 * WebKit is wanted and there is no display. Returns true when it did (the
 * caller then does nothing more).
 */
export function underDisplay(engines) {
  if (!engines.includes('webkit') || process.env.DISPLAY) return false;
  const child = spawn('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
  return true;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A browser of one engine; `newTab()` opens a page (a tab, or a window in WebKit). */
export async function openBrowser(name) {
  return name === 'webkit' ? webdriverBrowser() : puppeteerBrowser(name);
}

async function puppeteerBrowser(name) {
  const browser = await puppeteerCore.launch(
    name === 'chromium'
      ? { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }
      : {
          browser: 'firefox',
          executablePath: '/usr/bin/firefox-esr',
          headless: true,
          // Background tabs keep full-speed timers.
          extraPrefsFirefox: {
            'dom.min_background_timeout_value': 0,
            'dom.timeout.enable_budget_timer_throttling': false,
          },
        },
  );
  return {
    name,
    async newTab() {
      const page = await browser.newPage();
      return {
        goto: (url) => page.goto(url, { waitUntil: 'load' }),
        run: (fn, ...args) => page.evaluate(fn, ...args),
        /** Clicks and, when `navigates`, waits for the next page to load. */
        async click(selector, { navigates = false } = {}) {
          const target = selector.shadow ? `${selector.host} >>> ${selector.shadow}` : selector;
          if (!navigates) return page.click(target);
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(target)]);
        },
      };
    },
    close: () => browser.close(),
  };
}

async function webdriverBrowser() {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  for (let tries = 0; ; tries += 1) {
    try {
      await call('GET', '/status');
      break;
    } catch (error) {
      if (tries > 75) throw error;
      await sleep(200);
    }
  }
  const { sessionId } = await call('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          args: ['--automation'],
        },
      },
    },
  });
  const session = `/session/${sessionId}`;
  let firstTabUsed = false;
  // One session drives every window: commands go one at a time.
  let current;
  let queue = Promise.resolve();
  const inWindow = (handle, command) => {
    const result = queue.then(async () => {
      if (current !== handle) await call('POST', `${session}/window`, { handle });
      current = handle;
      return command();
    });
    queue = result.catch(() => {});
    return result;
  };
  const script = (fn, args) =>
    call('POST', `${session}/execute/sync`, { script: `return (${fn})(...arguments)`, args });
  const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
  return {
    name: 'webkit',
    async newTab() {
      const handle = firstTabUsed
        ? (await inWindow(current, () => call('POST', `${session}/window/new`, { type: 'window' }))).handle
        : await call('GET', `${session}/window`);
      firstTabUsed = true;
      // A page that navigated has lost the marker the old page carried.
      const waitForLoad = async () => {
        for (let i = 0; i < 200; i += 1) {
          const [marked, state] = await script(() => [Boolean(window.__oldPage), document.readyState], []);
          if (!marked && state === 'complete') return;
          await sleep(50);
        }
        throw new Error('WebKit: the click did not load a new page');
      };
      return {
        goto: (url) => inWindow(handle, () => call('POST', `${session}/url`, { url })),
        run: (fn, ...args) => inWindow(handle, () => script(fn, args)),
        click: (selector, { navigates = false } = {}) =>
          inWindow(handle, async () => {
            if (navigates) await script(() => (window.__oldPage = true), []);
            // Elements in a shadow root are found by script; the click itself is WebDriver's (trusted).
            const element = selector.shadow
              ? await script(
                  (host, inner) => document.querySelector(host).shadowRoot.querySelector(inner),
                  [selector.host, selector.shadow],
                )
              : await call('POST', `${session}/element`, { using: 'css selector', value: selector });
            await call('POST', `${session}/element/${element[ELEMENT]}/click`, {});
            if (navigates) await waitForLoad();
          }),
      };
    },
    close: async () => {
      await call('DELETE', session).catch(() => {});
      driver.kill();
    },
  };
}
