/**
 * `countersign key list|create|revoke`: every credential of a tenant, native API keys and the
 * provider surfaces' kinds alike (the same use cases as /v1/api-keys and /v1/credentials). The
 * operator holds the data dir, so the CLI may issue any scope and any lifetime.
 */
import { Option, type Command } from 'commander';
import type { CredentialSummary } from '../core/credential-summary.js';
import { CoreError } from '../core/errors.js';
import type { Scope } from '../core/model.js';
import { SCOPES } from '../core/scopes.js';
import { createApiKey } from '../core/use-cases/create-api-key.js';
import { issueCredential } from '../core/use-cases/issue-credential.js';
import { CREDENTIAL_STATUSES, listCredentials } from '../core/use-cases/list-credentials.js';
import { NATIVE_KEY_KIND } from '../core/use-cases/manage-tenants.js';
import { revokeCredential } from '../core/use-cases/revoke-credential.js';
import { credentialKindsOf, mintableKindsOf } from '../providers/credential-kinds.js';
import { SURFACES } from '../providers/index.js';
import { CLI_CONTEXT, fail, withCommonOptions } from './options.js';
import { requireTenant, withSurfaceContext } from './tenants.js';

const ALL_KINDS = [NATIVE_KEY_KIND, ...credentialKindsOf(SURFACES).map((kind) => kind.kind)];
const MINTABLE = mintableKindsOf(SURFACES);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function jsonOf(summary: CredentialSummary): Record<string, unknown> {
  return {
    id: summary.id,
    kind: summary.kind,
    label: summary.label,
    scopes: summary.scopes,
    status: summary.status,
    lookup_suffix: summary.lookupSuffix,
    created_at: iso(summary.createdAt),
    expires_at: iso(summary.expiresAt),
    revoked_at: iso(summary.revokedAt),
  };
}

function lineOf(summary: CredentialSummary): string {
  const until =
    summary.revokedAt !== null
      ? `revoked ${iso(summary.revokedAt)}`
      : summary.expiresAt !== null
        ? `expires ${iso(summary.expiresAt)}`
        : 'no expiry';
  return `${summary.id}  ${summary.kind}  …${summary.lookupSuffix}  ${summary.status}  [${summary.scopes.join(', ')}]  ${summary.label ?? ''}  (${until})`;
}

/** `--expires-at` as epoch ms: an RFC 3339 date-time (or a date, meaning its start in UTC). */
function parseExpiresAt(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)
    ? Date.parse(text)
    : Number.NaN;
  if (Number.isNaN(ms)) fail(`--expires-at must be a date-time such as 2030-01-31T12:00:00Z (got "${text}")`);
  return ms;
}

function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !SCOPES.includes(scope as Scope));
  if (scopes.length === 0 || unknown.length > 0)
    fail(`unknown scope ${unknown.join(', ') || '(none given)'} (use read, write, admin)`);
  return scopes as Scope[];
}

export function registerKeyCommands(program: Command): void {
  const key = program
    .command('key')
    .description("a tenant's credentials: native API keys and provider credentials (list, create, revoke)");

  withCommonOptions(key.command('list').description("list a tenant's credentials, never their secrets"))
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(ALL_KINDS))
    .addOption(new Option('--status <status>', 'only credentials in this state').choices([...CREDENTIAL_STATUSES]))
    .action(
      async (options: {
        tenant: string;
        kind?: string;
        status?: (typeof CREDENTIAL_STATUSES)[number];
        dataDir?: string;
        json?: boolean;
      }) => {
        const items = await withSurfaceContext(options.dataDir, async ({ deps }) => {
          await requireTenant(deps, options.tenant);
          const all: CredentialSummary[] = [];
          for (let after: string | undefined; ;) {
            const page = await listCredentials(deps, options.tenant, {
              kinds: options.kind ? [options.kind] : ALL_KINDS,
              limit: 1000,
              ...(options.status ? { status: options.status } : {}),
              ...(after ? { after } : {}),
            });
            all.push(...page.items);
            if (page.nextCursor === null) return all;
            after = page.nextCursor;
          }
        });
        if (options.json) console.log(JSON.stringify({ data: items.map(jsonOf) }));
        else if (items.length === 0) console.log('no credentials');
        else for (const item of items) console.log(lineOf(item));
      },
    );

  withCommonOptions(
    key
      .command('create')
      .description('create a native API key, or (--kind) a provider credential; the secret is shown once'),
  )
    .requiredOption('--tenant <id>', 'tenant id')
    .addOption(
      new Option('--kind <kind>', 'what to create')
        .choices([NATIVE_KEY_KIND, ...MINTABLE.map((kind) => kind.kind)])
        .default(NATIVE_KEY_KIND),
    )
    .addOption(new Option('--scopes <list>', `comma-separated scopes of a ${NATIVE_KEY_KIND}`).default('read,write'))
    .option('--label <label>', 'a name for it (shown in the audit trail)')
    .option('--expires-at <date-time>', 'when it stops working, e.g. 2030-01-31T12:00:00Z (default: never)')
    .action(
      async (options: {
        tenant: string;
        kind: string;
        scopes: string;
        label?: string;
        expiresAt?: string;
        dataDir?: string;
        json?: boolean;
      }) => {
        const expiresAt = parseExpiresAt(options.expiresAt);
        const label = options.label ?? null;
        if (options.kind === NATIVE_KEY_KIND) {
          const scopes = parseScopes(options.scopes);
          const issued = await withSurfaceContext(options.dataDir, ({ deps }) =>
            createApiKey(deps, { tenantId: options.tenant, scopes, label, expiresAt, context: CLI_CONTEXT }),
          );
          if (options.json)
            console.log(
              JSON.stringify({
                key_id: issued.credential.id,
                api_key: issued.key,
                scopes: issued.credential.scopes,
                expires_at: iso(issued.credential.expiresAt),
              }),
            );
          else
            console.log(
              `key ${issued.credential.id} [${issued.credential.scopes.join(', ')}] (shown once): ${issued.key}`,
            );
          return;
        }
        const kind = MINTABLE.find((entry) => entry.kind === options.kind)!;
        const { credential, display } = await withSurfaceContext(options.dataDir, async (context) => {
          const minted = kind.mint({ ids: context.deps.ids, sealer: context.sealer }, { label, expiresAt });
          return {
            credential: await issueCredential(context.deps, {
              tenantId: options.tenant,
              credential: minted.credential,
              context: CLI_CONTEXT,
            }),
            display: minted.display,
          };
        });
        if (options.json)
          console.log(JSON.stringify({ ...jsonOf(credential), surface: kind.surface, secret: display }));
        else
          console.log(
            `${kind.surface} credential ${credential.id} (${credential.kind}, shown once): ${JSON.stringify(display)}`,
          );
      },
    );

  withCommonOptions(key.command('revoke').description('revoke a credential of any kind: it stops working at once'))
    .argument('<id>', 'credential id (key list shows them)')
    .requiredOption('--tenant <id>', 'tenant id')
    .action(async (id: string, options: { tenant: string; dataDir?: string; json?: boolean }) => {
      const revoked = await withSurfaceContext(options.dataDir, async ({ deps }) => {
        await requireTenant(deps, options.tenant);
        const result = await revokeCredential(deps, {
          tenantId: options.tenant,
          credentialId: id,
          kinds: ALL_KINDS,
          context: CLI_CONTEXT,
        });
        if (!result)
          throw new CoreError(
            'not_found',
            `tenant ${options.tenant} has no credential ${id} (countersign key list --tenant ${options.tenant} shows them)`,
          );
        return result;
      });
      if (options.json)
        console.log(JSON.stringify({ ...jsonOf(revoked.credential), already_revoked: revoked.alreadyRevoked }));
      else
        console.log(
          revoked.alreadyRevoked ? `${id} was already revoked (${iso(revoked.credential.revokedAt)})` : `revoked ${id}`,
        );
    });
}
