/**
 * One sync cycle per direction. Pages stream from the source; each page is processed and its
 * cursor stored only after every record in it is committed (or stored as a failure), so a crash
 * re-reads a page, never skips one. A run is recorded with per-record outcomes.
 */
import { processReferrals } from './inbound.js';
import { processCrmRecords } from './outbound.js';
import { applyDeletes } from './deletes.js';
import { healPendingLinks, retryDueFailures, retryDueReferralFailures } from './heal.js';
import { RunRecorder } from './recorder.js';
import { emptyReport, type CrmSide, type CycleReport, type EngineDeps } from './types.js';

export const cursorKey = {
  crm: (side: CrmSide, kind: string): string => `${side.system}:${kind}`,
  partnerCenter: 'partnerCenter:referrals',
};

async function withRun(
  deps: EngineDeps,
  kind: string,
  direction: CycleReport['direction'],
  body: (report: CycleReport) => Promise<void>,
): Promise<CycleReport> {
  const startedAt = deps.clock.now().toISOString();
  const run = deps.options.dryRun ? { id: `dry-run-${startedAt}` } : await deps.store.startRun({ kind, startedAt });
  const report = emptyReport(run.id, direction);
  const log = deps.logger.child({ runId: run.id, direction });
  log.info({ kind, dryRun: deps.options.dryRun }, 'cycle started');
  try {
    await body(report);
    if (!deps.options.dryRun) {
      await deps.store.finishRun({ id: run.id, finishedAt: deps.clock.now().toISOString(), status: 'succeeded', summary: counts(report) });
    }
    log.info(counts(report), 'cycle finished');
    return report;
  } catch (error) {
    if (!deps.options.dryRun) {
      await deps.store.finishRun({ id: run.id, finishedAt: deps.clock.now().toISOString(), status: 'failed', summary: counts(report) });
    }
    log.error({ err: error }, 'cycle failed; the next one starts from the last committed page');
    throw error;
  }
}

function counts(report: CycleReport): Record<string, number> {
  const { read, written, skipped, failed, held } = report;
  return { read, written, skipped, failed, held };
}

/** CRM -> Partner Center for one CRM, opportunities (the outbound object). */
export async function runOutbound(deps: EngineDeps, side: CrmSide, signal?: AbortSignal): Promise<CycleReport> {
  return withRun(deps, `outbound:${side.system}`, 'outbound', async (report) => {
    const recorder = new RunRecorder(deps, report, 'outbound', side.system);
    await healPendingLinks({ deps, side, recorder });
    await retryDueFailures({ deps, side, recorder });
    const kind = 'opportunity' as const;
    const key = cursorKey.crm(side, kind);
    const cursor = await deps.store.getCursor(key);
    const fields = side.mapping.opportunity.readFields;
    for await (const page of side.connector.readChanges({ kind, fields, cursor, ...(signal ? { signal } : {}) })) {
      report.read += page.items.length;
      await processCrmRecords({ deps, side, records: page.items, recorder });
      await applyDeletes({ deps, side, kind, deletedIds: page.deletedIds, recorder });
      await recorder.flush();
      if (!deps.options.dryRun) await deps.store.setCursor(key, page.cursor);
      if (signal?.aborted) break;
    }
    await recorder.flush();
  });
}

/** Partner Center -> CRM: every referral changed since the cursor. */
export async function runInbound(deps: EngineDeps, signal?: AbortSignal): Promise<CycleReport> {
  return withRun(deps, 'inbound', 'inbound', async (report) => {
    const recorder = new RunRecorder(deps, report, 'inbound', 'partnerCenter');
    await retryDueReferralFailures({ deps, recorder });
    const cursor = await deps.store.getCursor(cursorKey.partnerCenter);
    for await (const page of deps.partnerCenter.listChanged({ cursor, ...(signal ? { signal } : {}) })) {
      report.read += page.items.length;
      await processReferrals({ deps, referrals: page.items, recorder });
      await recorder.flush();
      if (!deps.options.dryRun) await deps.store.setCursor(cursorKey.partnerCenter, page.cursor);
      if (signal?.aborted) break;
    }
    await recorder.flush();
  });
}

/** Referrals named by webhooks: fetched one by one and handled like a polled page. */
export async function runReferralEvents(deps: EngineDeps, referralIds: readonly string[]): Promise<CycleReport> {
  return withRun(deps, 'webhook', 'inbound', async (report) => {
    const recorder = new RunRecorder(deps, report, 'inbound', 'partnerCenter');
    const referrals = [];
    for (const id of referralIds) {
      const referral = await deps.partnerCenter.getReferral(id);
      if (referral) referrals.push(referral);
    }
    report.read = referrals.length;
    await processReferrals({ deps, referrals, recorder });
    await recorder.flush();
  });
}

/** Both directions for every CRM, outbound first. */
export async function runCycle(deps: EngineDeps, args: { direction?: 'in' | 'out'; signal?: AbortSignal } = {}): Promise<CycleReport[]> {
  const reports: CycleReport[] = [];
  if (args.direction !== 'in') {
    for (const side of deps.crms) reports.push(await runOutbound(deps, side, args.signal));
  }
  if (args.direction !== 'out') reports.push(await runInbound(deps, args.signal));
  return reports;
}
