/**
 * Registers won co-sell deals in Partner Center and brings each registration's status back into
 * the CRM (opt-in: `health.registrations.enabled`). Exactly once across restarts and instances:
 * the store holds `registering` before the PATCH, a later run reads the referral before adding
 * again (adopting a registration an earlier run made), and the PATCH carries the eTag just read,
 * so a concurrent writer gets 412 rather than a second registration.
 */
import type { Logger } from 'pino';
import { isConnectorError } from '../../connectors/errors.js';
import type { HealthConfig } from '../config/schema/health.js';
import type { Clock } from '../core/clock.js';
import type { FieldValue } from '../domain/crm-record.js';
import type { DealRegistration, Referral } from '../domain/referral.js';
import type { EngineDeps, CrmSide } from '../engine/types.js';
import type { RegistrationRecord } from '../store/health-types.js';
import type { Link, StateStore } from '../store/types.js';
import { candidateStep, existingRegistration, FINAL_STATUSES, notEligible, registrationFrom } from './registration-rules.js';

export interface RegisterDeps {
  store: StateStore;
  clock: Clock;
  logger: Logger;
  partnerCenter: EngineDeps['partnerCenter'];
  crms: readonly CrmSide[];
  settings: HealthConfig['registrations'];
}

export interface RegisterResult {
  registered: number;
  /** Registrations whose status was read again (and written to the CRM when it changed). */
  refreshed: number;
  /** Won deals whose CRM record lacks a contract field; named in the record's detail. */
  waiting: number;
  refused: number;
  failed: number;
}

export async function registerWonDeals(deps: RegisterDeps): Promise<RegisterResult> {
  const result: RegisterResult = { registered: 0, refreshed: 0, waiting: 0, refused: 0, failed: 0 };
  if (!deps.settings.enabled) return result;
  const eligible = new Set(deps.settings.solutions);
  for (const side of deps.crms) {
    const fields = side.mapping.health?.registration ?? null;
    if (fields === null) continue;
    let afterId: string | undefined;
    for (;;) {
      const page = await deps.store.listLinks({ state: 'linked', limit: deps.settings.pageSize, ...(afterId === undefined ? {} : { afterId }) });
      if (page.length === 0) break;
      afterId = page[page.length - 1]!.id;
      for (const link of page) {
        if (link.crmSystem !== side.system || link.crmKind !== 'opportunity' || link.referralId === null || link.crmId === null) continue;
        const record = await deps.store.getRegistration(link.referralId);
        const step = candidateStep({ snapshot: link.snapshot, eligible, record });
        if (step === 'none') continue;
        try {
          await (step === 'register' ? register : refresh)({ deps, side, link: link as LinkedDeal, record, eligible, result });
        } catch (error) {
          if (isConnectorError(error) && error.kind === 'conflict') {
            // Another instance changed the referral between our read and our PATCH: the next run looks again.
            deps.logger.info({ referralId: link.referralId }, 'the referral moved while registering; looked at again on the next run');
            continue;
          }
          result.failed++;
          deps.logger.warn({ referralId: link.referralId, crmId: link.crmId, err: isConnectorError(error) ? error.toLog() : undefined }, 'deal registration not done; tried again on the next run');
          if (!isConnectorError(error)) throw error;
        }
      }
      if (page.length < deps.settings.pageSize) break;
    }
  }
  return result;
}

type LinkedDeal = Link & { referralId: string; crmId: string };

interface StepArgs {
  deps: RegisterDeps;
  side: CrmSide;
  link: LinkedDeal;
  record: RegistrationRecord | null;
  eligible: ReadonlySet<string>;
  result: RegisterResult;
}

async function register({ deps, side, link, record, eligible, result }: StepArgs): Promise<void> {
  const { store, partnerCenter, logger } = deps;
  const now = () => deps.clock.now().toISOString();
  const referral = await partnerCenter.getReferral(link.referralId);
  if (referral === null) return;
  const save = (over: Partial<RegistrationRecord> & Pick<RegistrationRecord, 'state'>) =>
    store.saveRegistration({ referralId: link.referralId, registrationId: null, status: null, statusInCrm: record?.statusInCrm ?? null, attemptedAt: record?.attemptedAt ?? now(), updatedAt: now(), detail: null, ...over });

  const existing = existingRegistration(referral);
  if (existing !== null) {
    // Added by an earlier run that stopped before saving (or by hand in Partner Center): adopted, not added again.
    await save({ state: 'registered', registrationId: existing.id, status: existing.status });
    await writeStatusToCrm({ deps, side, link, registration: existing });
    result.registered++;
    return;
  }
  const refusal = notEligible(referral, eligible);
  if (refusal !== null) {
    if (record !== null) await save({ state: 'refused', detail: refusal });
    return;
  }
  const fields = side.mapping.health!.registration!;
  const [crmRecord] = await side.connector.getRecords({ kind: 'opportunity', ids: [link.crmId], fields: contractFieldList(fields) });
  if (crmRecord === undefined) return;
  const value = registrationFrom({ referral, eligible, fields, record: crmRecord.fields });
  if (!value.ok) {
    await save({ state: 'waiting', detail: value.error.join('; ') });
    result.waiting++;
    return;
  }
  await save({ state: 'registering', attemptedAt: now() });
  let updated: Referral;
  try {
    updated = await partnerCenter.updateReferral({ id: referral.id, eTag: referral.eTag, patch: [{ op: 'add', path: '/registrations/-', value: value.value }] });
  } catch (error) {
    if (isConnectorError(error) && error.kind === 'invalid') {
      await save({ state: 'refused', detail: `Partner Center refused the registration: ${error.message}` });
      result.refused++;
      return;
    }
    throw error;
  }
  const added = existingRegistration(updated);
  await save({ state: 'registered', registrationId: added?.id ?? null, status: added?.status ?? null });
  logger.info({ referralId: referral.id, crmId: link.crmId, status: added?.status ?? null }, 'won deal registered in Partner Center');
  result.registered++;
  if (added !== null) await writeStatusToCrm({ deps, side, link, registration: added });
}

async function refresh({ deps, side, link, record, result }: StepArgs): Promise<void> {
  if (record === null) return;
  let registration: DealRegistration | null = { id: record.registrationId, type: null, status: record.status, statusReason: null, registrationDateTime: null };
  if (record.status === null || !isFinal(record.status)) {
    const referral = await deps.partnerCenter.getReferral(link.referralId);
    registration = referral === null ? null : existingRegistration(referral);
    if (registration === null) return;
    if (registration.status !== record.status) {
      await deps.store.saveRegistration({ ...record, registrationId: registration.id, status: registration.status, updatedAt: deps.clock.now().toISOString(), detail: registration.statusReason });
      deps.logger.info({ referralId: link.referralId, status: registration.status }, 'deal registration status changed');
    }
  }
  await writeStatusToCrm({ deps, side, link, registration });
  result.refreshed++;
}

const isFinal = (status: string): boolean => FINAL_STATUSES.has(status);

/** Writes the registration's status into the mapping's status field, when it names one and it changed. */
async function writeStatusToCrm(args: { deps: RegisterDeps; side: CrmSide; link: LinkedDeal; registration: DealRegistration }): Promise<void> {
  const { deps, side, link, registration } = args;
  const statusField = side.mapping.health?.registration?.statusField ?? null;
  const status = registration.status;
  const record = await deps.store.getRegistration(link.referralId);
  if (statusField === null || status === null || record === null || record.statusInCrm === status) return;
  const [current] = await side.connector.getRecords({ kind: 'opportunity', ids: [link.crmId], fields: [statusField] });
  if (current === undefined) return;
  if (current.fields[statusField] !== status) {
    const fields: Record<string, FieldValue> = { [statusField]: status };
    const [outcome] = await side.connector.updateRecords([{ kind: 'opportunity', id: link.crmId, version: current.version, fields }]);
    if (outcome === undefined || !outcome.ok) {
      deps.logger.warn({ referralId: link.referralId, crmId: link.crmId }, 'registration status not written to the CRM; tried again on the next run');
      return;
    }
  }
  await deps.store.saveRegistration({ ...record, statusInCrm: status, updatedAt: deps.clock.now().toISOString() });
}

const contractFieldList = (f: NonNullable<NonNullable<CrmSide['mapping']['health']>['registration']>): string[] =>
  [f.startDate, f.endDate, f.signDate, f.value, ...(f.term === null ? [] : [f.term])];
