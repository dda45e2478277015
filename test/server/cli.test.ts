import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = new URL('../../dist/server/cli.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('marketing-consent-ledger command line', () => {
  it('--version and version print the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const args of [['--version'], ['-v'], ['version']]) {
      const result = run(...args);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), `marketing-consent ${version}`);
    }
  });

  it('a mistyped option is named, with where to look, and nothing starts', () => {
    const result = run('serve', '--data', '/nonexistent', '--prot', '8787');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown option '--prot'/);
    assert.match(result.stderr, /--help for the options/);
  });

  it('double opt-in without mail settings says which settings are missing and how to turn it off, touching nothing', async () => {
    const data = join(await mkdtemp(join(tmpdir(), 'cli-')), 'ledger');
    const result = run('serve', '--data', data, '--port', '0');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /--smtp-url and --mail-from/);
    assert.match(result.stderr, /--single-opt-in email-newsletter/);
    assert.equal(existsSync(data), false, 'the data folder was not created');
  });

  it('texts makes the register of published texts from the booking page, keeps old versions, refuses an edited text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'texts-'));
    const out = join(dir, 'published-texts.json');
    const first = run('texts', '--from', 'demo/public/index.html', '--out', out);
    assert.equal(first.status, 0, first.stderr);
    const register = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(register.map((t: { version: string; locale: string }) => `${t.version} ${t.locale}`).sort(), [
      '2026-11-01 de',
      '2026-11-01 en',
      '2026-11-01 fr',
      '2026-11-01 it',
    ]);
    assert.match(first.stdout, /4 published texts, 4 new/);
    assert.match(run('texts', '--from', 'demo/public/index.html', '--out', out).stdout, /4 published texts, 0 new/);

    // A new version is added beside the old one; the same version with another text is refused.
    const page = await readFile('demo/public/index.html', 'utf8');
    const newVersion = join(dir, 'new-version.html');
    await writeFile(newVersion, page.replace('text-version="2026-11-01"', 'text-version="2027-01-15"'));
    assert.match(run('texts', '--from', newVersion, '--out', out).stdout, /8 published texts, 4 new/);
    const edited = join(dir, 'edited.html');
    await writeFile(edited, page.replace('Newsletter von Salon Bella', 'Newsletter vom Salon Bella'));
    const refused = run('texts', '--from', edited, '--out', out);
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /text version 2026-11-01 \(de\) on the page differs from the registered one: a changed text needs a new text-version/,
    );
    assert.equal(JSON.parse(await readFile(out, 'utf8')).length, 8, 'the register is unchanged');

    assert.equal(run('texts', '--from', 'demo/public/index.html').status, 2);
    const missing = run(
      'serve',
      '--data',
      join(dir, 'd'),
      '--single-opt-in',
      'email-newsletter',
      '--texts',
      join(dir, 'nope.json'),
    );
    assert.match(
      missing.stderr,
      /does not exist: make it from the booking page with "marketing-consent-ledger texts --from/,
    );
  });
});
