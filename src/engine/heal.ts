/**
 * Work left half done survives restarts: links stuck in `creating` or `writeBackPending` (a
 * crash between two writes) and failed records whose backoff has run out are taken up again at
 * the start of each cycle, through the same code paths as fresh changes.
 */
import { processCrmRecords } from './outbound.js';
import { processReferrals } from './inbound.js';
import type { RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';
import type { CrmObjectKind } from '../domain/crm-record.js';

const HEAL_PAGE = 200;

export async function healPendingLinks(args: { deps: EngineDeps; side: CrmSide; recorder: RunRecorder }): Promise<void> {
  const { deps, side, recorder } = args;
  for (const state of ['creating', 'writeBackPending'] as const) {
    const links = (await deps.store.listLinks({ state, limit: HEAL_PAGE })).filter(
      (l) => l.crmSystem === side.system && l.origin === 'crm' && l.crmId !== null,
    );
    await reprocess({ deps, side, kind: 'opportunity', ids: links.map((l) => l.crmId as string), recorder });
  }
}

export async function retryDueFailures(args: { deps: EngineDeps; side: CrmSide; recorder: RunRecorder }): Promise<void> {
  const { deps, side, recorder } = args;
  const due = await deps.store.listFailures({ dueBefore: deps.clock.now().toISOString() });
  const byKind = new Map<CrmObjectKind, string[]>();
  for (const failure of due) {
    const [system, kind, id] = failure.key.split(':');
    if (system !== side.system || !id || (kind !== 'opportunity' && kind !== 'lead')) continue;
    byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
  }
  for (const [kind, ids] of byKind) await reprocess({ deps, side, kind, ids, recorder });
}

export async function retryDueReferralFailures(args: { deps: EngineDeps; recorder: RunRecorder }): Promise<void> {
  const { deps, recorder } = args;
  const due = await deps.store.listFailures({ dueBefore: deps.clock.now().toISOString() });
  const ids = due.filter((f) => f.key.startsWith('referral:')).map((f) => f.key.slice('referral:'.length));
  const referrals = [];
  for (const id of ids) {
    const referral = await deps.partnerCenter.getReferral(id);
    if (referral) referrals.push(referral);
    else await deps.store.clearFailure(`referral:${id}`);
  }
  if (referrals.length > 0) await processReferrals({ deps, referrals, recorder });
}

async function reprocess(args: { deps: EngineDeps; side: CrmSide; kind: CrmObjectKind; ids: string[]; recorder: RunRecorder }): Promise<void> {
  const { deps, side, kind, ids, recorder } = args;
  for (let i = 0; i < ids.length; i += HEAL_PAGE) {
    const records = await side.connector.getRecords({ kind, ids: ids.slice(i, i + HEAL_PAGE), fields: side.mapping[kind].readFields });
    await processCrmRecords({ deps, side, records, recorder });
  }
}
