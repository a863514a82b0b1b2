/**
 * What the status page and its JSON show: connector health, loops, recent runs, held conflicts and
 * failed records. Lists of people are shown as counts only.
 */
import type { EngineDeps } from '../engine/types.js';
import { idsOfKey } from '../engine/history.js';
import { loopStatus, type LoopSchedule } from './loop-status.js';

/** The sync loops the page reports on, and the time zone their schedules run in. */
export interface ScheduledLoops {
  loops: readonly LoopSchedule[];
  timeZone: string;
}

/**
 * Held conflicts and failed records shown at most, each: the oldest conflicts and the failures due
 * soonest. The totals are counted; `cosell-sync conflicts list` and `failures list` show them all.
 * A page of 12,000 failures was megabytes of HTML built in the daemon's memory at every refresh.
 */
export const SHOWN_PER_LIST = 100;

export async function statusSnapshot(deps: EngineDeps, schedules: ScheduledLoops = { loops: [], timeZone: 'UTC' }) {
  const [runs, conflicts, failures, open, links, loops] = await Promise.all([
    deps.store.listRuns(10),
    deps.store.listConflicts({ open: true, limit: SHOWN_PER_LIST }),
    deps.store.listFailures({ limit: SHOWN_PER_LIST }),
    deps.store.countOpen(),
    deps.store.countLinks(),
    loopStatus({ store: deps.store, ...schedules }),
  ]);
  return {
    connectors: {
      partnerCenter: deps.partnerCenter.health(),
      ...Object.fromEntries(deps.crms.map((s) => [s.system, s.connector.health()])),
    },
    loops,
    links,
    runs,
    /** How many there are in all; `conflicts` and `failures` hold at most SHOWN_PER_LIST of them. */
    open,
    conflicts: await Promise.all(
      conflicts.map(async (c) => {
        const link = await deps.store.getLink(c.linkId);
        return {
          ...c,
          crmId: link?.crmId ?? null,
          referralId: link?.referralId ?? null,
          crmValue: summarise(c.crmValue),
          partnerCenterValue: summarise(c.partnerCenterValue),
          base: summarise(c.base),
        };
      }),
    ),
    failures: failures.map(({ payload: _payload, ...f }) => ({ ...f, ...idsOfKey(f.key) })),
  };
}

/** Lists of people are shown as a count: names and emails stay out of the page. */
function summarise(value: unknown): unknown {
  return Array.isArray(value) ? `${value.length} item(s)` : value;
}

export type StatusSnapshot = Awaited<ReturnType<typeof statusSnapshot>>;
