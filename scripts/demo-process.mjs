// The demo server as the checks start it: its own process on a free port,
// with an empty ledger in a fresh folder, or on PostgreSQL (an embedded
// server with its data in `postgresDir`, as `npm run demo:postgres` runs it).
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

export async function startDemo({ postgresDir } = {}) {
  const port = String(await freePort());
  const server = spawn(process.execPath, [postgresDir ? 'demo/postgres.mjs' : 'demo/server.mjs'], {
    env: {
      ...process.env,
      PORT: port,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'salon-bella-demo-')),
      ...(postgresDir ? { POSTGRES_DIR: postgresDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => String(chunk).includes('demo:') && resolve());
    server.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  return {
    base: `http://localhost:${port}`,
    /** Stops the demo (and its PostgreSQL); resolves once it is gone. */
    stop: () => {
      server.kill();
      return exited;
    },
  };
}
