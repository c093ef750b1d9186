/** Runs `countersign …` as a real child process (bin/countersign.mjs) and collects what it printed. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/countersign.mjs', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Never throws on a non-zero exit: the exit code is part of what tests check. COUNTERSIGN_DATA_DIR is cleared unless `env` sets it. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; bin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.bin ?? BIN, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, COUNTERSIGN_DATA_DIR: '', LOG_LEVEL: 'silent', ...options.env },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A run that succeeded; its stdout parsed as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function cliJson(args: readonly string[], options?: Parameters<typeof runCli>[1]): Promise<any> {
  const result = await runCli(args, options);
  assert.equal(result.code, 0, `countersign ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The command could not run: exit code 2 and one line `countersign: …` on stderr matching `pattern`, no stack trace. */
export function assertOneLineError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^countersign: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}
