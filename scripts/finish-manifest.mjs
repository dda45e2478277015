// Turns the analyzer's manifest into the package's: module paths point at
// the shipped dist/*.js (not the unshipped sources), and only the public API
// is listed (no private or protected members, no Lit internals). Run by the
// build right after `cem analyze`.
import { readFile, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';

const file = new URL('../custom-elements.json', import.meta.url);
const manifest = JSON.parse(await readFile(file, 'utf8'));
// The analyzer names modules as `src/…ts`, `/src/…js` or relative to the module (`./x.js`): each becomes `dist/…js`.
const toDist = (path, from) => {
  const resolved = path.startsWith('.') ? posix.join(posix.dirname(from), path) : path.replace(/^\//, '');
  return resolved.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
};
const LIT_INTERNALS = new Set(['styles', 'observedAttributes', 'properties', 'shadowRootOptions']);

// Every `module` reference anywhere (exports, superclasses, type references) gets the dist path.
const rewrite = (value, from) => {
  if (Array.isArray(value)) return value.map((inner) => rewrite(inner, from));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      (key === 'module' || key === 'path') && typeof inner === 'string' ? toDist(inner, from) : rewrite(inner, from),
    ]),
  );
};

let dropped = 0;
for (const module of manifest.modules) {
  for (const declaration of module.declarations ?? []) {
    if (!declaration.members) continue;
    const before = declaration.members.length;
    // Public is the default: the analyzer names it for fields Lit declares in
    // `static properties`, and leaves it out for decorated ones. Say it one way.
    for (const member of declaration.members) if (member.privacy === 'public') delete member.privacy;
    declaration.members = declaration.members.filter(
      (member) => !member.privacy && !member.name.startsWith('#') && !LIT_INTERNALS.has(member.name),
    );
    dropped += before - declaration.members.length;
  }
  // An attribute no property stands for is watched only to be refused (`checked`: only the customer ticks).
  for (const declaration of module.declarations ?? []) {
    if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => a.fieldName);
  }
}
const finished = { ...manifest, modules: manifest.modules.map((module) => rewrite(module, module.path)) };
await writeFile(file, `${JSON.stringify(finished, null, 2)}\n`);
console.log(`custom-elements.json: dist paths, ${dropped} private or protected members left out`);
