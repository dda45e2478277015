// Prints the browser bundle's size, minified and gzipped (level 9), against
// the 14 KB gzip budget. A report, not a gate: see the README, "Size".
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const BUDGET = 14 * 1024;
const code = await readFile(new URL('../dist/marketing-consent.bundle.js', import.meta.url));
const gzip = gzipSync(code, { level: 9 }).length;
const verdict = gzip <= BUDGET ? 'within' : 'OVER';
const staff = await readFile(new URL('../dist/marketing-consent-staff.bundle.js', import.meta.url));
console.log(
  `dist/marketing-consent-staff.bundle.js (back office): ${staff.length.toLocaleString('en')} B min, ${gzipSync(staff, { level: 9 }).length.toLocaleString('en')} B gzip`,
);
console.log(
  `dist/marketing-consent.bundle.js: ${code.length.toLocaleString('en')} B min, ${gzip.toLocaleString('en')} B gzip (${(gzip / 1024).toFixed(1)} KB; ${verdict} the ${BUDGET / 1024} KB budget)`,
);

// Subresource Integrity for pages that load the bundles from a CDN (see the README, "With a script tag").
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
for (const [name, bytes] of [
  ['marketing-consent.bundle.js', code],
  ['marketing-consent-staff.bundle.js', staff],
]) {
  const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  console.log(`  https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/dist/${name} integrity="${integrity}"`);
}
