/**
 * `countersign worker`: the outbox worker as a process of its own, on the same data dir as the
 * servers (several may run: leases keep them apart). And the operator tools: dead letters, their
 * replay, and the mails kept when no SMTP server is configured.
 */
import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/ids.js';
import { createDelivery, silentLogger } from '../delivery/create-delivery.js';
import { listOutbox, presentOutboxEntry, replayAllDeadLetters, replayDeadLetter } from '../delivery/outbox-admin.js';
import { createWebhooks } from '../delivery/webhooks.js';
import { createLogger } from '../logging/create-logger.js';
import { createMailArchive } from '../delivery/mail-archive.js';
import { createOutboxQueue } from '../delivery/outbox-queue.js';
import { createCoreDeps, createSurfaceContext, createWebhookRenderers, publicUrlOf } from '../main.js';
import { openStore, type OpenedStore } from '../storage/open-store.js';
import { fail, withCommonOptions } from './options.js';

async function withStore<T>(dataDir: string | undefined, fn: (store: OpenedStore) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig(process.env, { dataDir }));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerWorkerCommands(program: Command): void {
  withCommonOptions(
    program
      .command('worker')
      .description('run the outbox worker (mails, webhooks, retention, expiry) without an HTTP server'),
  )
    .addOption(
      new Option('--public-url <url>', "the servers' base URL, for signing links in mails").env(
        'COUNTERSIGN_PUBLIC_URL',
      ),
    )
    .action(async (options: { dataDir?: string; publicUrl?: string }) => {
      const config = loadConfig(process.env, { dataDir: options.dataDir, publicUrl: options.publicUrl });
      const store = openStore(config);
      const deps = createCoreDeps(config, store);
      const logger =
        config.logLevel === 'silent' ? silentLogger : createLogger(config).child({ component: 'outbox-worker' });
      const surfaceContext = createSurfaceContext(config, deps);
      const webhooks = createWebhooks(surfaceContext, {
        allowPrivateNetworks: config.allowPrivateWebhookTargets,
        renderers: createWebhookRenderers(surfaceContext),
      });
      const delivery = createDelivery({
        config,
        deps,
        maintenance: store.maintenance,
        publicUrl: publicUrlOf(config),
        handlers: webhooks.handlers,
        logger,
      });
      delivery.worker.start();
      const stop = async () => {
        await delivery.close(); // waits for the deliveries in flight
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  const outbox = program.command('outbox').description('the transactional outbox: dead letters and replays');
  withCommonOptions(outbox.command('dead').description('list dead letters, newest first'))
    .option('--tenant <id>', "only this tenant's rows")
    .addOption(new Option('--limit <n>', 'at most this many').default('100'))
    .action(async (options: { tenant?: string; limit: string; dataDir?: string; json?: boolean }) => {
      const rows = await withStore(options.dataDir, (store) =>
        listOutbox(createOutboxQueue(store), {
          status: 'dead',
          limit: Number(options.limit),
          ...(options.tenant ? { tenantId: options.tenant } : {}),
        }),
      );
      if (options.json) return console.log(JSON.stringify({ data: rows.map(presentOutboxEntry) }));
      if (rows.length === 0) return console.log('no dead letters');
      for (const row of rows)
        console.log(
          `${row.id}  ${row.topic}  tenant ${row.tenantId}  ${row.attempts} attempts  ${row.lastError ?? ''}`,
        );
    });

  withCommonOptions(
    outbox.command('replay').description('replay a dead letter (or every one): pending again, attempts reset, due now'),
  )
    .argument('[id]', 'outbox row id')
    .option('--all-dead', 'replay every dead letter')
    .option('--tenant <id>', "with --all-dead: only this tenant's rows")
    .action(
      async (
        id: string | undefined,
        options: { allDead?: boolean; tenant?: string; dataDir?: string; json?: boolean },
      ) => {
        if ((id === undefined) === (options.allDead !== true)) fail('name one row id, or pass --all-dead');
        await withStore(options.dataDir, async (store) => {
          const queue = createOutboxQueue(store);
          if (id === undefined) {
            const replayed = await replayAllDeadLetters(queue, systemClock.now(), options.tenant);
            return console.log(options.json ? JSON.stringify({ replayed }) : `replayed ${replayed} dead letter(s)`);
          }
          const result = await replayDeadLetter(queue, id, systemClock.now());
          if (result.kind === 'not_found') fail(`no outbox row ${id}`);
          if (result.kind === 'not_dead') fail(`outbox row ${id} is ${result.status}, not dead`);
          console.log(
            options.json ? JSON.stringify(presentOutboxEntry(result.entry)) : `replayed ${id} (${result.entry.topic})`,
          );
        });
      },
    );

  const mails = program.command('mails').description('mails kept in the database when no SMTP server is configured');
  withCommonOptions(mails.command('list').description("a tenant's mails, newest first"))
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--request <id>', 'only mails about this request')
    .addOption(new Option('--limit <n>', 'at most this many').default('50'))
    .action(async (options: { tenant: string; request?: string; limit: string; dataDir?: string; json?: boolean }) => {
      const limit = Math.min(Math.max(Number(options.limit) || 50, 1), 1000);
      const list = await withStore(options.dataDir, (store) =>
        createMailArchive(store).list(options.tenant, {
          limit,
          ...(options.request ? { requestId: options.request } : {}),
        }),
      );
      if (options.json) {
        return console.log(
          JSON.stringify({
            data: list.map((mail) => ({
              id: mail.id,
              message_id: mail.messageId,
              outbox_id: mail.outboxId,
              template: mail.template,
              request_id: mail.requestId,
              to: mail.to,
              subject: mail.subject,
              text: mail.text,
              attachments: mail.attachments,
              created_at: new Date(mail.createdAt).toISOString(),
            })),
          }),
        );
      }
      if (list.length === 0) return console.log('no mails');
      for (const mail of list)
        console.log(
          `${new Date(mail.createdAt).toISOString()}  ${mail.to.address}  ${mail.subject}  ${mail.messageId}`,
        );
    });
}
