import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import type { Scope } from '../core/model.js';
import { createApiKey } from '../core/use-cases/manage-tenants.js';
import { verifyTenantAuditChain } from '../core/use-cases/read-audit-trail.js';
import { createTenantWithCredentials } from '../http/surfaces/create-tenant-with-credentials.js';
import type { SurfaceContext } from '../http/surfaces/surface.js';
import { createCoreDeps, createSurfaceContext, openStore } from '../main.js';
import { fail, withCommonOptions } from './options.js';

/** Opens the data dir, runs `fn` with the core, closes. */
export async function withCore<T>(dataDir: string | undefined, fn: (deps: ReturnType<typeof createCoreDeps>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { dataDir });
  const store = openStore(config);
  try {
    return await fn(createCoreDeps(config, store));
  } finally {
    await store.close();
  }
}

/** Opens the data dir with everything a provider surface needs, runs `fn`, closes. */
export async function withSurfaceContext<T>(dataDir: string | undefined, fn: (context: SurfaceContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { dataDir });
  const store = openStore(config);
  try {
    return await fn(createSurfaceContext(config, createCoreDeps(config, store), store));
  } finally {
    await store.close();
  }
}

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants');
  withCommonOptions(tenant.command('create').description('create a tenant and its first (admin) API key'))
    .requiredOption('--name <name>', 'the company or workspace name')
    .action(async (options: { name: string; dataDir?: string; json?: boolean }) => {
      const created = await withSurfaceContext(options.dataDir, (context) => createTenantWithCredentials(context, options.name));
      if (options.json) console.log(JSON.stringify({ tenant_id: created.tenantId, api_key: created.apiKey, ...created.surfaces }));
      else {
        console.log(`tenant ${created.tenantId} (${options.name})\nAPI key (shown once): ${created.apiKey}`);
        for (const [name, display] of Object.entries(created.surfaces)) console.log(`${name}: ${JSON.stringify(display)}`);
      }
    });

  const key = program.command('key').description('manage API keys');
  withCommonOptions(key.command('create').description('create a native API key for a tenant'))
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(new Option('--scopes <list>', 'comma-separated scopes').default('read,write'))
    .option('--label <label>', 'a name for the key')
    .action(async (options: { tenant: string; scopes: string; label?: string; dataDir?: string; json?: boolean }) => {
      const scopes = options.scopes.split(',').map((scope) => scope.trim());
      const unknown = scopes.filter((scope) => !['read', 'write', 'admin'].includes(scope));
      if (unknown.length > 0) fail(`unknown scope ${unknown.join(', ')} (use read, write, admin)`);
      const issued = await withCore(options.dataDir, (deps) => createApiKey(deps, options.tenant, scopes as Scope[], options.label ?? null));
      if (!issued) fail(`no tenant ${options.tenant}`);
      if (options.json) console.log(JSON.stringify({ key_id: issued.id, api_key: issued.key, scopes: issued.scopes }));
      else console.log(`key ${issued.id} [${issued.scopes.join(', ')}] (shown once): ${issued.key}`);
    });

  const audit = program.command('audit').description('the audit trail');
  withCommonOptions(audit.command('verify').description('verify a tenant\'s audit hash chain'))
    .requiredOption('--tenant <id>', 'tenant id')
    .action(async (options: { tenant: string; dataDir?: string; json?: boolean }) => {
      const result = await withCore(options.dataDir, (deps) => verifyTenantAuditChain(deps, options.tenant));
      if (options.json) console.log(JSON.stringify(result));
      else console.log(result.ok ? `ok: ${result.checked} events verified` : `BROKEN at seq ${result.firstBroken?.seq} (${result.firstBroken?.problem}) after ${result.checked} good events`);
      if (!result.ok) process.exitCode = 1;
    });
}
