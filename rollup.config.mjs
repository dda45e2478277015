// The self-registering browser bundles for a plain <script type="module">,
// minified, built from tsc's output in dist/ (TypeScript compiles once).
// Server code is not reachable from these entries; the build fails if it
// ever is.
import { readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const refuseServerCode = {
  name: 'refuse-server-code',
  resolveId(source, importer) {
    if (source.startsWith('node:') || source.includes('/server/') || source === 'hono' || source.startsWith('hono/')) {
      throw new Error(`browser bundle must not import server code: ${source} (from ${importer})`);
    }
    return null;
  },
};

const onwarn = (warning, warn) => {
  // tsc's decorator helper tests `this` at module level; zod's core has a
  // harmless import cycle and comments rollup reads as misplaced
  // annotations. None of them changes the bundle's behaviour.
  const inDependencies = (warning.ids ?? [warning.id ?? '']).every((id) => id.includes('node_modules'));
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  if (inDependencies && ['CIRCULAR_DEPENDENCY', 'INVALID_ANNOTATION'].includes(warning.code)) return;
  warn(warning);
};

/** The minifier of every browser bundle; the startup benchmark builds its peer with it too. */
export const minify = () =>
  terser({ ecma: 2022, module: true, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } });

const plugins = () => [refuseServerCode, nodeResolve({ browser: true }), minify()];

/**
 * The parts of the booking bundle that come later, each a file of its own in
 * dist/chunks/ that needs nothing from the entry. The entry imports them as
 * ./chunks/<file>, relative to itself: recording works whatever the entry's
 * file is called and wherever it is served from, as long as chunks/ sits
 * beside it (a renamed copy for cache busting, a CMS media library, a
 * bundler that re-hashes the entry's name).
 */
const LATER_PARTS = {
  'consent-recording': 'dist/delivery/consent-recording.js',
  'settings-messages': 'dist/elements/marketing-consent/settings-messages.js',
};
export const laterPartFile = (name) => `marketing-consent-${name}-`;

/** In the entry's build: each dynamic import of a later part becomes an import of its file beside the entry. */
const laterPartsBesideTheEntry = {
  name: 'later-parts-beside-the-entry',
  async resolveDynamicImport(specifier, importer) {
    if (typeof specifier !== 'string' || !importer) return null;
    const target = resolve(dirname(importer), specifier);
    const name = Object.keys(LATER_PARTS).find((part) => target === resolve(LATER_PARTS[part]));
    if (!name) return null;
    // Built just before the entry (the builds below run in order).
    const file = (await readdir('dist/chunks')).find((f) => f.startsWith(laterPartFile(name)) && f.endsWith('.js'));
    if (!file) throw new Error(`dist/chunks/${laterPartFile(name)}….js is missing: build the later parts first`);
    return { id: `./chunks/${file}`, external: true };
  },
  // Imported by its full URL, beside the entry; when it cannot be loaded (404, CSP, offline), the error and a
  // console message name that URL and the fix, in every browser (WebKit's own message names no file).
  renderDynamicImport: ({ targetModuleId }) =>
    targetModuleId?.startsWith('./chunks/')
      ? {
          left: '((u)=>import(u).catch((e)=>{const m=`${u} could not be loaded (${e.message}): serve chunks/ beside the bundle`;console.error(`<marketing-consent> ${m}`);throw Error(m)}))(new URL(',
          right: ',import.meta.url).href)',
        }
      : null,
};

export default [
  ...Object.entries(LATER_PARTS).map(([name, input]) => ({
    onwarn,
    input,
    preserveEntrySignatures: 'strict',
    output: {
      dir: 'dist/chunks',
      format: 'es',
      sourcemap: true,
      entryFileNames: `${laterPartFile(name)}[hash].js`,
    },
    plugins: plugins(),
  })),
  // For booking pages: <marketing-consent>. What the boxes need comes in the
  // entry; the outbox and the words for wrong settings come later, from the
  // files above in chunks/ beside it (a CDN serves dist/ as is).
  {
    onwarn,
    input: { 'marketing-consent.bundle': 'dist/elements/marketing-consent/marketing-consent.js' },
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
    },
    plugins: [laterPartsBesideTheEntry, ...plugins()],
  },
  // The same in one file, for pages that load it from a CDN and need one
  // Subresource Integrity hash to cover all of it (see the README).
  {
    onwarn,
    input: 'dist/elements/marketing-consent/marketing-consent.js',
    output: {
      file: 'dist/marketing-consent.standalone.bundle.js',
      format: 'es',
      sourcemap: true,
      inlineDynamicImports: true,
    },
    plugins: plugins(),
  },
  // For back offices: <marketing-consent-file> and <marketing-consent-audience>, one file.
  {
    onwarn,
    input: 'dist/staff-elements.js',
    output: {
      file: 'dist/marketing-consent-staff.bundle.js',
      format: 'es',
      sourcemap: true,
      inlineDynamicImports: true,
    },
    plugins: plugins(),
  },
];
