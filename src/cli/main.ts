/** `countersign`: argument parsing that calls the core use cases. */
import { Command } from 'commander';
import { registerKeyCommands } from './keys.js';
import { describeError, fail } from './options.js';
import { registerRequestCommands } from './requests.js';
import { registerServeCommands } from './serve.js';
import { registerTenantCommands, withSurfaceContext } from './tenants.js';
import { registerWorkerCommands } from './worker.js';
import { SURFACES } from '../providers/index.js';

const program = new Command('countersign')
  .description('Countersign: self-hostable e-signature requests, and their cancellation')
  .showHelpAfterError();

registerServeCommands(program);
registerTenantCommands(program);
registerKeyCommands(program);
registerRequestCommands(program);
registerWorkerCommands(program);
for (const surface of SURFACES) surface.registerCli?.(program, withSurfaceContext);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Whatever a command did not handle itself still ends as one line and a non-zero exit, not a stack trace.
  fail(describeError(error));
}
