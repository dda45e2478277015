// The self-registering browser bundles for a plain <script type="module">,
// minified, built from tsc's output in dist/ (TypeScript compiles once).
// Server code is not reachable from these entries; the build fails if it
// ever is.
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

export default [
  // For booking pages: <marketing-consent>. What the boxes need comes in the
  // entry; the outbox and the words for wrong settings come later, as chunks
  // beside it in dist/chunks/ (a CDN serves dist/ as is).
  {
    onwarn,
    input: { 'marketing-consent.bundle': 'dist/elements/marketing-consent/marketing-consent.js' },
    // The chunks import what they share with the entry from the entry itself.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/marketing-consent-[name]-[hash].js',
    },
    plugins: plugins(),
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
