import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { expireDueRequests } from '../core/use-cases/expire-due-requests.js';
import { createApp, openStore } from '../main.js';
import { migrate } from '../storage/sqlite/migrate.js';
import { withCommonOptions } from './main.js';

export function registerServeCommands(program: Command): void {
  withCommonOptions(program.command('serve').description('start the HTTP server (migrates a fresh data dir first)'))
    .addOption(new Option('--port <port>', 'port to listen on').env('PORT'))
    .addOption(new Option('--host <host>', 'address to bind'))
    .addOption(new Option('--public-url <url>', 'base URL for links').env('COUNTERSIGN_PUBLIC_URL'))
    .action(async (options: { port?: string; host?: string; dataDir?: string; publicUrl?: string }) => {
      const config = loadConfig(process.env, { port: options.port, host: options.host, dataDir: options.dataDir, publicUrl: options.publicUrl });
      const app = await createApp(config);
      await app.server.listen({ port: config.port, host: config.host });
      const sweeper = setInterval(() => {
        expireDueRequests(app.deps).catch((error: unknown) => app.server.log.error({ err: error }, 'expiry sweep failed'));
      }, 30_000);
      console.log(`Countersign is listening on ${app.publicUrl}`);
      console.log(`  OpenAPI: ${app.publicUrl}/openapi.json   docs: ${app.publicUrl}/docs`);
      console.log(`  Get an API key: npx countersign tenant create --name "My company" --json${options.dataDir ? ` --data-dir ${options.dataDir}` : ''}`);
      const stop = async () => {
        clearInterval(sweeper);
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  withCommonOptions(program.command('migrate').description('apply pending database migrations'))
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      const config = loadConfig(process.env, { dataDir: options.dataDir });
      const store = openStore(config, { migrate: false });
      const applied = migrate(store.db);
      await store.close();
      console.log(options.json ? JSON.stringify({ applied }) : applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
    });
}
