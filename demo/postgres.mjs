// The demo on PostgreSQL: starts an embedded PostgreSQL server (its data in
// .demo-data-postgres/, kept across starts), then the demo with DATABASE_URL
// pointing to it. Ctrl-C stops both.
//
//   npm run demo:postgres
import { spawn } from 'node:child_process';
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs';

const postgresDir = process.env.POSTGRES_DIR ?? '.demo-data-postgres';
const postgres = await startEmbeddedPostgres({ dir: postgresDir, persistent: true });
console.log('PostgreSQL (embedded) is running; starting the demo on it');
const demo = spawn(process.execPath, [new URL('./server.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: `${postgres.url}/postgres`,
    DATA_DIR: process.env.DATA_DIR ?? '.demo-data-pg',
    // The key that signs the chain stays with the chain: another key could not vouch for it.
    CHECKPOINT_KEY: `${postgresDir}-checkpoint-key.pem`,
  },
});
const stop = () => demo.kill('SIGTERM');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
demo.once('exit', async (code) => {
  await postgres.stop();
  process.exit(code ?? 0);
});
