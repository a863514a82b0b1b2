/**
 * One sync cycle per direction. Pages stream from the source, the next one read while one is
 * worked on (read-ahead.ts); outbound, the records of all pages flow through one pipeline
 * (pipeline.ts) and a page's cursor is stored only after every record in it and in the pages
 * before it is committed (or stored as a failure), so a crash re-reads a page, never skips one.
 * A run is recorded with per-record outcomes. An error about a whole system (sign-in, reachability, a
 * field the org lacks) stops the cycle once, with one message, and fills no failure list.
 */
import type { CrmObjectKind } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import { readOnlyStore } from './dry-run-store.js';
import { healPendingLinks, retryDueFailures, retryDueReferralFailures } from './heal.js';
import { processReferrals } from './inbound.js';
import { readAhead } from './read-ahead.js';
import { CREATES_REFERRALS, processCrmPages } from './outbound.js';
import type { WorkPage } from './pipeline.js';
import { readFieldsFor } from './read-fields.js';
import { crmKey, CycleStoppedError, referralKey, RunRecorder } from './recorder.js';
import { emptyReport, type CrmSide, type CycleReport, type EngineDeps } from './types.js';

export const cursorKey = {
  crm: (side: CrmSide, kind: string): string => `${side.system}:${kind}`,
  partnerCenter: 'partnerCenter:referrals',
};

async function withRun(
  given: EngineDeps,
  kind: string,
  direction: CycleReport['direction'],
  /** The CRM the cycle reads or writes, named on every cycle line (inbound lands in the first CRM). */
  crm: string | null,
  body: (deps: EngineDeps, report: CycleReport) => Promise<void>,
): Promise<CycleReport> {
  const deps = given.options.dryRun ? { ...given, store: readOnlyStore(given.store) } : given;
  const startedAt = deps.clock.now().toISOString();
  const run = deps.options.dryRun ? { id: `dry-run-${startedAt}` } : await deps.store.startRun({ kind, startedAt });
  const report = emptyReport(run.id, direction);
  const log = deps.logger.child({ runId: run.id, direction, crm, loop: kind });
  log.info({ dryRun: deps.options.dryRun }, 'cycle started');
  try {
    await body(deps, report);
    if (!deps.options.dryRun) {
      await deps.store.finishRun({ id: run.id, finishedAt: deps.clock.now().toISOString(), status: 'succeeded', summary: counts(report) });
    }
    log.info(counts(report), 'cycle finished');
    return report;
  } catch (error) {
    if (!deps.options.dryRun) {
      await deps.store.finishRun({ id: run.id, finishedAt: deps.clock.now().toISOString(), status: 'failed', summary: counts(report) });
    }
    if (error instanceof CycleStoppedError) log.error({ reason: error.message }, `cycle stopped: ${error.message}`);
    else log.error({ err: error }, 'cycle failed; the next one starts from the last committed page');
    throw error;
  }
}

function counts(report: CycleReport): Record<string, number> {
  const { read, written, skipped, failed, held } = report;
  return { read, written, skipped, failed, held };
}

/**
 * The object kinds the outbound pass reads: those that become referrals, and any other kind that
 * has links (an inbound lead accepted or declined in the CRM must reach Partner Center).
 */
async function outboundKinds(deps: EngineDeps, side: CrmSide): Promise<CrmObjectKind[]> {
  const kinds: CrmObjectKind[] = [];
  for (const kind of ['opportunity', 'lead'] as const) {
    if (CREATES_REFERRALS[kind] || (await deps.store.hasLinks({ crmSystem: side.system, crmKind: kind }))) kinds.push(kind);
  }
  return kinds;
}

/** CRM -> Partner Center for one CRM: every object kind that flows out. */
export async function runOutbound(given: EngineDeps, side: CrmSide, signal?: AbortSignal): Promise<CycleReport> {
  return withRun(given, `outbound:${side.system}`, 'outbound', side.system, async (deps, report) => {
    const recorder = new RunRecorder(deps, report, 'outbound', side.system);
    await healPendingLinks({ deps, side, recorder });
    await retryDueFailures({ deps, side, recorder });
    await processCrmPages({ deps, side, recorder, pages: changedPages({ deps, side, report, recorder, signal }), ...(signal ? { signal } : {}) });
    await recorder.flush();
  });
}

/** The changes of every kind that flows out, page by page, each committing its own cursor. */
async function* changedPages(args: { deps: EngineDeps; side: CrmSide; report: CycleReport; recorder: RunRecorder; signal: AbortSignal | undefined }): AsyncGenerator<WorkPage> {
  const { deps, side, report, recorder, signal } = args;
  for (const kind of await outboundKinds(deps, side)) {
    const key = cursorKey.crm(side, kind);
    const cursor = await deps.store.getCursor(key);
    const fields = await readFieldsFor(side, kind);
    for await (const page of readAhead(side.connector.readChanges({ kind, fields, cursor, ...(signal ? { signal } : {}) }))) {
      report.read += page.items.length;
      recorder.read(page.items.map((r) => ({ key: crmKey(side.system, r.kind, r.id), detail: `changed ${r.stamp}` })));
      yield {
        items: page.items,
        deleted: { kind, ids: page.deletedIds },
        ...(deps.options.dryRun ? {} : { commit: () => deps.store.setCursor(key, page.cursor) }),
      };
    }
  }
}

/** Partner Center -> CRM: every referral changed since the cursor. */
export async function runInbound(given: EngineDeps, signal?: AbortSignal): Promise<CycleReport> {
  return withRun(given, 'inbound', 'inbound', given.crms[0]?.system ?? null, async (deps, report) => {
    const recorder = new RunRecorder(deps, report, 'inbound', 'partnerCenter');
    await retryDueReferralFailures({ deps, recorder });
    const cursor = await deps.store.getCursor(cursorKey.partnerCenter);
    for await (const page of readAhead(deps.partnerCenter.listChanged({ cursor, ...(signal ? { signal } : {}) }))) {
      report.read += page.items.length;
      recorder.read(page.items.map((r) => ({ key: referralKey(r.id), detail: `changed ${r.updatedDateTime}` })));
      await processReferrals({ deps, referrals: page.items, recorder });
      await recorder.flush();
      if (!deps.options.dryRun) await deps.store.setCursor(cursorKey.partnerCenter, page.cursor);
      if (signal?.aborted) break;
    }
    await recorder.flush();
  });
}

/** One group of referrals that webhooks named, fetched already: handled like a polled page, as one run. */
export async function runReferralGroup(given: EngineDeps, referrals: readonly Referral[]): Promise<CycleReport> {
  return withRun(given, 'webhook', 'inbound', given.crms[0]?.system ?? null, async (deps, report) => {
    const recorder = new RunRecorder(deps, report, 'inbound', 'partnerCenter');
    report.read = referrals.length;
    recorder.read(referrals.map((r) => ({ key: referralKey(r.id), detail: `changed ${r.updatedDateTime} (webhook)` })));
    await processReferrals({ deps, referrals, recorder, writeBack: 'nextCycle' });
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
