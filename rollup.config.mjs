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
  input: 'dist/elements/marketing-consent/marketing-consent.js',
  output: {
    file: 'dist/marketing-consent.bundle.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    refuseServerCode,
    nodeResolve({ browser: true }),
    terser({ ecma: 2022, module: true, format: { comments: false } }),
  ],
};
