// scratch: cost of opening salons in process (not committed)
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatformApp, FileSalonRegistry, JsonlLedgerStore, hashStaffToken, newSecret, CheckpointSigner, generateCheckpointKey } from './dist/server/index.js';
const n = Number(process.argv[2] ?? 300);
const dir = await mkdtemp(join(tmpdir(), 'open-bench-'));
for (let i = 0; i < n; i++) {
  await mkdir(join(dir, 'salons', `s${i}`), { recursive: true });
  await writeFile(join(dir, 'salons', `s${i}`, 'salon.json'), JSON.stringify({ id: `s${i}`, controller: { name: `Salon ${i}`, jurisdiction: 'CH', locale: 'de' }, origins: ['https://x.example'], staffOrigins: [], staffTokenSha256: hashStaffToken('t'.repeat(32)), linkSecret: newSecret(), texts: [], singleOptIn: ['email-newsletter', 'sms-newsletter'], createdAt: new Date().toISOString() }));
}
const signer = new CheckpointSigner('bench/platform', generateCheckpointKey('bench/platform').privateKeyPem);
const app = createPlatformApp({ registry: new FileSalonRegistry(dir), maxOpen: 100000,
  async openSalon(id) { const s = signer.forLedger(`bench/platform/${id}`); return { store: await JsonlLedgerStore.open(join(dir, 'salons', id), { signer: s, trustedKeys: [] }), checkpointKeys: [s.verifierKey] }; } });
await app.start();
for (const round of ['new', 'again']) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = await app.request(`/salons/s${i}/v1/health`); if (r.status !== 200) throw new Error(String(r.status) + await r.text()); }
  console.log(round, ((performance.now() - t0) / n).toFixed(2), 'ms per salon open + health');
  if (round === 'new') { await app.close(); }
  break;
}
