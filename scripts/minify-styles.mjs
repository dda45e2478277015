// Lit's css`` stylesheets are template literals, which minifiers keep byte
// for byte. After tsc, this drops their comments and the whitespace CSS does
// not need, in dist/ itself: the script-tag bundles and every bundler that
// builds from the npm entries get the small form.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const dist = new URL('../dist/elements/', import.meta.url).pathname;

/** Comments out, whitespace collapsed, none around punctuation that needs none. */
export function minifyCss(sheet) {
  return sheet
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .trim();
}

for (const name of await readdir(dist, { recursive: true })) {
  if (!name.endsWith('.js')) continue;
  const path = join(dist, name);
  const code = await readFile(path, 'utf8');
  // Only literal sheets: one with ${…} interpolations is left as it is.
  const minified = code.replace(/\bcss\s*`([^`$]*)`/g, (_, sheet) => `css\`${minifyCss(sheet)}\``);
  if (minified !== code) await writeFile(path, minified);
}
