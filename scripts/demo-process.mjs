// The demo server as the checks start it: its own process on a free port,
// with an empty ledger in a fresh folder.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

export async function startDemo() {
  const port = String(await freePort());
  const server = spawn(process.execPath, ['demo/server.mjs'], {
    env: { ...process.env, PORT: port, DATA_DIR: await mkdtemp(join(tmpdir(), 'salon-bella-demo-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => String(chunk).includes('demo:') && resolve());
    server.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  return { base: `http://localhost:${port}`, stop: () => server.kill() };
}
