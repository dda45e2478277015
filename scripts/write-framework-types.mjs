// Writes the framework typings from the custom elements manifest, so they
// never drift from the elements: dist/jsx.d.ts (React 19's JSX: attributes,
// properties and `on<event>` handlers) and dist/vue.d.ts (Vue's
// GlobalComponents). Run by the build after the manifest is written.
import { readFile, writeFile } from 'node:fs/promises';

const manifest = JSON.parse(await readFile(new URL('../custom-elements.json', import.meta.url), 'utf8'));

// Where each element class and event type is exported from, relative to dist/.
const ENTRY = {
  'marketing-consent': './index.js',
  'marketing-consent-file': './staff-elements.js',
  'marketing-consent-audience': './staff-elements.js',
};

const elements = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.tagName && ENTRY[declaration.tagName]);

const clean = (type) => (type ?? 'string').replace(/\s*\|\s*undefined/g, '');
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** Settable members: attributes by their HTML name, and public fields without an attribute (properties). */
function settings(element, { react }) {
  const lines = [];
  const attributeFields = new Set();
  for (const attribute of element.attributes ?? []) {
    if (!attribute.fieldName) continue; // watched only to refuse (`checked`)
    attributeFields.add(attribute.fieldName);
    // The purpose lists take the attribute's string too (as templates write it), not only the list the getter returns.
    const type = attribute.name === 'purposes' ? 'string | readonly string[]' : clean(attribute.type?.text);
    lines.push(`  ${JSON.stringify(attribute.name)}?: ${type};`);
    if (react && attribute.fieldName !== attribute.name) lines.push(`  ${attribute.fieldName}?: ${type};`);
  }
  const inherited = new Set(['client', 'uiLocale']);
  for (const member of element.members ?? []) {
    if (member.kind !== 'field' || member.static || member.privacy || member.readonly || inherited.has(member.name))
      continue;
    if (attributeFields.has(member.name) || !member.type) continue;
    if (['checked', 'grantedPurposes', 'form', 'consentId'].includes(member.name)) continue; // read-only state
    lines.push(`  ${member.name}?: ${clean(member.type.text)};`);
  }
  return lines;
}

const typeImports = new Map();
const use = (name, entry) => {
  if (!typeImports.has(entry)) typeImports.set(entry, new Set());
  typeImports.get(entry).add(name);
};

const react = [];
const vue = [];
for (const element of elements) {
  const entry = ENTRY[element.tagName];
  use(element.name, entry);
  for (const type of ['LegalTexts', 'StaffFetch']) {
    if (JSON.stringify(element.members ?? []).includes(type)) use(type, entry);
  }
  const events = (element.events ?? []).map((event) => {
    const type = event.type?.text ?? 'Event';
    if (type !== 'Event') use(type, entry);
    return { name: event.name, type };
  });
  react.push(
    `    ${JSON.stringify(element.tagName)}: React.DetailedHTMLProps<React.HTMLAttributes<${element.name}>, ${element.name}> & {`,
    ...settings(element, { react: true }).map((line) => `    ${line}`),
    ...events
      .filter((event) => event.name !== 'change')
      .map((event) => `      ${JSON.stringify(`on${event.name}`)}?: (event: ${event.type}) => void;`),
    '    };',
  );
  vue.push(
    `    ${JSON.stringify(element.tagName)}: DefineComponent<{`,
    ...settings(element, { react: false }).map((line) => `    ${line}`),
    ...events.map(
      (event) => `      ${JSON.stringify(`on${camel(`-${event.name}`)}`)}?: (event: ${event.type}) => void;`,
    ),
    '    }>;',
  );
}

const imports = [...typeImports].map(
  ([entry, names]) => `import type { ${[...names].sort().join(', ')} } from '${entry}';`,
);
const header = (what) =>
  `// Generated from custom-elements.json by scripts/write-framework-types.mjs; do not edit.\n// ${what}\n`;

await writeFile(
  new URL('../dist/jsx.d.ts', import.meta.url),
  `${header("React 19 JSX for the elements: import type {} from 'marketing-consent/jsx';")}import type * as React from 'react';
${imports.join('\n')}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${react.join('\n')}
    }
  }
}
`,
);
await writeFile(
  new URL('../dist/vue.d.ts', import.meta.url),
  `${header("Vue's GlobalComponents for the elements: import type {} from 'marketing-consent/vue';")}import type { DefineComponent } from 'vue';
${imports.join('\n')}

declare module 'vue' {
  interface GlobalComponents {
${vue.join('\n')}
  }
}
`,
);
console.log(`wrote dist/jsx.d.ts and dist/vue.d.ts for ${elements.map((e) => `<${e.tagName}>`).join(', ')}`);
