import type { EmuRequest, Router } from '../../shared/http.js';
import { floorTo, formatDateTime, parseDateTime } from '../model/datetime.js';
import { tableOf } from '../model/dml.js';
import { requestError } from '../model/sf-error.js';
import type { SfContext } from './context.js';
import { api, sfResponse } from './respond.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const ID_LIMIT = 600_000;

/**
 * The `start` / `end` window of Get Updated / Get Deleted (Salesforce REST API Developer Guide, "sObject Get Updated" / "sObject Get Deleted"): `+00:00` or `Z` datetimes,
 * whole minutes (seconds ignored), `end` not before `start`, `start` within the retention window.
 */
function windowOf(ctx: SfContext, req: EmuRequest, retentionDays: number): { start: number; end: number; covered: number } {
  const rawStart = req.query.get('start');
  const rawEnd = req.query.get('end');
  if (rawStart === null || rawEnd === null) throw requestError(400, 'MISSING_ARGUMENT', 'start and end are required');
  const start = parseDateTime(rawStart);
  const end = parseDateTime(rawEnd);
  if (start === undefined || end === undefined) throw requestError(400, 'INVALID_REPLICATION_DATE', `invalid date: ${start === undefined ? rawStart : rawEnd}`);
  const now = ctx.clock.now().getTime();
  if (end < start) throw requestError(400, 'INVALID_REPLICATION_DATE', 'EndDate can not be before StartDate');
  if (ctx.options.enforceReplicationWindow && start < now - retentionDays * DAY) {
    throw requestError(400, 'INVALID_REPLICATION_DATE', `startDate must be within the last ${retentionDays} days`);
  }
  const startMinute = floorTo(start, MINUTE);
  const endMinute = floorTo(end, MINUTE);
  // latestDateCovered never runs past the current minute: later writes may still be in flight.
  return { start: startMinute, end: endMinute, covered: Math.min(endMinute, floorTo(now, MINUTE)) };
}

/** `GET /sobjects/<Type>/updated` and `/deleted`, with or without a trailing slash ("sObject Get Updated" / "sObject Get Deleted"). */
export function addReplicationRoutes(router: Router, ctx: SfContext): void {
  const updated = api(ctx, (req) => {
    const table = tableOf(ctx.org, req.params['type'] ?? '');
    const w = windowOf(ctx, req, 30);
    const ids: string[] = [];
    for (const id of table.stamps.scan({ from: w.start })) {
      const row = table.get(id);
      if (!row || (row['SystemModstamp'] as number) >= w.covered) break;
      if (row['IsDeleted'] !== true) ids.push(id);
    }
    if (ids.length > ID_LIMIT) throw requestError(400, 'EXCEEDED_ID_LIMIT', 'too many ids; narrow the time window');
    return sfResponse(ctx, 200, { ids, latestDateCovered: formatDateTime(w.covered) });
  });
  const deleted = api(ctx, (req) => {
    const table = tableOf(ctx.org, req.params['type'] ?? '');
    const w = windowOf(ctx, req, 15);
    const type = table.schema.def.name;
    const deletedRecords = [...ctx.org.deletedEntries()]
      .filter((e) => e.type === type && e.deletedDate >= w.start && e.deletedDate < w.covered)
      .sort((a, b) => a.deletedDate - b.deletedDate)
      .map((e) => ({ id: e.id, deletedDate: formatDateTime(e.deletedDate) }));
    if (deletedRecords.length > ID_LIMIT) throw requestError(400, 'EXCEEDED_ID_LIMIT', 'too many ids; narrow the time window');
    return sfResponse(ctx, 200, {
      deletedRecords,
      earliestDateAvailable: formatDateTime(ctx.org.deleteLogStart),
      latestDateCovered: formatDateTime(w.covered),
    });
  });
  for (const suffix of ['', '/']) {
    router.add('GET', `/services/data/:version/sobjects/:type/updated${suffix}`, updated, 'GET updated');
    router.add('GET', `/services/data/:version/sobjects/:type/deleted${suffix}`, deleted, 'GET deleted');
  }
}
