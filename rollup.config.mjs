// The self-registering browser bundle for a plain <script type="module">:
// the element with Lit and zod/mini, minified. Built from tsc's output in
// dist/, so TypeScript compiles once. Server code is not reachable from this
// entry; the build fails if it ever is.
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

export default {
  onwarn(warning, warn) {
    // tsc's decorator helper tests `this` at module level; zod's core has a
    // harmless import cycle and comments rollup reads as misplaced
    // annotations. None of them changes the bundle's behaviour.
    const inDependencies = (warning.ids ?? [warning.id ?? '']).every((id) => id.includes('node_modules'));
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    if (inDependencies && ['CIRCULAR_DEPENDENCY', 'INVALID_ANNOTATION'].includes(warning.code)) return;
    warn(warning);
  },
  input: 'dist/elements/marketing-consent/marketing-consent.js',
  output: {
    file: 'dist/marketing-consent.bundle.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    refuseServerCode,
    nodeResolve({ browser: true }),
    terser({ ecma: 2022, module: true, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } }),
  ],
};
