// Prints what a booking page downloads, gzipped (level 9), and fails the
// build when the boxes need more than FIRST_RENDER_BUDGET bytes of
// JavaScript or a recorded consent more than RECORDED_BUDGET. Measured for
// the script-tag bundle as built, and for the npm entry as a bundler
// (rollup with terser, as a site would use) builds it. See the README, "Size".
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const FIRST_RENDER_BUDGET = 12_000;
const RECORDED_BUDGET = 20_000;
const gzip = (code) => gzipSync(code, { level: 9 }).length;
const bytes = (n) => `${n.toLocaleString('en')} B`;

/**
 * Sizes by moment, from rollup's chunk graph: before the boxes show (the
 * entry and what it imports statically), by the time a consent is recorded
 * (plus the recording chunk), and when a setting is wrong (plus the words).
 */
function moments(chunks, entry) {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (names, seen = new Set()) => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      closure(byName.get(name).imports, seen);
    }
    return seen;
  };
  const sum = (names) => [...names].reduce((total, name) => total + gzip(byName.get(name).code), 0);
  const first = closure([entry.fileName]);
  const lazy = (part) => entry.dynamicImports.filter((name) => name.includes(part));
  return {
    firstRender: sum(first),
    recorded: sum(closure(lazy('consent-recording'), new Set(first))),
    withMessages: sum(closure(lazy('settings-messages'), new Set(first))),
    all: sum(closure(entry.dynamicImports, new Set(first))),
  };
}

async function build(input, options, output = { format: 'es' }) {
  const bundle = await rollup({ input, onwarn: () => undefined, ...options });
  const { output: chunks } = await bundle.generate(output);
  await bundle.close();
  return chunks.filter((chunk) => chunk.type === 'chunk');
}

// The script-tag bundle, exactly as written to dist/ by rollup.config.mjs.
const bookingConfig = (await import('../rollup.config.mjs')).default.find(
  (config) => config.output.entryFileNames === '[name].js',
);
const { output: bookingOutput, ...bookingOptions } = bookingConfig;
const scriptTag = await build(bookingConfig.input, bookingOptions, bookingOutput);
// The later parts are files of their own, built before the entry (see rollup.config.mjs): as chunks of its graph.
const bookingEntry = scriptTag.find((chunk) => chunk.isEntry);
bookingEntry.dynamicImports = bookingEntry.dynamicImports.map((name) => name.replace(/^\.\//, ''));
for (const fileName of bookingEntry.dynamicImports) {
  if (!scriptTag.some((chunk) => chunk.fileName === fileName))
    scriptTag.push({ type: 'chunk', fileName, imports: [], dynamicImports: [], isEntry: false });
}
// Sized as served: the files in dist/, with their source-map comments.
for (const chunk of scriptTag) {
  const file = new URL(`../dist/${chunk.fileName}`, import.meta.url);
  chunk.code = await readFile(file, 'utf8').catch(() => {
    throw new Error(`dist/${chunk.fileName} is missing: dist/ is older than rollup.config.mjs; run npm run build`);
  });
}

// The npm entry, as a site's bundler builds it.
const app = 'virtual:booking-page';
const npm = await build(app, {
  plugins: [
    {
      name: 'booking-page',
      resolveId: (id) => (id === app ? id : null),
      load: (id) => (id === app ? "import 'marketing-consent';" : null),
    },
    nodeResolve({ browser: true }),
    terser({ module: true }),
  ],
});

let over = false;
for (const [label, chunks] of [
  ['script-tag bundle (dist/marketing-consent.bundle.js)', scriptTag],
  ["npm entry (import 'marketing-consent', bundled)", npm],
]) {
  const sizes = moments(
    chunks,
    chunks.find((chunk) => chunk.isEntry),
  );
  const firstOk = sizes.firstRender <= FIRST_RENDER_BUDGET;
  const recordedOk = sizes.recorded <= RECORDED_BUDGET;
  over ||= !firstOk || !recordedOk;
  console.log(`${label}, gzip:`);
  console.log(
    `  before the boxes show:      ${bytes(sizes.firstRender)} (${firstOk ? 'within' : 'OVER'} the ${bytes(FIRST_RENDER_BUDGET)} budget)`,
  );
  console.log(
    `  by a recorded consent:      ${bytes(sizes.recorded)} (${recordedOk ? 'within' : 'OVER'} the ${bytes(RECORDED_BUDGET)} budget)`,
  );
  console.log(`  with a wrong setting:       ${bytes(sizes.withMessages)}`);
  console.log(`  everything:                 ${bytes(sizes.all)}`);
}

const staff = await readFile(new URL('../dist/marketing-consent-staff.bundle.js', import.meta.url));
console.log(
  `dist/marketing-consent-staff.bundle.js (back office): ${bytes(staff.length)} min, ${bytes(gzip(staff))} gzip`,
);

const standalone = await readFile(new URL('../dist/marketing-consent.standalone.bundle.js', import.meta.url));
console.log(`dist/marketing-consent.standalone.bundle.js (one file): ${bytes(gzip(standalone))} gzip`);

// Subresource Integrity for pages that load the bundles from a CDN (see the
// README, "With a script tag"): the script tags' hashes, and the chunks'
// for an import map's "integrity".
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const chunkNames = scriptTag.filter((chunk) => !chunk.isEntry).map((chunk) => chunk.fileName);
for (const name of [
  'marketing-consent.bundle.js',
  ...chunkNames,
  'marketing-consent.standalone.bundle.js',
  'marketing-consent-staff.bundle.js',
]) {
  const code = await readFile(new URL(`../dist/${name}`, import.meta.url));
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  console.log(`  https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/dist/${name} integrity="${integrity}"`);
}

if (over) {
  console.error('The booking element is over its size budget: see the README, "Size".');
  process.exit(1);
}
