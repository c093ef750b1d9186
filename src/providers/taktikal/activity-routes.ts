/**
 * Activity logs: the swagger's `GET /signing/activity/{ProcessKey}` (and `/user/`, `/company`) and
 * the newer docs' single company-wide `GET /signing/activity`. StartDate and EndDate are required;
 * Take (default and maximum 10,000) and Skip count activity entries; User keeps the processes that
 * user owns, FlowKey those of that flow, ProcessKey one process.
 */
import type { AuditEvent } from '../../core/model.js';
import { listTenantActivity } from '../../core/use-cases/list-tenant-activity.js';
import { listRequestEvents } from '../../core/use-cases/read-audit-trail.js';
import type { SurfaceContext } from '../surface.js';
import { entriesFor, wrapperFor, type ActivityEntry } from './activity-log.js';
import type { ProcessReader, SequenceView, TaktikalProcess } from './processes.js';
import type { TaktikalRoute } from './routing.js';
import { activityQuerySchema, MAX_ACTIVITY_TAKE, type ActivityQuery } from './schemas.js';
import { parseTaktikal } from './validate.js';

const PAGE_SIZE = 1000;

interface Row {
  readonly process: TaktikalProcess;
  readonly entry: ActivityEntry;
}

function isWanted(process: TaktikalProcess, query: ActivityQuery): boolean {
  if (
    query.User &&
    (process.details?.user ?? process.request.ownerEmail ?? '').toLowerCase() !== query.User.toLowerCase()
  )
    return false;
  if (query.FlowKey && process.details?.flowKey !== query.FlowKey) return false;
  return !query.ProcessKey || process.processKey === query.ProcessKey;
}

function rowsOf(
  events: readonly AuditEvent[],
  processes: ReadonlyMap<string, TaktikalProcess>,
  query: ActivityQuery,
): Row[] {
  return events.flatMap((event) => {
    const process = event.requestId ? processes.get(event.requestId) : undefined;
    if (!process || !isWanted(process, query) || event.createdAt < query.StartDate || event.createdAt >= query.EndDate)
      return [];
    return entriesFor(event, process).map((entry) => ({ process, entry }));
  });
}

export function activityRoutes(context: SurfaceContext, reader: ProcessReader): TaktikalRoute[] {
  const { deps } = context;

  /** Skip/Take over the entries, then one wrapper per process, in order of first appearance. */
  async function wrappersOf(tenantId: string, rows: readonly Row[], query: ActivityQuery) {
    const skip = query.Skip ?? 0;
    const page = rows.slice(skip, skip + (query.Take ?? MAX_ACTIVITY_TAKE));
    const grouped = new Map<string, { process: TaktikalProcess; entries: ActivityEntry[] }>();
    for (const { process, entry } of page) {
      const group = grouped.get(process.processKey) ?? { process, entries: [] };
      group.entries.push(entry);
      grouped.set(process.processKey, group);
    }
    const sequences = new Map<string, SequenceView | undefined>();
    const wrappers = [];
    for (const { process, entries } of grouped.values()) {
      const sequenceId = process.request.sequenceId;
      if (sequenceId && !sequences.has(sequenceId))
        sequences.set(sequenceId, await reader.sequenceById(tenantId, sequenceId));
      wrappers.push(wrapperFor(context, process, entries, sequenceId ? sequences.get(sequenceId) : undefined));
    }
    return wrappers;
  }

  const forProcess: TaktikalRoute['handler'] = async ({ auth, request }) => {
    const query = parseTaktikal(activityQuerySchema, request.query, 'query');
    const processKey = (request.params as { ProcessKey: string }).ProcessKey;
    const process = await reader.find(auth.tenantId, processKey);
    const events = await listRequestEvents(deps, auth.tenantId, process.request.id);
    const rows = rowsOf(events, new Map([[process.request.id, process]]), { ...query, ProcessKey: undefined });
    return { status: 200, body: await wrappersOf(auth.tenantId, rows, query) };
  };

  const forCompany: TaktikalRoute['handler'] = async ({ auth, request }) => {
    const query = parseTaktikal(activityQuerySchema, request.query, 'query');
    const wanted = (query.Skip ?? 0) + (query.Take ?? MAX_ACTIVITY_TAKE);
    const rows: Row[] = [];
    for (let offset = 0; rows.length < wanted; offset += PAGE_SIZE) {
      const page = await listTenantActivity(deps, auth.tenantId, {
        from: query.StartDate,
        to: query.EndDate,
        skip: offset,
        take: PAGE_SIZE,
      });
      const processes = await reader.describe(auth.tenantId, [...page.requests.values()]);
      rows.push(...rowsOf(page.events, new Map(processes.map((process) => [process.request.id, process])), query));
      if (page.events.length < PAGE_SIZE) break;
    }
    return { status: 200, body: await wrappersOf(auth.tenantId, rows, query) };
  };

  return [
    { method: 'GET', path: '/signing/activity', handler: forCompany },
    { method: 'GET', path: '/signing/activity/company', handler: forCompany },
    { method: 'GET', path: '/signing/activity/user', handler: forCompany },
    { method: 'GET', path: '/signing/activity/user/', handler: forCompany },
    { method: 'GET', path: '/signing/activity/:ProcessKey', handler: forProcess },
  ];
}
