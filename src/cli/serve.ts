import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_DATA_DIR, loadConfig } from '../config.js';
import { CoreError } from '../core/errors.js';
import { createApp } from '../main.js';
import { openStore } from '../storage/open-store.js';
import { withCommonOptions } from './options.js';
import { explainListenError, reservePort } from './reserve-port.js';

export function registerServeCommands(program: Command): void {
  withCommonOptions(program.command('serve').description('start the HTTP server (migrates a fresh data dir first)'))
    .addOption(new Option('--port <port>', 'port to listen on (default 8080)').env('PORT'))
    .addOption(
      new Option('--host <host>', 'address to bind (default 127.0.0.1: this machine only; 0.0.0.0: every interface)'),
    )
    .addOption(new Option('--public-url <url>', 'base URL for links').env('COUNTERSIGN_PUBLIC_URL'))
    .action(async (options: { port?: string; host?: string; dataDir?: string; publicUrl?: string }) => {
      const requested = loadConfig(process.env, {
        port: options.port,
        host: options.host,
        dataDir: options.dataDir,
        publicUrl: options.publicUrl,
      });
      // The port first: when it is taken, nothing has been opened, written or started yet.
      const reservation = await reservePort(requested.host, requested.port);
      const config = { ...requested, port: reservation.port };
      const app = await createApp(config, { worker: false });
      await reservation.release();
      try {
        await app.server.listen({ port: config.port, host: config.host });
      } catch (error) {
        await app.close();
        throw new CoreError('conflict', explainListenError(error as NodeJS.ErrnoException, config.host, config.port));
      }
      // The outbox worker (mails, webhooks, retention, the expiry sweep) runs in this process unless
      // COUNTERSIGN_WORKER=0, for deployments that run `countersign worker` processes instead.
      if (config.workerEnabled) app.delivery.worker.start();
      const dataDir = resolve(config.dataDir);
      const dataDirFlag = dataDir === resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${JSON.stringify(dataDir)}`;
      console.log(`Countersign is listening on ${app.publicUrl}`);
      console.log(`  OpenAPI: ${app.publicUrl}/openapi.json   docs: ${app.publicUrl}/docs`);
      console.log(`  Data: ${dataDir}`);
      console.log(
        config.workerEnabled
          ? `  Outbox worker: on (${app.delivery.sendsMail ? 'mails over SMTP' : 'mails kept in the database: GET /v1/mails'})`
          : '  Outbox worker: off (run `countersign worker`)',
      );
      console.log(`  Get an API key: npx countersign tenant create --name "My company" --json${dataDirFlag}`);
      const stop = async () => {
        await app.close(); // waits for the deliveries in flight
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  withCommonOptions(program.command('migrate').description('apply pending database migrations')).action(
    async (options: { dataDir?: string; json?: boolean }) => {
      const config = loadConfig(process.env, { dataDir: options.dataDir });
      const store = openStore(config, { migrate: false });
      const applied = await store.migrate();
      await store.close();
      console.log(
        options.json ? JSON.stringify({ applied }) : applied.length ? `applied: ${applied.join(', ')}` : 'up to date',
      );
    },
  );
}
