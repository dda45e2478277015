// A TypeScript project that installs the packed package with pnpm, whose
// strict layout reaches only the dependencies a package declares, and
// type-checks every typed entry with skipLibCheck: false: the shipped .d.ts
// files may name only packages the package depends on. Needs the npm
// registry (pnpm fetches the dependencies). Run after a build (npm test does).
//   node scripts/check-pnpm-consumer.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
// This package's own tools (pnpm among them) come first on the PATH.
const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
const dir = await mkdtemp(join(tmpdir(), 'pnpm-consumer-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
    }),
  );
  // The framework entries' types need the framework's: a consumer of them has it.
  const consumer = {
    name: 'salon-platform',
    private: true,
    type: 'module',
    dependencies: {
      'marketing-consent': `file:${join(dir, packed.filename)}`,
      typescript: pkg.devDependencies.typescript,
      '@types/node': pkg.devDependencies['@types/node'],
      '@types/react': pkg.devDependencies['@types/react'],
      react: pkg.devDependencies.react,
      vue: pkg.devDependencies.vue,
    },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(consumer, null, 2));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        jsx: 'react-jsx',
      },
      files: ['platform.ts'],
    }),
  );
  const typed = Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === 'object' && target.types)
    .map(([entry]) => (entry === '.' ? pkg.name : `${pkg.name}/${entry.slice(2)}`));
  await writeFile(
    join(dir, 'platform.ts'),
    [
      ...typed.map((entry, i) => `import type * as entry${i} from '${entry}';`),
      `import { createLedgerApp, JsonlLedgerStore, startLedgerServer } from 'marketing-consent/server';`,
      `export type Entries = [${typed.map((_, i) => `typeof entry${i}`).join(', ')}];`,
      `export const start = async (dir: string) => startLedgerServer(createLedgerApp({ store: await JsonlLedgerStore.open(dir) }));`,
      '',
    ].join('\n'),
  );
  const installed = spawnSync('pnpm', ['install', '--prefer-offline', '--reporter', 'silent'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (installed.status !== 0) throw new Error(`pnpm install failed (exit ${installed.status})`);
  try {
    execFileSync(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    console.error(`  ✗ a pnpm consumer does not type-check with skipLibCheck: false:\n${error.stdout}`);
    process.exitCode = 1;
  }
  if (!process.exitCode)
    console.log(`pnpm consumer check passed: ${typed.length} typed entries type-check with skipLibCheck: false`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
