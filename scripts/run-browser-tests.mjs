// Runs web-test-runner in the three engines. WebKit needs two helpers that
// the runner does not start itself: WebKitWebDriver (the WebDriver server
// for WebKitGTK's MiniBrowser) and an X display, since MiniBrowser has no
// headless mode. This starts the driver, runs the suite under xvfb-run, and
// stops the driver again. Extra arguments go to web-test-runner.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.mjs';

const browsers = (process.env.BROWSERS ?? 'chromium,firefox,webkit').split(',');
// Free ports, not fixed ones: another test run (or anything else) may hold 8000 or 4445.
const driverPort = process.env.WEBKIT_DRIVER_PORT ?? String(await freePort());
process.env.WEBKIT_DRIVER_PORT = driverPort;
process.env.WTR_PORT ??= String(await freePort());
const args = process.argv.slice(2);

// Each engine comes from Debian's packages; say which is missing and how to get it.
const REQUIRED = {
  chromium: [['/usr/bin/chromium', 'chromium']],
  firefox: [['/usr/bin/firefox-esr', 'firefox-esr']],
  webkit: [
    ['/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
    ['/usr/bin/xvfb-run', 'xvfb xauth'],
  ],
};
const missing = browsers.flatMap((name) => (REQUIRED[name] ?? []).filter(([path]) => !existsSync(path)));
if (missing.length > 0) {
  const packages = missing.map(([, pkg]) => pkg).join(' ');
  console.error(
    `missing ${missing.map(([path]) => path).join(', ')}: run "sudo apt-get install -y ${packages}" (or bash .ci/run), or choose engines with BROWSERS=chromium,firefox,webkit`,
  );
  process.exit(1);
}

async function waitForDriver(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url}; is webkit2gtk-driver installed?`);
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`cannot start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
}

// MiniBrowser is started by the driver, so both need the virtual display:
// re-run this script inside xvfb-run.
if (browsers.includes('webkit') && !process.env.DISPLAY) {
  process.exit(
    await run('xvfb-run', ['-a', '--server-args=-screen 0 1280x1024x24', process.execPath, ...process.argv.slice(1)]),
  );
}

let driver;
if (browsers.includes('webkit')) {
  driver = spawn('WebKitWebDriver', [`--port=${driverPort}`], { stdio: 'ignore' });
  driver.on('error', (error) => {
    console.error(
      `cannot start WebKitWebDriver (${error.message}); install webkit2gtk-driver or set BROWSERS=chromium,firefox`,
    );
    process.exit(1);
  });
  await waitForDriver(`http://127.0.0.1:${driverPort}/status`, Date.now() + 15000);
}

const code = await run('node_modules/.bin/wtr', ['--config', 'web-test-runner.config.mjs', ...args]);
driver?.kill();
process.exit(code);
