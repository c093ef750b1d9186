/**
 * `countersign singpass-client add|list|webhook`: the operator registers a tenant's Singpass relying parties;
 * `keygen|token`: the relying party's side, to try the surface locally (rp-token-cli.ts).
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isCoreError } from '../../core/errors.js';
import { fail, withCommonOptions } from '../../cli/options.js';
import type { SurfaceContext } from '../surface.js';
import { registerSingpassClient } from './client-registration.js';
import { registerRpTokenCommands } from './rp-token-cli.js';
import { setSingpassWebhook, singpassWebhookOf } from './client-webhook.js';
import { createSingpassStore } from './singpass-store.js';

type Open = <T>(dataDir: string | undefined, fn: (context: SurfaceContext) => Promise<T>) => Promise<T>;

interface AddOptions {
  tenant: string;
  clientId: string;
  jwksUrl?: string;
  jwksFile?: string;
  allowPrivateJwksUrl?: boolean;
  dataDir?: string;
  json?: boolean;
}

export function registerSingpassCli(program: Command, open: Open): void {
  const group = program.command('singpass-client').description('manage Singpass Sign v3 relying parties (RPs)');
  registerRpTokenCommands(group);
  withCommonOptions(group.command('add').description('register an RP: its client_id and its JWKS (URL or file)'))
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--client-id <id>', 'the client_id the RP puts in its tokens')
    .addOption(new Option('--jwks-url <url>', 'https URL of the RP JWKS').conflicts('jwksFile'))
    .addOption(new Option('--jwks-file <file>', 'a JSON file holding the RP JWKS'))
    .option(
      '--allow-private-jwks-url',
      'allow a JWKS URL on a private or loopback host, over http too (development, tests)',
    )
    .action(async (options: AddOptions) => {
      if ((options.jwksUrl === undefined) === (options.jwksFile === undefined))
        return fail('give exactly one of --jwks-url and --jwks-file');
      let jwks: unknown;
      if (options.jwksFile !== undefined) {
        try {
          jwks = JSON.parse(readFileSync(options.jwksFile, 'utf8'));
        } catch {
          return fail(`cannot read a JSON JWKS from ${options.jwksFile}`);
        }
      }
      try {
        const client = await open(options.dataDir, (context) =>
          registerSingpassClient(context.deps, createSingpassStore(context), {
            tenantId: options.tenant,
            clientId: options.clientId,
            allowPrivateJwksUrl: options.allowPrivateJwksUrl === true,
            ...(options.jwksUrl !== undefined ? { jwksUrl: options.jwksUrl } : { jwks }),
          }),
        );
        if (options.json)
          console.log(
            JSON.stringify({
              client_id: client.clientId,
              tenant_id: client.tenantId,
              jwks_url: client.jwksUrl,
              allow_private_jwks_url: client.allowPrivateJwksUrl,
            }),
          );
        else
          console.log(
            `Singpass client ${client.clientId} registered for tenant ${client.tenantId} (${client.jwksUrl ?? 'inline JWKS'})`,
          );
      } catch (error) {
        if (!isCoreError(error)) throw error;
        fail(error.message);
      }
    });
  withCommonOptions(group.command('list').description("list a tenant's RPs"))
    .requiredOption('--tenant <id>', 'tenant id')
    .action(async (options: { tenant: string; dataDir?: string; json?: boolean }) => {
      const clients = await open(options.dataDir, (context) =>
        createSingpassStore(context).listClients(options.tenant),
      );
      if (options.json)
        console.log(
          JSON.stringify(
            clients.map((client) => ({
              client_id: client.clientId,
              jwks_url: client.jwksUrl,
              allow_private_jwks_url: client.allowPrivateJwksUrl,
            })),
          ),
        );
      else
        for (const client of clients)
          console.log(
            `${client.clientId}\t${client.jwksUrl ?? 'inline JWKS'}${client.allowPrivateJwksUrl ? '\t(private host allowed)' : ''}`,
          );
    });
  withCommonOptions(
    group
      .command('webhook')
      .description('set, show or remove the webhook URL an RP receives its signed-document token at'),
  )
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--client-id <id>', "the RP's client_id")
    .addOption(new Option('--url <url>', 'the new webhook URL (replaces the previous one)').conflicts('remove'))
    .option('--remove', "stop the RP's webhooks")
    .action(
      async (options: {
        tenant: string;
        clientId: string;
        url?: string;
        remove?: boolean;
        dataDir?: string;
        json?: boolean;
      }) => {
        const call = {
          actor: { type: 'system' as const, id: 'cli', display: 'countersign CLI' },
          surface: 'cli' as const,
        };
        try {
          const endpoint = await open(options.dataDir, (context) => {
            const repository = createSingpassStore(context);
            if (options.url === undefined && !options.remove)
              return singpassWebhookOf(context, repository, options.tenant, options.clientId);
            return setSingpassWebhook(
              context,
              repository,
              options.tenant,
              options.clientId,
              options.remove ? null : options.url!,
              call,
            );
          });
          if (options.json) console.log(JSON.stringify({ client_id: options.clientId, url: endpoint?.url ?? null }));
          else console.log(endpoint ? `${options.clientId}\t${endpoint.url}` : `${options.clientId} has no webhook`);
        } catch (error) {
          if (!isCoreError(error)) throw error;
          fail(error.message);
        }
      },
    );
}
