/**
 * What every `countersign` command shares, in a module of its own so that the provider surfaces'
 * commands can use it too (src/cli/main.ts parses argv when it is loaded).
 */
import { Option, type Command } from 'commander';

/** Options every command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'where the embedded database and server key live').env('COUNTERSIGN_DATA_DIR'))
    .addOption(new Option('--json', 'print machine-readable JSON'));
}

/** Ends the command with a one-line message on stderr and exit code 2 (stderr to a pipe is synchronous on Linux). */
export function fail(message: string): never {
  console.error(`countersign: ${message}`);
  process.exit(2);
}
