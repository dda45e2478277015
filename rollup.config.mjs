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

/** One self-registering, minified ES module per audience of the package. */
const bundle = (input, file) => ({
  onwarn,
  input,
  output: { file, format: 'es', sourcemap: true },
  plugins: [
    refuseServerCode,
    nodeResolve({ browser: true }),
    terser({ ecma: 2022, module: true, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } }),
  ],
});

export default [
  // For booking pages: <marketing-consent>.
  bundle('dist/elements/marketing-consent/marketing-consent.js', 'dist/marketing-consent.bundle.js'),
  // For back offices: <marketing-consent-file> and <marketing-consent-audience>.
  bundle('dist/staff-elements.js', 'dist/marketing-consent-staff.bundle.js'),
];
