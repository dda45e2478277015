// The API reference of the elements, generated from custom-elements.json:
// attributes and properties, events with their types, methods, CSS parts
// and custom properties. The build writes dist/api.md; `--check` fails when
// the checked-in docs/api.md differs (run `npm run docs` to refresh it).
import { readFile, writeFile } from 'node:fs/promises';

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('custom-elements.json', root), 'utf8'));
const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim() || '—';
// In a table even a code span needs its pipes escaped (GFM).
const code = (text) => (text ? `\`${String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|')}\`` : '—');
const table = (head, rows) =>
  rows.length
    ? [
        `| ${head.join(' | ')} |`,
        `| ${head.map(() => '---').join(' | ')} |`,
        ...rows.map((r) => `| ${r.join(' | ')} |`),
        '',
      ]
    : [];

const declarations = manifest.modules.flatMap((module) =>
  (module.declarations ?? []).filter((d) => d.tagName).map((d) => ({ ...d, module: module.path })),
);
const lines = [
  '# API reference',
  '',
  'Generated from `custom-elements.json` by `scripts/write-api-reference.mjs`; do not edit. `npm run docs` refreshes it.',
  '',
];
for (const element of declarations.sort((a, b) => a.tagName.localeCompare(b.tagName))) {
  lines.push(`## \`<${element.tagName}>\``, '', `${element.summary ?? ''}`.trim(), '');
  lines.push(`Class \`${element.name}\`, module \`${element.module}\`.`, '');
  if (element.description) lines.push(element.description.trim(), '');
  const attributes = (element.attributes ?? []).filter((a) => a.fieldName);
  const withAttribute = new Set(attributes.map((a) => a.fieldName));
  const members = element.members ?? [];
  const memberOf = (name) => members.find((m) => m.name === name);
  lines.push('### Attributes and properties', '');
  lines.push(
    ...table(
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      [
        ...attributes.map((a) => [
          code(a.name),
          code(a.fieldName),
          code(a.type?.text),
          code(memberOf(a.fieldName)?.default ?? a.default),
          cell(a.description ?? memberOf(a.fieldName)?.description),
        ]),
        ...members
          .filter((m) => m.kind === 'field' && !m.static && !withAttribute.has(m.name))
          .map((m) => [
            '—',
            code(m.name),
            code(m.type?.text),
            code(m.default),
            cell(`${m.readonly ? 'Read-only. ' : ''}${m.description ?? ''}`),
          ]),
      ],
    ),
  );
  const methods = members.filter((m) => m.kind === 'method');
  if (methods.length) {
    lines.push('### Methods', '');
    lines.push(
      ...table(
        ['Method', 'Returns', 'Description'],
        methods.map((m) => [
          code(
            `${m.static ? `${element.name}.` : ''}${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.type ? `: ${p.type.text}` : ''}`).join(', ')})`,
          ),
          code(m.return?.type?.text ?? 'void'),
          cell(m.description),
        ]),
      ),
    );
  }
  lines.push('### Events', '');
  lines.push(
    ...table(
      ['Event', 'Type', 'Description'],
      (element.events ?? []).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]),
    ),
  );
  if (!(element.events ?? []).length) lines.push('None.', '');
  lines.push('### CSS parts', '');
  lines.push(
    ...table(
      ['Part', 'Description'],
      (element.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  );
  lines.push('### CSS custom properties', '');
  lines.push(
    ...table(
      ['Property', 'Description'],
      (element.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  );
}
const reference = `${lines
  .join('\n')
  .replace(/\n{3,}/g, '\n\n')
  .trim()}\n`;

const mode = process.argv[2];
if (mode === '--check') {
  const checkedIn = await readFile(new URL('docs/api.md', root), 'utf8').catch(() => '');
  if (checkedIn !== reference) {
    console.error('docs/api.md is stale: the elements changed; run `npm run docs` and commit docs/api.md');
    process.exit(1);
  }
  console.log('docs/api.md matches the elements');
} else {
  const target = mode === '--docs' ? 'docs/api.md' : 'dist/api.md';
  await writeFile(new URL(target, root), reference);
  console.log(`wrote ${target}`);
}
