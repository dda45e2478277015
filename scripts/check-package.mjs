// What `npm pack` publishes, checked against what the package promises:
// every `exports` target and the bin exist in the tarball, with types beside
// the JavaScript, the LICENSE, the README, the changelog and the manifest;
// no tests, sources or demo data. Then the ecosystem's own judges on the
// packed tarball: are-the-types-wrong (ESM-only: every entry resolves to
// types), and the custom elements manifest against its published schema,
// naming only modules the tarball holds. Run after a build (npm test does).
//   node scripts/check-package.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import manifestSchema from 'custom-elements-manifest/schema.json' with { type: 'json' };

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// --ignore-scripts: the build already ran; `npm pack` itself builds first (prepack).
const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
);
const files = new Set(report.files.map((file) => file.path));
const problems = [];
const need = (path, why) => files.has(path.replace(/^\.\//, '')) || problems.push(`${path} is missing (${why})`);

for (const [entry, target] of Object.entries(pkg.exports)) {
  const targets = typeof target === 'string' ? { default: target } : target;
  for (const [condition, path] of Object.entries(targets)) need(path, `exports["${entry}"].${condition}`);
}
for (const [name, path] of Object.entries(pkg.bin)) need(path, `bin ${name}`);
for (const path of ['LICENSE', 'README.md', 'CHANGELOG.md', 'custom-elements.json']) need(path, 'documentation');
for (const path of files) {
  if (/^(src|test|demo|scripts)\//.test(path) || path.includes('.demo-data')) problems.push(`${path} should not ship`);
  if (path.endsWith('.js.map')) {
    const map = JSON.parse(await readFile(new URL(`../${path}`, import.meta.url), 'utf8'));
    if (!Array.isArray(map.sourcesContent) || map.sourcesContent.length !== map.sources.length)
      problems.push(`${path} points at sources the package does not ship (no sourcesContent)`);
  }
}
// The manifest follows its schema and names only shipped modules (its own, and every one it refers to), so tools can follow it.
const manifest = JSON.parse(await readFile(new URL('../custom-elements.json', import.meta.url), 'utf8'));
const validManifest = new Ajv({ allErrors: true, strict: false }).compile(manifestSchema);
if (!validManifest(manifest)) {
  for (const error of validManifest.errors)
    problems.push(`custom-elements.json${error.instancePath}: ${error.message}`);
}
const named = new Set();
JSON.stringify(manifest, (key, value) => {
  if ((key === 'module' || key === 'path') && typeof value === 'string') named.add(value);
  return value;
});
for (const path of named) need(path, 'a module named in custom-elements.json');
// An attribute the manifest offers is one the element takes: each stands for a property (`checked` is refused).
for (const declaration of manifest.modules.flatMap((module) => module.declarations ?? [])) {
  for (const attribute of declaration.attributes ?? []) {
    if (!attribute.fieldName)
      problems.push(
        `custom-elements.json offers the attribute ${attribute.name} of <${declaration.tagName}>, which no property takes`,
      );
  }
}
for (const [dep, range] of Object.entries(pkg.dependencies)) {
  if (/^\d/.test(range)) problems.push(`dependency ${dep} is pinned to ${range}: consumers would get a second copy`);
}

// are-the-types-wrong on the tarball as published (ESM only: CommonJS and node10 resolution are not offered).
const packDir = await mkdtemp(join(tmpdir(), 'marketing-consent-pack-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { encoding: 'utf8' }),
  );
  const attw = spawnSync('attw', [join(packDir, packed.filename), '--profile', 'esm-only', '--format', 'ascii'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${new URL('../node_modules/.bin', import.meta.url).pathname}:${process.env.PATH}` },
  });
  if (attw.status !== 0) problems.push(`are-the-types-wrong (esm-only) found problems:\n${attw.stdout}${attw.stderr}`);
} finally {
  await rm(packDir, { recursive: true, force: true });
}

for (const problem of problems) console.error(`  ✗ ${problem}`);
console.log(
  problems.length
    ? `package check FAILED: ${problems.length} problem(s)`
    : `package check passed: ${files.size} files, ${(report.size / 1024).toFixed(0)} KB packed, every export present and typed (attw esm-only), the manifest valid and shipped`,
);
process.exitCode = problems.length ? 1 : 0;
