// Empties dist/ and writes src/version.ts from package.json, so the version
// a record names is always the version that was built.
import { readFile, rm, writeFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const source = `// Written by scripts/prepare-build.mjs from package.json; do not edit.
export const WIDGET_NAME = '${pkg.name}';
export const WIDGET_VERSION = '${pkg.version}';
`;
const target = new URL('../src/version.ts', import.meta.url);
if ((await readFile(target, 'utf8').catch(() => '')) !== source) await writeFile(target, source);
