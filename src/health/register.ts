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
import type { DealRegistration, Referral } from '../domain/referral.js';
import type { EngineDeps, CrmSide } from '../engine/types.js';
import type { RegistrationRecord } from '../store/health-types.js';
import type { Link, StateStore } from '../store/types.js';
import { readContracts, writeStatusesToCrm, type ContractOf, type LinkedDeal, type StatusWrite } from './registration-crm.js';
import { candidateStep, existingRegistration, FINAL_STATUSES, notEligible, registrationFrom, type ContractFields } from './registration-rules.js';

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
      await registerPage({ deps, side, fields, page, eligible, result });
      if (page.length < deps.settings.pageSize) break;
    }
  }
  return result;
}

/** One page of links: Partner Center deal by deal (it has no bulk read), the CRM in one batch each way. */
async function registerPage(args: { deps: RegisterDeps; side: CrmSide; fields: ContractFields; page: readonly Link[]; eligible: ReadonlySet<string>; result: RegisterResult }): Promise<void> {
  const { deps, side, eligible, result } = args;
  const due: { link: LinkedDeal; record: RegistrationRecord | null; step: 'register' | 'refresh' }[] = [];
  for (const link of args.page) {
    if (link.crmSystem !== side.system || link.crmKind !== 'opportunity' || link.referralId === null || link.crmId === null) continue;
    const record = await deps.store.getRegistration(link.referralId);
    const step = candidateStep({ snapshot: link.snapshot, eligible, record });
    if (step !== 'none') due.push({ link: link as LinkedDeal, record, step });
  }
  if (due.length === 0) return;
  const failed = (link: LinkedDeal, error: unknown): void => {
    if (isConnectorError(error) && error.kind === 'conflict') {
      // Another instance changed the referral between our read and our PATCH: the next run looks again.
      deps.logger.info({ referralId: link.referralId }, 'the referral moved while registering; looked at again on the next run');
      return;
    }
    result.failed++;
    deps.logger.warn({ referralId: link.referralId, crmId: link.crmId, err: isConnectorError(error) ? error.toLog() : undefined }, 'deal registration not done; tried again on the next run');
    if (!isConnectorError(error)) throw error;
  };
  const contractOf = await readContracts({ side, fields: args.fields, crmIds: due.filter((d) => d.step === 'register').map((d) => d.link.crmId) });
  const statusWrites: StatusWrite[] = [];
  for (const { link, record, step } of due) {
    try {
      await (step === 'register' ? register : refresh)({ deps, link, record, eligible, result, contractOf, fields: args.fields, statusWrites });
    } catch (error) {
      failed(link, error);
    }
  }
  await writeStatusesToCrm({ store: deps.store, clock: deps.clock, logger: deps.logger, side, writes: statusWrites, failed });
}

interface StepArgs {
  deps: RegisterDeps;
  link: LinkedDeal;
  record: RegistrationRecord | null;
  eligible: ReadonlySet<string>;
  result: RegisterResult;
  fields: ContractFields;
  contractOf: ContractOf;
  /** Statuses to bring into the CRM once the page's Partner Center work is done. */
  statusWrites: StatusWrite[];
}

async function register({ deps, link, record, eligible, result, fields, contractOf, statusWrites }: StepArgs): Promise<void> {
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
    statusWrites.push({ link, registration: existing, then: () => (result.registered += 1) });
    return;
  }
  const refusal = notEligible(referral, eligible);
  if (refusal !== null) {
    if (record !== null) await save({ state: 'refused', detail: refusal });
    return;
  }
  const crmRecord = contractOf(link.crmId);
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
  if (added !== null) statusWrites.push({ link, registration: added, then: () => undefined });
}

async function refresh({ deps, link, record, result, statusWrites }: StepArgs): Promise<void> {
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
  statusWrites.push({ link, registration, then: () => (result.refreshed += 1) });
}

const isFinal = (status: string): boolean => FINAL_STATUSES.has(status);
