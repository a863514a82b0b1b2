/**
 * Work left half done survives restarts: links stuck in `creating` or `writeBackPending` (a
 * crash between two writes) and failed records whose backoff has run out are taken up again at
 * the start of each cycle, through the same code paths as fresh changes.
 */
import type { CrmObjectKind } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { FailureRecord } from '../store/types.js';
import { processCrmRecords } from './outbound.js';
import { readFieldsFor } from './read-fields.js';
import { processReferrals } from './inbound.js';
import { forEachLimit, type RunRecorder } from './recorder.js';
import { crmKeyPrefix, REFERRAL_KEY_PREFIX, referralKey } from './record-keys.js';
import type { CrmSide, EngineDeps } from './types.js';

const HEAL_PAGE = 200;

export async function healPendingLinks(args: { deps: EngineDeps; side: CrmSide; recorder: RunRecorder }): Promise<void> {
  const { deps, side, recorder } = args;
  for (const state of ['creating', 'writeBackPending'] as const) {
    let afterId: string | undefined;
    for (;;) {
      const page = await deps.store.listLinks({ state, limit: HEAL_PAGE, ...(afterId === undefined ? {} : { afterId }) });
      if (page.length === 0) break;
      afterId = page.at(-1)?.id;
      const ours = page.filter((l) => l.crmSystem === side.system && l.origin === 'crm' && l.crmId !== null);
      for (const kind of ['opportunity', 'lead'] as const) {
        const ids = ours.filter((l) => l.crmKind === kind).map((l) => l.crmId as string);
        if (ids.length > 0) await reprocess({ deps, side, kind, ids, recorder });
      }
      if (page.length < HEAL_PAGE) break;
    }
  }
}

/** The failures due now whose key starts with `keyPrefix`, a page at a time (each page retried before the next is read). */
async function forEachDuePage(deps: EngineDeps, keyPrefix: string, fn: (page: readonly FailureRecord[]) => Promise<void>): Promise<void> {
  const dueBefore = deps.clock.now().toISOString();
  let after: FailureRecord | undefined;
  for (;;) {
    const page = await deps.store.listDueFailures({ dueBefore, keyPrefix, limit: HEAL_PAGE, ...(after === undefined ? {} : { after }) });
    if (page.length === 0) return;
    after = page.at(-1);
    await fn(page);
    if (page.length < HEAL_PAGE) return;
  }
}

export async function retryDueFailures(args: { deps: EngineDeps; side: CrmSide; recorder: RunRecorder }): Promise<void> {
  const { deps, side, recorder } = args;
  await forEachDuePage(deps, crmKeyPrefix(side.system), async (due) => {
    const byKind = new Map<CrmObjectKind, string[]>();
    for (const failure of due) {
      const [system, kind, id] = failure.key.split(':');
      if (system !== side.system || !id || (kind !== 'opportunity' && kind !== 'lead')) continue;
      byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
    }
    for (const [kind, ids] of byKind) await reprocess({ deps, side, kind, ids, recorder });
  });
}

export async function retryDueReferralFailures(args: { deps: EngineDeps; recorder: RunRecorder }): Promise<void> {
  const { deps, recorder } = args;
  await forEachDuePage(deps, REFERRAL_KEY_PREFIX, async (due) => {
    const ids = due.map((f) => f.key.slice(REFERRAL_KEY_PREFIX.length));
    const referrals: Referral[] = [];
    await forEachLimit(ids, deps.options.writeConcurrency, async (id) => {
      const referral = await deps.partnerCenter.getReferral(id);
      if (referral) referrals.push(referral);
      else if (!recorder.dryRun) await deps.store.clearFailure(referralKey(id));
    });
    if (referrals.length > 0) await processReferrals({ deps, referrals, recorder });
  });
}

async function reprocess(args: { deps: EngineDeps; side: CrmSide; kind: CrmObjectKind; ids: string[]; recorder: RunRecorder }): Promise<void> {
  const { deps, side, kind, ids, recorder } = args;
  for (let i = 0; i < ids.length; i += HEAL_PAGE) {
    const records = await side.connector.getRecords({ kind, ids: ids.slice(i, i + HEAL_PAGE), fields: await readFieldsFor(side, kind) });
    await processCrmRecords({ deps, side, records, recorder });
  }
}
