/**
 * The CRM side of a registration run, a page of linked deals at a time: the contracts read in one
 * call, and the registration statuses read and written together once the page's Partner Center
 * work is done. One call per deal would cost a run as many calls as there are won deals, again on
 * every run while a review is pending or a contract is missing.
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { CrmRecord, FieldValue } from '../domain/crm-record.js';
import type { DealRegistration } from '../domain/referral.js';
import type { CrmSide } from '../engine/types.js';
import type { RegistrationRecord } from '../store/health-types.js';
import type { Link, StateStore } from '../store/types.js';
import type { ContractFields } from './registration-rules.js';

export type LinkedDeal = Link & { referralId: string; crmId: string };

/** A page's contract records by CRM id; throws, for the deal that asks, when the page's read failed. */
export type ContractOf = (crmId: string) => CrmRecord | undefined;

export async function readContracts(args: { side: CrmSide; fields: ContractFields; crmIds: readonly string[] }): Promise<ContractOf> {
  if (args.crmIds.length === 0) return () => undefined;
  try {
    const records = await args.side.connector.getRecords({ kind: 'opportunity', ids: args.crmIds, fields: contractFieldList(args.fields) });
    const byId = new Map(records.map((r) => [r.id, r]));
    return (crmId) => byId.get(crmId);
  } catch (error) {
    // Only a deal that gets as far as its contract fails on it (and is tried again on the next
    // run); one whose registration is adopted or refused needs no contract.
    return () => {
      throw error;
    };
  }
}

const contractFieldList = (f: ContractFields): string[] => [f.startDate, f.endDate, f.signDate, f.value, ...(f.term === null ? [] : [f.term])];

/** A registration status to bring into the CRM; `then` runs once it is there (or needs not be). */
export interface StatusWrite {
  link: LinkedDeal;
  registration: DealRegistration;
  then: () => void;
}

/**
 * Writes each registration's status into the mapping's status field, where it names one and the
 * status changed: one read of the field for the page, one guarded update of those that differ.
 * A read or update that fails as a whole goes to `failed` for every deal that waited on it.
 */
export async function writeStatusesToCrm(args: {
  store: StateStore;
  clock: Clock;
  logger: Logger;
  side: CrmSide;
  writes: readonly StatusWrite[];
  failed: (link: LinkedDeal, error: unknown) => void;
}): Promise<void> {
  const { store, side, logger } = args;
  const statusField = side.mapping.health?.registration?.statusField ?? null;
  const due: { write: StatusWrite; record: RegistrationRecord; status: string }[] = [];
  for (const write of args.writes) {
    const status = write.registration.status;
    const record = await store.getRegistration(write.link.referralId);
    if (statusField === null || status === null || record === null || record.statusInCrm === status) write.then();
    else due.push({ write, record, status });
  }
  if (statusField === null || due.length === 0) return;
  let current: Map<string, CrmRecord>;
  const notWritten = new Set<LinkedDeal>();
  try {
    const records = await side.connector.getRecords({ kind: 'opportunity', ids: due.map((d) => d.write.link.crmId), fields: [statusField] });
    current = new Map(records.map((r) => [r.id, r]));
    const changed = due.flatMap((d) => {
      const record = current.get(d.write.link.crmId);
      return record === undefined || record.fields[statusField] === d.status ? [] : [{ link: d.write.link, version: record.version, status: d.status }];
    });
    const outcomes = changed.length === 0 ? [] : await side.connector.updateRecords(changed.map((c) => ({ kind: 'opportunity' as const, id: c.link.crmId, version: c.version, fields: { [statusField]: c.status } as Record<string, FieldValue> })));
    changed.forEach((c, i) => {
      if (outcomes[i]?.ok !== true) notWritten.add(c.link);
    });
  } catch (error) {
    for (const d of due) args.failed(d.write.link, error);
    return;
  }
  for (const { write, record, status } of due) {
    const { link } = write;
    if (notWritten.has(link)) logger.warn({ referralId: link.referralId, crmId: link.crmId }, 'registration status not written to the CRM; tried again on the next run');
    else if (current.has(link.crmId)) await store.saveRegistration({ ...record, statusInCrm: status, updatedAt: args.clock.now().toISOString() });
    write.then();
  }
}
