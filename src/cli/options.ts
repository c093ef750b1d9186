/**
 * What every `countersign` command shares, in a module of its own so that the provider surfaces'
 * commands can use it too (src/cli/main.ts parses argv when it is loaded).
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { CallContext } from '../core/model.js';

/** Options every command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data-dir <dir>',
        'where the embedded database and server key live (default: data/ of this installation)',
      ).env('COUNTERSIGN_DATA_DIR'),
    )
    .addOption(new Option('--json', 'print machine-readable JSON'));
}

/**
 * Ends the command with a one-line message on stderr and exit code 2: the command could not do
 * its work (exit code 1 means it ran and some items were refused). stderr to a pipe is synchronous on Linux.
 */
export function fail(message: string): never {
  console.error(`countersign: ${message.replace(/\s*\n\s*/g, ' ')}`);
  process.exit(2);
}

/** Any error as one line: the message, never a stack trace (configuration errors name each setting). */
export function describeError(error: unknown): string {
  if (error instanceof z.ZodError)
    return `invalid configuration: ${error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ')}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Who acts in the audit trail when the operator runs a command. */
export const CLI_CONTEXT: CallContext = {
  actor: { type: 'system', id: 'cli', display: 'countersign CLI' },
  surface: 'cli',
};
