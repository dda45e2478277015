import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
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
});
