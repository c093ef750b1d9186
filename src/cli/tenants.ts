import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { CoreError } from '../core/errors.js';
import type { CoreDeps } from '../core/ports.js';
import { getTenant, listTenants } from '../core/use-cases/read-tenants.js';
import { verifyTenantAuditChain } from '../core/use-cases/read-audit-trail.js';
import { createTenantWithCredentials } from '../providers/create-tenant-with-credentials.js';
import type { SurfaceContext } from '../providers/surface.js';
import { createCoreDeps, createSurfaceContext } from '../main.js';
import { databasePath, openStore, type OpenedStore } from '../storage/open-store.js';
import { withCommonOptions } from './options.js';

/**
 * Opens the data dir's store. A command that finds no database there says so on stderr: a tenant
 * or key made in a database no server reads would only ever get 401s.
 */
function openForCommand(dataDir: string | undefined): { config: Config; store: OpenedStore } {
  const config = loadConfig(process.env, { dataDir });
  const fresh = !existsSync(databasePath(config));
  const store = openStore(config);
  if (fresh)
    console.error(
      `countersign: no database in ${resolve(config.dataDir)} yet: created one (a server must use this data dir, --data-dir, to see what this command makes)`,
    );
  return { config, store };
}

/** Opens the data dir, runs `fn` with the core, closes. */
export async function withCore<T>(
  dataDir: string | undefined,
  fn: (deps: ReturnType<typeof createCoreDeps>) => Promise<T>,
): Promise<T> {
  const { config, store } = openForCommand(dataDir);
  try {
    return await fn(createCoreDeps(config, store));
  } finally {
    await store.close();
  }
}

/** Opens the data dir with everything a provider surface needs, runs `fn`, closes. */
export async function withSurfaceContext<T>(
  dataDir: string | undefined,
  fn: (context: SurfaceContext) => Promise<T>,
): Promise<T> {
  const { config, store } = openForCommand(dataDir);
  try {
    return await fn(createSurfaceContext(config, createCoreDeps(config, store)));
  } finally {
    await store.close();
  }
}

/** The data dir a command uses, absolute, for the operator to compare with the server's. */
export function dataDirOf(dataDir: string | undefined): string {
  return resolve(loadConfig(process.env, { dataDir }).dataDir);
}

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants');
  withCommonOptions(tenant.command('create').description('create a tenant and its first (admin) API key'))
    .requiredOption('--name <name>', 'the company or workspace name')
    .action(async (options: { name: string; dataDir?: string; json?: boolean }) => {
      const created = await withSurfaceContext(options.dataDir, (context) =>
        createTenantWithCredentials(context, options.name),
      );
      const dir = dataDirOf(options.dataDir);
      if (options.json)
        console.log(
          JSON.stringify({ tenant_id: created.tenantId, api_key: created.apiKey, ...created.surfaces, data_dir: dir }),
        );
      else {
        console.log(`tenant ${created.tenantId} (${options.name}) in ${dir}\nAPI key (shown once): ${created.apiKey}`);
        for (const [name, display] of Object.entries(created.surfaces))
          console.log(`${name}: ${JSON.stringify(display)}`);
      }
    });

  withCommonOptions(tenant.command('list').description('list every tenant of the data dir')).action(
    async (options: { dataDir?: string; json?: boolean }) => {
      const tenants = await withCore(options.dataDir, (deps) => listTenants(deps));
      const dir = dataDirOf(options.dataDir);
      if (options.json) {
        console.log(
          JSON.stringify({
            data_dir: dir,
            data: tenants.map((entry) => ({
              id: entry.id,
              name: entry.name,
              created_at: new Date(entry.createdAt).toISOString(),
            })),
          }),
        );
        return;
      }
      console.log(`${tenants.length} tenant(s) in ${dir}`);
      for (const entry of tenants)
        console.log(`${entry.id}  ${new Date(entry.createdAt).toISOString()}  ${entry.name}`);
    },
  );

  const audit = program.command('audit').description('the audit trail');
  withCommonOptions(audit.command('verify').description("verify a tenant's audit hash chain"))
    .requiredOption('--tenant <id>', 'tenant id')
    .action(async (options: { tenant: string; dataDir?: string; json?: boolean }) => {
      const result = await withCore(options.dataDir, async (deps) => {
        await requireTenant(deps, options.tenant);
        return verifyTenantAuditChain(deps, options.tenant);
      });
      if (options.json) console.log(JSON.stringify(result));
      else
        console.log(
          result.ok
            ? `ok: ${result.checked} events verified`
            : `BROKEN at seq ${result.firstBroken?.seq} (${result.firstBroken?.problem}) after ${result.checked} good events`,
        );
      if (!result.ok) process.exitCode = 1;
    });
}

/** Refuses an unknown tenant by name: a typo would otherwise read as "nothing there" or "nothing to do". */
export async function requireTenant(deps: CoreDeps, tenantId: string): Promise<void> {
  if (!(await getTenant(deps, tenantId)))
    throw new CoreError('not_found', `no tenant ${tenantId} (countersign tenant list shows them)`);
}
