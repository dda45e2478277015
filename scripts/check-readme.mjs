// The README's code, checked as a reader would use it: TypeScript and TSX
// snippets type-check against the built package (helpers a snippet only
// names, like saveWithBooking, are declared for it); the HTML example with
// the element renders its boxes in Chromium from the built bundle; JSON
// parses (receipts validate); every `npm run` script and every
// marketing-consent-ledger command and option a shell snippet uses exists.
// Run after a build (npm test does).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { consentReceiptSchema } from '../dist/contract/index.js';
import { launchChromium } from './chromium.mjs';
import { serveDist } from './serve-dist.mjs';

const root = new URL('..', import.meta.url).pathname;
const readme = await readFile(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
  lang: match[1],
  code: match[2],
  line: readme.slice(0, match.index).split('\n').length,
}));
const problems = [];
const counts = {};
const count = (kind) => (counts[kind] = (counts[kind] ?? 0) + 1);

// Names snippets use without defining: what the reader's own app provides.
const PRELUDE = {
  saveWithBooking: "(receipt: import('marketing-consent').ConsentReceipt) => void",
  showMailHint: '(email: string | undefined) => void',
  texts: "import('marketing-consent').LegalTexts",
  publishedTexts: "import('marketing-consent/server').PublishedText[]",
  staffToken: 'string',
  linkSecret: 'string',
  app: "import('marketing-consent/server').LedgerApp",
  expressApp: "import('express').Express",
  yourSite: "import('node:http').RequestListener",
  http: "typeof import('node:http')",
  renderBookingPage: "(c: import('hono').Context) => Promise<string>",
  subscribe: '(address: string) => Promise<void>',
  unsubscribe: '(address: string) => Promise<void>',
  dropWhoeverLeft: '() => Promise<void>',
};
const defines = (code, name) =>
  new RegExp(`(const|let|var|function|class)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`).test(code);

// TypeScript and TSX: one module per snippet, type-checked together against dist/.
const dir = join(root, 'dist-typecheck/readme');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const files = [];
for (const [index, block] of blocks.entries()) {
  if (block.lang !== 'ts' && block.lang !== 'tsx') continue;
  const prelude = Object.entries(PRELUDE)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(block.code) && !defines(block.code, name))
    .map(([name, type]) => `declare const ${name}: ${type};`);
  const file = `snippet-${index}-line-${block.line}.${block.lang}`;
  await writeFile(join(dir, file), `${prelude.join('\n')}\n${block.code}\nexport {};\n`);
  files.push(file);
  count(block.lang);
}
const dist = (path) => [join(root, 'dist', path)];
await writeFile(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      paths: {
        'marketing-consent': dist('index.d.ts'),
        'marketing-consent/marketing-consent.js': dist('elements/marketing-consent/marketing-consent.d.ts'),
        'marketing-consent/server': dist('server/index.d.ts'),
        'marketing-consent/ssr': dist('ssr.d.ts'),
        'marketing-consent/react': dist('react.d.ts'),
        'marketing-consent/jsx': dist('jsx.d.ts'),
        'marketing-consent/staff': dist('staff-elements.d.ts'),
      },
    },
    files,
  }),
);
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'pipe' });
} catch (error) {
  problems.push(
    `TypeScript snippets do not type-check:\n${String(error.stdout).replace(/snippet-\d+-line-/g, 'README.md line ')}`,
  );
}

// JSON: parses, unless it elides with "…"; a receipt validates.
for (const block of blocks.filter((b) => b.lang === 'json')) {
  count('json');
  let value;
  try {
    value = JSON.parse(block.code);
  } catch (error) {
    if (!block.code.includes('…')) problems.push(`README.md line ${block.line}: JSON does not parse: ${error.message}`);
    continue;
  }
  if (value && typeof value === 'object' && 'seq' in value && 'receivedAt' in value && !('event' in value)) {
    const result = z.safeParse(consentReceiptSchema, value);
    if (!result.success) problems.push(`README.md line ${block.line}: the receipt does not match consentReceiptSchema`);
  }
}

// Shell: the scripts and CLI options it names exist.
const help = execFileSync(process.execPath, [join(root, 'dist/server/cli.js'), '--help'], { encoding: 'utf8' });
const renderHelp = execFileSync(process.execPath, [join(root, 'dist/ssr-cli.js'), '--help'], { encoding: 'utf8' });
for (const block of blocks.filter((b) => b.lang === 'sh')) {
  count('sh');
  for (const [, script] of block.code.matchAll(/npm run ([\w:-]+)/g)) {
    if (!pkg.scripts[script]) problems.push(`README.md line ${block.line}: npm run ${script} is not a script`);
  }
  // Continuation lines (a trailing backslash) belong to the command.
  const commands = block.code.replace(/\\\n\s*/g, ' ');
  for (const command of commands.matchAll(/npx marketing-consent-ledger ([^\n]*)/g)) {
    const words = command[1].split(/\s+/);
    if (
      !help.includes(`marketing-consent-ledger ${words[0]}`) &&
      !help.includes(`marketing-consent-ledger [${words[0]}]`)
    )
      problems.push(`README.md line ${block.line}: marketing-consent-ledger has no command "${words[0]}"`);
    for (const option of words.filter((word) => word.startsWith('--'))) {
      if (!new RegExp(`${option}\\b`).test(help)) problems.push(`README.md line ${block.line}: no option ${option}`);
    }
  }
  for (const command of commands.matchAll(/npx marketing-consent-render ([^\n]*)/g)) {
    for (const option of command[1].split(/\s+/).filter((word) => word.startsWith('--'))) {
      if (!new RegExp(`${option}\\b`).test(renderHelp))
        problems.push(`README.md line ${block.line}: marketing-consent-render has no option ${option}`);
    }
  }
}

// HTML with the element: renders its boxes from the built bundle, without console errors.
// Pages, not framework templates: the ones that load the element with a script tag.
const pages = blocks.filter(
  (b) => b.lang === 'html' && b.code.includes('<script') && b.code.includes('<marketing-consent\n'),
);
if (pages.length) {
  const site = createServer(async (request, response) => {
    const index = Number(new URL(request.url, 'http://x').searchParams.get('snippet'));
    if (await serveDist(request, response)) return;
    if (request.url.startsWith('/page')) {
      // The CDN or site path of the snippet's script tag stands for the built bundle.
      const html = pages[index].code.replace(
        /<script type="module" src="[^"]*"><\/script>/,
        '<script type="module" src="/dist/marketing-consent.bundle.js"></script>',
      );
      return response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><html lang="de"><body>${html}</body></html>`);
    }
    response.writeHead(204).end();
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    for (const [index, block] of pages.entries()) {
      count('html');
      const page = await browser.newPage();
      const errors = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${site.address().port}/page?snippet=${index}`, { waitUntil: 'load' });
      const boxes = await page
        .waitForFunction(
          () =>
            document.querySelector('marketing-consent')?.shadowRoot?.querySelectorAll('input[type=checkbox]').length,
          { timeout: 5000 },
        )
        .then((handle) => handle.jsonValue())
        .catch(() => 0);
      if (!boxes) problems.push(`README.md line ${block.line}: the example shows no checkbox`);
      for (const error of errors) problems.push(`README.md line ${block.line}: console error: ${error}`);
      await page.close();
    }
  } finally {
    await browser.close();
    site.close();
  }
}

for (const problem of problems) console.error(`  ✗ ${problem}`);
const summary = Object.entries(counts)
  .map(([kind, n]) => `${n} ${kind}`)
  .join(', ');
console.log(
  problems.length ? `README check FAILED: ${problems.length} problem(s)` : `README check passed: ${summary} snippets`,
);
process.exitCode = problems.length ? 1 : 0;
