// Runs web-test-runner in the three engines. WebKit needs two helpers that
// the runner does not start itself: WebKitWebDriver (the WebDriver server
// for WebKitGTK's MiniBrowser) and an X display, since MiniBrowser has no
// headless mode. This starts the driver, runs the suite under xvfb-run, and
// stops the driver again. Extra arguments go to web-test-runner.
import { spawn } from 'node:child_process';

const browsers = (process.env.BROWSERS ?? 'chromium,firefox,webkit').split(',');
const driverPort = process.env.WEBKIT_DRIVER_PORT ?? '4445';
const args = process.argv.slice(2);

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
  process.exit(await run('xvfb-run', ['-a', '--server-args=-screen 0 1280x1024x24', process.execPath, ...process.argv.slice(1)]));
}

let driver;
if (browsers.includes('webkit')) {
  driver = spawn('WebKitWebDriver', [`--port=${driverPort}`], { stdio: 'ignore' });
  driver.on('error', (error) => {
    console.error(`cannot start WebKitWebDriver (${error.message}); install webkit2gtk-driver or set BROWSERS=chromium,firefox`);
    process.exit(1);
  });
  await waitForDriver(`http://127.0.0.1:${driverPort}/status`, Date.now() + 15000);
}

const code = await run('node_modules/.bin/wtr', ['--config', 'web-test-runner.config.mjs', ...args]);
driver?.kill();
process.exit(code);
