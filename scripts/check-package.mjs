// What `npm pack` would publish, checked against what the package promises:
// every `exports` target and the bin exist in the tarball, with types beside
// the JavaScript, the LICENSE, the README, the changelog and the manifest;
// no tests, sources or demo data. Run after a build (npm test does).
//   node scripts/check-package.mjs
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

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
// The manifest names the shipped modules, so tools can follow it.
const manifest = JSON.parse(await readFile(new URL('../custom-elements.json', import.meta.url), 'utf8'));
for (const module of manifest.modules) need(module.path, 'a module named in custom-elements.json');
for (const [dep, range] of Object.entries(pkg.dependencies)) {
  if (/^\d/.test(range)) problems.push(`dependency ${dep} is pinned to ${range}: consumers would get a second copy`);
}

for (const problem of problems) console.error(`  ✗ ${problem}`);
console.log(
  problems.length
    ? `package check FAILED: ${problems.length} problem(s)`
    : `package check passed: ${files.size} files, ${(report.size / 1024).toFixed(0)} KB packed, every export present`,
);
process.exitCode = problems.length ? 1 : 0;
