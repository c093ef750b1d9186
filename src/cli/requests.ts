import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { isCoreError } from '../core/errors.js';
import { NOTIFY_POLICIES, type NotifyPolicy } from '../core/model.js';
import { cancelSignatureRequestsBatch, type BatchItemResult } from '../core/use-cases/cancel-signature-requests-batch.js';
import { withCore } from './tenants.js';
import { fail, withCommonOptions } from './options.js';

const CHUNK = 500;

export function registerRequestCommands(program: Command): void {
  const requests = program.command('requests').description('signature requests');
  withCommonOptions(requests.command('cancel').description('cancel one or more requests (ids as arguments, or one per line in --file)'))
    .argument('[ids...]', 'request ids')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--file <path>', 'file with one request id per line')
    .option('--reason <text>', 'internal reason')
    .option('--message <text>', 'message to the signers')
    .option('--reason-code <code>', 'reason code')
    .addOption(new Option('--notify <policy>', 'who is told').choices([...NOTIFY_POLICIES]).default('pending'))
    .option('--actor <email>', 'who cancels', 'cli')
    .option('--dry-run', 'report what would happen, change nothing')
    .action(async (args: string[], options: {
      tenant: string; file?: string; reason?: string; message?: string; reasonCode?: string; notify: NotifyPolicy;
      actor: string; dryRun?: boolean; dataDir?: string; json?: boolean;
    }) => {
      const fromFile = options.file ? readFileSync(options.file, 'utf8').split(/\r?\n/).map((line) => line.trim()).filter(Boolean) : [];
      const ids = [...new Set([...args, ...fromFile])];
      if (ids.length === 0) fail('name at least one request id (arguments or --file)');
      const bar = !options.json && ids.length > 1 && process.stderr.isTTY ? new SingleBar({ stream: process.stderr }, Presets.shades_classic) : undefined;
      bar?.start(ids.length, 0);
      const items: BatchItemResult[] = [];
      await withCore(options.dataDir, async (deps) => {
        for (let start = 0; start < ids.length; start += CHUNK) {
          const chunk = ids.slice(start, start + CHUNK);
          try {
            const result = await cancelSignatureRequestsBatch(deps, {
              tenantId: options.tenant, ids: chunk, dryRun: options.dryRun === true, notify: options.notify,
              reason: options.reason ?? null, message: options.message ?? null, reasonCode: options.reasonCode ?? null,
              context: { actor: { type: 'user', id: options.actor, display: options.actor }, surface: 'cli' },
            });
            items.push(...result.items);
          } catch (error) {
            if (isCoreError(error)) fail(error.message);
            throw error;
          }
          bar?.update(Math.min(start + CHUNK, ids.length));
        }
      });
      bar?.stop();
      const refused = items.filter((item) => item.outcome === 'refused');
      if (options.json) {
        console.log(JSON.stringify({ total: items.length, cancelled: items.length - refused.length, refused: refused.length, items }));
      } else {
        console.log(`${options.dryRun ? 'would cancel' : 'cancelled'}: ${items.length - refused.length}, refused: ${refused.length}`);
        for (const item of refused) if (item.outcome === 'refused') console.log(`  ${item.id}: ${item.code}`);
      }
      if (refused.length > 0) process.exitCode = 1;
    });
}
