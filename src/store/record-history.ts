/**
 * "What happened to this deal?": the history of one record asked by its CRM id or its referral
 * id. A linked pair is one story, so the entries of the other side come too (an outbound write is
 * keyed by the CRM record, an inbound one by the referral).
 */
import { CRM_SYSTEMS } from '../domain/crm-record.js';
import type { HistoryRecord } from './history-types.js';
import type { Link, StateStore } from './types.js';


export type HistoryQuery = { crmId: string } | { referralId: string };

export interface RecordHistory {
  /** The links found for the id (none when the record was never linked). */
  links: Pick<Link, 'id' | 'crmSystem' | 'crmKind' | 'crmId' | 'referralId' | 'state'>[];
  /** Newest first. */
  entries: HistoryRecord[];
}

export const DEFAULT_HISTORY_LIMIT = 200;

export async function recordHistory(store: StateStore, query: HistoryQuery, limit = DEFAULT_HISTORY_LIMIT): Promise<RecordHistory> {
  const links =
    'crmId' in query
      ? (await Promise.all(CRM_SYSTEMS.map((system) => store.findLinksByCrmIds(system, [query.crmId])))).flat()
      : await store.findLinksByReferralIds([query.referralId]);
  const crmIds = new Set<string>('crmId' in query ? [query.crmId] : []);
  const referralIds = new Set<string>('referralId' in query ? [query.referralId] : []);
  for (const link of links) {
    if (link.crmId !== null) crmIds.add(link.crmId);
    if (link.referralId !== null) referralIds.add(link.referralId);
  }
  const entries = await store.listHistory({ crmIds: [...crmIds], referralIds: [...referralIds], limit });
  return {
    links: links.map(({ id, crmSystem, crmKind, crmId, referralId, state }) => ({ id, crmSystem, crmKind, crmId, referralId, state })),
    entries,
  };
}
