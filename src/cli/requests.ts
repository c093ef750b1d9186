/** `countersign requests cancel`: bulk cancel by ids or a file of ids, resumable (already cancelled counts as done), with a summary. */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { NOTIFY_POLICIES, type NotifyPolicy } from '../core/model.js';
import {
  cancelSignatureRequestsBatch,
  type BatchItemResult,
} from '../core/use-cases/cancel-signature-requests-batch.js';
import { requireTenant, withCore } from './tenants.js';
import { fail, withCommonOptions } from './options.js';

const CHUNK = 500;

function readIdFile(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      `cannot read --file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`,
    );
  }
}

interface Summary {
  readonly cancelled: number;
  readonly already_cancelled: number;
  /** Refusals other than "already cancelled" and unknown ids. */
  readonly refused: number;
  readonly refused_by_reason: Record<string, number>;
  readonly unknown: number;
}

/** A re-run finds the requests it cancelled before already cancelled: those count as done, not refused. */
function summarize(items: readonly BatchItemResult[]): Summary {
  const byReason: Record<string, number> = {};
  let cancelled = 0;
  let alreadyCancelled = 0;
  let unknown = 0;
  for (const item of items) {
    if (item.outcome !== 'refused') cancelled += 1;
    else if (item.code === 'already_cancelled') alreadyCancelled += 1;
    else if (item.code === 'not_found') unknown += 1;
    else byReason[item.code] = (byReason[item.code] ?? 0) + 1;
  }
  const refused = Object.values(byReason).reduce((sum, count) => sum + count, 0);
  return { cancelled, already_cancelled: alreadyCancelled, refused, refused_by_reason: byReason, unknown };
}

function summaryLine(summary: Summary, dryRun: boolean): string {
  const reasons = Object.entries(summary.refused_by_reason)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  return (
    `${dryRun ? 'would cancel' : 'cancelled'}: ${summary.cancelled}, already cancelled: ${summary.already_cancelled}, ` +
    `refused: ${summary.refused}${reasons ? ` (${reasons})` : ''}, unknown: ${summary.unknown}`
  );
}

export function registerRequestCommands(program: Command): void {
  const requests = program.command('requests').description('signature requests');
  withCommonOptions(
    requests.command('cancel').description('cancel one or more requests (ids as arguments, or one per line in --file)'),
  )
    .argument('[ids...]', 'request ids')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--file <path>', 'file with one request id per line')
    .option('--reason <text>', 'internal reason')
    .option('--message <text>', 'message to the signers')
    .option('--reason-code <code>', 'reason code')
    .addOption(new Option('--notify <policy>', 'who is told').choices([...NOTIFY_POLICIES]).default('pending'))
    .option('--actor <email>', 'who cancels', 'cli')
    .option('--dry-run', 'report what would happen, change nothing')
    .action(
      async (
        args: string[],
        options: {
          tenant: string;
          file?: string;
          reason?: string;
          message?: string;
          reasonCode?: string;
          notify: NotifyPolicy;
          actor: string;
          dryRun?: boolean;
          dataDir?: string;
          json?: boolean;
        },
      ) => {
        const fromFile = options.file ? readIdFile(options.file) : [];
        const ids = [...new Set([...args, ...fromFile])];
        if (ids.length === 0) fail('name at least one request id (arguments or --file)');
        const bar =
          !options.json && ids.length > 1 && process.stderr.isTTY
            ? new SingleBar({ stream: process.stderr }, Presets.shades_classic)
            : undefined;
        bar?.start(ids.length, 0);
        const items: BatchItemResult[] = [];
        await withCore(options.dataDir, async (deps) => {
          await requireTenant(deps, options.tenant);
          for (let start = 0; start < ids.length; start += CHUNK) {
            const chunk = ids.slice(start, start + CHUNK);
            // A chunk that fails as a whole ends the command (src/cli/main.ts prints it); the chunks before it are
            // committed, and a re-run counts them as already cancelled.
            const result = await cancelSignatureRequestsBatch(deps, {
              tenantId: options.tenant,
              ids: chunk,
              dryRun: options.dryRun === true,
              notify: options.notify,
              reason: options.reason ?? null,
              message: options.message ?? null,
              reasonCode: options.reasonCode ?? null,
              context: { actor: { type: 'user', id: options.actor, display: options.actor }, surface: 'cli' },
            });
            items.push(...result.items);
            bar?.update(Math.min(start + CHUNK, ids.length));
          }
        });
        bar?.stop();
        const summary = summarize(items);
        if (options.json) console.log(JSON.stringify({ total: items.length, ...summary, items }));
        else {
          for (const item of items)
            if (item.outcome === 'refused' && item.code !== 'already_cancelled')
              console.log(`  ${item.id}: ${item.code}`);
          console.log(summaryLine(summary, options.dryRun === true));
        }
        // Already cancelled is done, so a re-run after an interruption succeeds; anything else refused or unknown is not.
        if (summary.refused > 0 || summary.unknown > 0) process.exitCode = 1;
      },
    );
}
