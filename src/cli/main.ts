/** `countersign`: argument parsing that calls the core use cases. */
import { Command } from 'commander';
import { registerRequestCommands } from './requests.js';
import { registerServeCommands } from './serve.js';
import { registerTenantCommands, withSurfaceContext } from './tenants.js';
import { registerWorkerCommands } from './worker.js';
import { SURFACES } from '../http/surfaces/index.js';

const program = new Command('countersign')
  .description('Countersign: self-hostable e-signature requests, and their cancellation')
  .showHelpAfterError();

registerServeCommands(program);
registerTenantCommands(program);
registerRequestCommands(program);
registerWorkerCommands(program);
for (const surface of SURFACES) surface.registerCli?.(program, withSurfaceContext);

await program.parseAsync(process.argv);
