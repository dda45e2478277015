// Debian's Chromium, as the tests, the demo check and the benchmarks start it.
// Root needs --no-sandbox; this machine has no network, so everything that
// would phone home is off (otherwise Chromium keeps retrying in the background).
import { puppeteerCore } from '@web/test-runner-chrome';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/** A headless Chromium driven by puppeteer-core. */
export function launchChromium() {
  return puppeteerCore.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
