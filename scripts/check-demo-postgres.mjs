// The demo on PostgreSQL (`npm run demo:postgres`): it starts, serves the
// booking page's ledger, and what it recorded is still there after a
// restart, read back from the database.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from './demo-process.mjs';

const postgresDir = await mkdtemp(join(tmpdir(), 'salon-bella-postgres-'));
const email = `pg-${randomUUID().slice(0, 8)}@example.ch`;
const text = 'Neuigkeiten von Salon Bella\n\nJa, ich möchte den Newsletter per E-Mail erhalten.';
const problems = [];
for (const round of ['first start', 'restart']) {
  const demo = await startDemo({ postgresDir });
  try {
    if (round === 'first start') {
      const response = await fetch(`${demo.base}/ledger/v1/consent-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: demo.base },
        body: JSON.stringify({
          schemaVersion: 1,
          id: randomUUID(),
          subject: { email },
          purposes: [{ purpose: 'email-newsletter', granted: true }],
          notice: { textVersion: 'check', locale: 'de', text, sha256: createHash('sha256').update(text).digest('hex') },
          clientTime: new Date().toISOString(),
          method: 'online-booking',
          source: { pageUrl: `${demo.base}/`, widget: { name: 'marketing-consent', version: 'check' } },
        }),
      });
      if (response.status !== 201) problems.push(`${round}: the intake answered ${response.status}`);
    }
    const page = await (await fetch(`${demo.base}/received`)).text();
    if (!page.includes('PostgreSQL')) problems.push(`${round}: /received does not say the ledger is in PostgreSQL`);
    if (!page.includes('mia.rossi@example.ch')) problems.push(`${round}: the seeded customers are missing`);
    if (!page.includes(email)) problems.push(`${round}: the booking recorded at the first start is missing`);
    if (!/Hash-Kette:\s*<strong class="ok">intakt/.test(page))
      problems.push(`${round}: the chain is not reported intact`);
  } finally {
    await demo.stop();
  }
}
for (const problem of problems) console.error(`  ✗ ${problem}`);
console.log(
  problems.length === 0
    ? 'demo on PostgreSQL: starts, records, and reads its records back after a restart'
    : `demo on PostgreSQL FAILED: ${problems.length} problem(s)`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
