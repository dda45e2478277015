// The real ledger for tests and benchmarks: a JSONL store in a fresh folder,
// served on loopback, which can be stopped and started again on the same
// port and data (as after a crash or a deploy).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerApp, JsonlLedgerStore, startLedgerServer } from '../../dist/server/index.js';

export async function startLedgerHarness(options) {
  const dataDir = await mkdtemp(join(tmpdir(), 'marketing-consent-ledger-'));
  let store;
  let running;
  let port = 0;
  const start = async () => {
    if (running) return;
    store = await JsonlLedgerStore.open(dataDir);
    // All test traffic comes from one address; the rate limit has its own test.
    // Single opt-in: the widget's tests are about the tick; double opt-in has its own tests.
    const app = createLedgerApp({ rateLimit: false, confirmation: { 'email-newsletter': 'none' }, ...options, store });
    running = await startLedgerServer(app, {
      hostname: '127.0.0.1',
      port,
    });
    port = Number(new URL(running.url).port);
  };
  const stop = async () => {
    await running?.close();
    await store?.close();
    running = undefined;
  };
  await start();
  return {
    dataDir,
    url: () => `http://127.0.0.1:${port}`,
    store: () => store,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
