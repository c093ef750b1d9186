/**
 * `countersign lumin-token create` and `countersign lumin-app create`: the admin routes' twins for
 * whoever holds the data dir. Secrets are printed once and never stored in clear.
 */
import { Option, type Command } from 'commander';
import { fail, withCommonOptions } from '../../cli/options.js';
import type { SurfaceContext } from '../surface.js';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  LUMIN_SCOPES,
  MAX_TOKEN_TTL_SECONDS,
  issueAccessToken,
  parseScopes,
  registerApp,
} from './credentials.js';

type Open = <T>(dataDir: string | undefined, fn: (context: SurfaceContext) => Promise<T>) => Promise<T>;

export function registerLuminCli(program: Command, open: Open): void {
  const token = program.command('lumin-token').description('Lumin OAuth2-style access tokens');
  withCommonOptions(token.command('create').description('mint a Bearer access token for the Lumin surface'))
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(
      new Option('--scopes <list>', `space-separated scopes (${LUMIN_SCOPES.join(', ')})`).default(
        LUMIN_SCOPES.join(' '),
      ),
    )
    .addOption(new Option('--ttl-seconds <n>', 'lifetime in seconds').default(String(DEFAULT_TOKEN_TTL_SECONDS)))
    .option('--label <label>', 'a name for the token (shown in the audit trail)')
    .action(
      async (options: {
        tenant: string;
        scopes: string;
        ttlSeconds: string;
        label?: string;
        dataDir?: string;
        json?: boolean;
      }) => {
        const scopes = parseScopes(options.scopes);
        if (!scopes) fail(`unknown scope in "${options.scopes}" (use ${LUMIN_SCOPES.join(', ')})`);
        const ttl = Number(options.ttlSeconds);
        if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_TOKEN_TTL_SECONDS)
          fail(`--ttl-seconds must be a whole number from 60 to ${MAX_TOKEN_TTL_SECONDS}`);
        const issued = await open(options.dataDir, ({ deps }) =>
          issueAccessToken(deps, options.tenant, scopes, ttl, options.label ?? 'cli'),
        );
        if (!issued) fail(`no tenant ${options.tenant}`);
        const { id, ...shown } = issued;
        if (options.json) console.log(JSON.stringify(shown));
        else
          console.log(
            `token ${id} [${shown.scope}], expires in ${shown.expires_in} s (shown once): ${shown.access_token}`,
          );
      },
    );

  const app = program.command('lumin-app').description('Lumin OAuth apps (client credentials)');
  withCommonOptions(app.command('create').description('register an app that gets tokens from POST /lumin/oauth2/token'))
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--label <label>', 'a name for the app')
    .action(async (options: { tenant: string; label?: string; dataDir?: string; json?: boolean }) => {
      const registered = await open(options.dataDir, ({ deps }) =>
        registerApp(deps, options.tenant, options.label ?? null),
      );
      if (!registered) fail(`no tenant ${options.tenant}`);
      if (options.json)
        console.log(
          JSON.stringify({
            client_id: registered.client_id,
            client_secret: registered.client_secret,
            scope: registered.scope,
          }),
        );
      else
        console.log(
          `app ${registered.client_id} [${registered.scope}]\nclient secret (shown once): ${registered.client_secret}`,
        );
    });
}
