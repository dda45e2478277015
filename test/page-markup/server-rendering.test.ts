/**
 * marketing-consent/ssr: the element's boxes rendered into a page on the
 * server, so the browser lays them out with the first paint. The browser
 * side (nothing moves when the script arrives, in three engines) is
 * test/marketing-consent/layout-shift.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { consentElementsIn } from '../../src/page-markup/consent-elements.js';
import {
  declareShadowRoots,
  MARKETING_CONSENT_STYLE_HASH,
  renderMarketingConsent,
} from '../../src/page-markup/declarative-shadow-root.js';

const run = promisify(execFile);
const demoPage = await readFile(new URL('../../demo/public/index.html', import.meta.url), 'utf8');
const ROOT = /<template shadowrootmode="open">[\s\S]*?<\/fieldset>\s*<\/template>/g;
const rootsOf = (page: string) => page.match(ROOT) ?? [];

const page = (element: string, lang = 'de') => `<!doctype html>
<html lang="${lang}"><head><title>Termin</title></head>
<body><form>${element}<button>Buchen</button></form></body></html>`;

const element = (
  salon = 'Salon Bella',
  extra = '',
) => `<marketing-consent salon="${salon}" text-version="1" privacy-url="/datenschutz"${extra}>
  <template data-text="email-newsletter" lang="de">Ja, ich möchte den Newsletter.</template>
  <template data-text="notice" lang="de">Widerruf jederzeit über den Abmeldelink.</template>
  <template data-text="email-newsletter" lang="fr">Oui, je souhaite la newsletter.</template>
  <template data-text="notice" lang="fr">Retrait à tout moment via le lien de désinscription.</template>
</marketing-consent>`;

describe('declareShadowRoots', () => {
  it('gives the demo booking page its boxes in German, and leaves every other byte as it was', () => {
    const rendered = declareShadowRoots(demoPage);
    const roots = rootsOf(rendered);
    assert.equal(roots.length, 1);
    const root = roots[0]!;
    assert.equal(rendered.replace(root, ''), demoPage);
    assert.match(root, /<legend part="heading">Neuigkeiten von Salon Bella \(freiwillig\)<\/legend>/);
    assert.match(root, />Newsletter per E-Mail<\/label/);
    assert.match(root, /Ja, Salon Bella darf mir Angebote und freie Termine per SMS/);
    assert.match(root, /<a\s+part="link"\s+href="mailto:datenschutz@salon-bella.ch"/);
    // Inert until the script renders the live boxes: a tick before then would be lost.
    assert.match(root, /<fieldset inert part="group" lang="de">/);
    assert.doesNotMatch(root, /lit-part|lit-node|shadowroot="/);
    assert.equal((root.match(/type="checkbox"/g) ?? []).length, 2);
  });

  it('renders the language the browser will show: the page’s lang, or the element’s locale', () => {
    assert.match(rootsOf(declareShadowRoots(page(element(), 'fr')))[0]!, /Oui, je souhaite la newsletter\./);
    assert.match(
      rootsOf(declareShadowRoots(page(element('Salon Bella', ' locale="fr"'), 'de')))[0]!,
      /Oui, je souhaite/,
    );
  });

  it('renders a rendered page anew: the same output again, or the changed text', () => {
    const once = declareShadowRoots(page(element()));
    assert.equal(declareShadowRoots(once), once);
    const changed = once.replace('Ja, ich möchte den Newsletter.</template>', 'Ja, gerne jeden Monat.</template>');
    const again = declareShadowRoots(changed);
    assert.equal(rootsOf(again).length, 1);
    assert.match(rootsOf(again)[0]!, /Ja, gerne jeden Monat\./);
    assert.doesNotMatch(again, /Ja, ich möchte den Newsletter/);
  });

  it('leaves an element whose texts a script sets alone, and names the fix when no language is known', () => {
    const scripted = page('<marketing-consent salon="Salon Bella"></marketing-consent>');
    assert.equal(declareShadowRoots(scripted), scripted);
    const noLang = element().replace('<html lang="de">', '');
    const withoutLang = `<!doctype html><html><body>${noLang.replace(/ lang="(de|fr)"/g, '')}</body></html>`;
    assert.throws(() => declareShadowRoots(withoutLang), /set lang on <html>/);
    assert.match(declareShadowRoots(withoutLang, { locale: 'de' }), /shadowrootmode/);
  });

  it('escapes what the page wrote: an attribute or a text cannot inject markup', () => {
    const salon = 'Bella &amp; Co &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
    const rendered = declareShadowRoots(page(element(salon)));
    const root = rootsOf(rendered)[0]!;
    assert.doesNotMatch(root, /<script/);
    assert.match(
      root,
      /Neuigkeiten von Bella &amp; Co &quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; \(freiwillig\)/,
    );
    assert.equal(consentElementsIn(rendered)[0]!.attributes.get('salon'), 'Bella & Co "><script>alert(1)</script>');
  });

  it('sets the page’s nonce on the style, whose hash is MARKETING_CONSENT_STYLE_HASH', () => {
    const rendered = declareShadowRoots(page(element()), { nonce: 'r4nd0m' });
    const style = /<style nonce="r4nd0m">([\s\S]*?)<\/style>/.exec(rendered);
    assert.ok(style, 'a style with the nonce');
    const hash = `'sha256-${createHash('sha256').update(style[1]!).digest('base64')}'`;
    assert.equal(hash, MARKETING_CONSENT_STYLE_HASH);
  });
});

describe('renderMarketingConsent', () => {
  it('writes the whole element: attributes, shadow root, and texts the browser reads back as given', () => {
    fc.assert(
      fc.property(
        fc.record({
          salon: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
          newsletter: fc.string({ minLength: 1, maxLength: 200 }),
          sms: fc.string({ minLength: 1, maxLength: 200 }),
        }),
        ({ salon, newsletter, sms }) => {
          const texts = {
            de: {
              'email-newsletter': newsletter,
              'sms-newsletter': sms,
              notice: 'Widerruf jederzeit über den Abmeldelink.',
            },
          };
          const html = renderMarketingConsent({
            salon,
            textVersion: '2026-11-01',
            privacyUrl: '/datenschutz',
            purposes: ['email-newsletter', 'sms-newsletter'],
            locale: 'de',
            texts,
            endpoint: 'https://consent.salon-bella.ch/v1/consent-events',
          });
          const [read] = consentElementsIn(page(html));
          assert.equal(read!.attributes.get('salon'), salon);
          assert.equal(read!.attributes.get('purposes'), 'email-newsletter sms-newsletter');
          const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
          assert.deepEqual(read!.texts, {
            de: Object.fromEntries(Object.entries(texts.de).map(([key, text]) => [key, collapse(text)])),
          });
          assert.ok(read!.declaredRoot, 'a declared shadow root');
        },
      ),
      { seed: 26, numRuns: 200 },
    );
  });
});

describe('marketing-consent-render', () => {
  const cli = new URL('../../src/ssr-cli.ts', import.meta.url).pathname;
  const tsx = ['--import', 'tsx', cli];

  it('rewrites static pages in place, and says which hash the policy must allow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-'));
    const file = join(dir, 'buchen.html');
    await writeFile(file, page(element()));
    const { stderr } = await run(process.execPath, [...tsx, file]);
    assert.match(stderr, new RegExp(MARKETING_CONSENT_STYLE_HASH.replace(/[+/]/g, '\\$&')));
    assert.equal(await readFile(file, 'utf8'), declareShadowRoots(page(element())));
  });

  it('refuses a page it cannot render and leaves the file untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-'));
    const file = join(dir, 'buchen.html');
    const withoutLang = `<!doctype html><html><body>${element().replace(/ lang="(de|fr)"/g, '')}</body></html>`;
    await writeFile(file, withoutLang);
    await assert.rejects(run(process.execPath, [...tsx, file]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /buchen\.html: a <marketing-consent> has no language/);
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), withoutLang);
    // With the language given, it renders.
    await run(process.execPath, [...tsx, '--lang', 'de', file]);
    assert.match(await readFile(file, 'utf8'), /shadowrootmode/);
  });
});
