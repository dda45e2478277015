/**
 * The ledger's command as operators run it (built by `npm run build`): run
 * once, or serve in a child process that a test may kill -9.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { STAFF_TOKEN } from './ledger-fixture.js';

export const CLI = new URL('../../dist/server/cli.js', import.meta.url).pathname;

/** Runs a command to its end: exit code, and stdout and stderr together. */
export function cli(...args: string[]): { code: number | null; output: string; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr, stdout: result.stdout };
}

/** `serve` on a free port with the test staff token, single opt-in, no rate limit; resolves once it listens. */
export function startCli(dataDir: string, ...extra: string[]): Promise<{ child: ChildProcess; url: string }> {
  return serve('--data', dataDir, ...extra);
}

/** `serve` with the arguments given (where the ledger is, and more), as startCli; they come last, so they win. */
export function serve(...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return spawnServe(['--port', '0', '--rate-limit', '0', '--single-opt-in', 'email-newsletter', ...args], {
    MARKETING_CONSENT_STAFF_TOKEN: STAFF_TOKEN,
  });
}

/** `serve --salons` (every salon of a platform's registry) on a free port, without rate limit. */
export function servePlatform(...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return spawnServe(['--salons', '--port', '0', '--rate-limit', '0', ...args], {});
}

/** servePlatform in a process that may open at most `files` files (ulimit -n), as on a host with a low limit. */
export function servePlatformWithFileLimit(
  files: number,
  ...args: string[]
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return spawnServe(['--salons', '--port', '0', '--rate-limit', '0', ...args], {}, files);
}

async function spawnServe(
  args: string[],
  env: Record<string, string>,
  fileLimit?: number,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const command = [process.execPath, CLI, 'serve', ...args];
  const child = spawn(
    fileLimit ? '/bin/sh' : command[0]!,
    fileLimit ? ['-c', `ulimit -n ${fileLimit} && exec "$@"`, 'sh', ...command] : command.slice(1),
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Everything it prints, from the start (the log of its start-up included).
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ledger exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
