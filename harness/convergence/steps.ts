/**
 * What can happen in a partner's day, as a table: each step kind has how fast-check draws it and
 * what it does to the world. People edit both systems (sometimes in the same second as the
 * daemon's write), Microsoft sends and answers, referrals expire, the network fails in the ways
 * the vendors' documentation allows (429 with Retry-After, 503, resets, answers lost after the
 * write was applied), and daemon processes are killed at any boundary.
 */
import fc from 'fast-check';
import { runCycle } from '../../src/engine/cycle.js';
import { runReferralEvents } from '../../src/engine/referral-events.js';
import { CycleStoppedError } from '../../src/engine/recorder.js';
import { isConnectorError } from '../../connectors/errors.js';
import type { FaultRule } from '../../sandbox/shared/faults.js';
import type { Story, TrackedRecord } from './model.js';
import type { World } from './world.js';

export type Step =
  | { kind: 'share'; dealType: 'private' | 'partnerLed' | 'coSell' }
  | { kind: 'crmEdit'; rec: number; field: 'Name' | 'Amount' | 'CloseDate'; value: number; sameSecond: boolean }
  | { kind: 'crmClose'; rec: number; won: boolean }
  | { kind: 'unflag'; rec: number }
  | { kind: 'crmDelete'; rec: number }
  | { kind: 'pcEdit'; rec: number; field: 'name' | 'dealValue'; value: number }
  | { kind: 'pcClose'; rec: number; won: boolean }
  | { kind: 'inbound'; category: 'lead' | 'coSellInvite' }
  | { kind: 'sellerAnswer'; rec: number; accept: boolean }
  | { kind: 'microsoftAnswer'; rec: number; accept: boolean }
  | { kind: 'expire' }
  | { kind: 'faults'; system: 'partnerCenter' | 'salesforce'; fault: keyof typeof FAULTS }
  | { kind: 'cycle'; direction: 'both' | 'in' | 'out'; killAt: number | null }
  | { kind: 'webhook'; rec: number; killAt: number | null }
  | { kind: 'wait'; seconds: number };

/** Faults as the vendors' documentation allows them; `none` heals the network. */
export const FAULTS = {
  none: [],
  throttle: [{ errorRate: 0.3, errorStatus: 429, retryAfterSeconds: 1 }],
  unavailable: [{ errorRate: 0.3, errorStatus: 503 }],
  reset: [{ resetRate: 0.2 }],
  lostAnswer: [{ method: 'POST', lostAnswerRate: 0.4 }, { method: 'PATCH', lostAnswerRate: 0.4 }],
} as const satisfies Record<string, FaultRule[]>;

const rec = fc.nat({ max: 50 });
/** Where a process dies: most of the time at one of its first calls (a cycle makes 10 to 60). */
const killAt = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }) });

/** How a story opens: records to work with. */
export const openingArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('share' as const), dealType: fc.constantFrom('private' as const, 'partnerLed' as const, 'coSell' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('inbound' as const), category: fc.constantFrom('lead' as const, 'coSellInvite' as const) }) },
);

/** How often each kind of step is drawn. */
export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('share' as const), dealType: fc.constantFrom('private' as const, 'partnerLed' as const, 'coSell' as const) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('crmEdit' as const), rec, field: fc.constantFrom('Name' as const, 'Amount' as const, 'CloseDate' as const), value: fc.integer({ min: 1, max: 9_999 }), sameSecond: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmClose' as const), rec, won: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unflag' as const), rec }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmDelete' as const), rec }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pcEdit' as const), rec, field: fc.constantFrom('name' as const, 'dealValue' as const), value: fc.integer({ min: 1, max: 9_999 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pcClose' as const), rec, won: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('inbound' as const), category: fc.constantFrom('lead' as const, 'coSellInvite' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sellerAnswer' as const), rec, accept: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('microsoftAnswer' as const), rec, accept: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('faults' as const), system: fc.constantFrom('partnerCenter' as const, 'salesforce' as const), fault: fc.constantFrom(...(Object.keys(FAULTS) as (keyof typeof FAULTS)[])) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('cycle' as const), direction: fc.constantFrom('both' as const, 'in' as const, 'out' as const), killAt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('webhook' as const), rec, killAt }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 0, max: 120 }) }) },
);

const DAY = 86_400_000;
const closeDate = (value: number): string => new Date(Date.UTC(2027, 0, 1) + (value % 700) * DAY).toISOString().slice(0, 10);
/** The CRM field and Partner Center path a step's value goes to, and the value each side holds. */
export const VALUE_FIELDS = {
  Name: { path: 'name', crm: (v: number) => `Deal ${v}` },
  Amount: { path: 'details.dealValue', crm: (v: number) => v * 100 },
  CloseDate: { path: 'details.closingDateTime', crm: closeDate },
} as const;
export const PC_FIELDS = {
  name: { crmField: 'Name' as const, patch: '/name', value: (v: number) => `Deal ${v}` },
  dealValue: { crmField: 'Amount' as const, patch: '/details/dealValue', value: (v: number) => v * 100 },
} as const;

type Row = Record<string, unknown>;

export async function applyStep(world: World, story: Story, step: Step): Promise<void> {
  const sf = world.sandbox.salesforce!.control;
  const pc = world.sandbox.partnerCenter.control;
  const pick = (index: number, want?: (r: TrackedRecord) => boolean): TrackedRecord | undefined => {
    const candidates = story.records.filter((r) => !r.deleted && (want ? want(r) : true));
    return candidates.length === 0 ? undefined : candidates[index % candidates.length];
  };
  switch (step.kind) {
    case 'share': {
      const [contact] = sf.query({ soql: 'SELECT Id, AccountId FROM Contact LIMIT 1' }) as { Id: string; AccountId: string }[];
      const value = story.records.length + 1;
      const made = sf.createRecord({
        type: 'Opportunity',
        fields: {
          Name: `Deal ${value}`,
          AccountId: contact!.AccountId,
          StageName: 'Qualification',
          CloseDate: closeDate(value),
          Amount: value * 100,
          CurrencyIsoCode: 'USD',
          Sync_With_Partner_Center__c: true,
          ...(step.dealType === 'partnerLed' ? { Share_With_Microsoft__c: true } : {}),
          ...(step.dealType === 'coSell' ? { Microsoft_Help__c: 'GeneralOrOther', Solution_Ids__c: 'SOL-15974-MQF' } : {}),
        },
      });
      if (!made.id) throw new Error(`the sandbox refused a flagged opportunity: ${JSON.stringify(made.errors)}`);
      if (step.dealType === 'coSell') sf.createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: made.id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
      story.records.push({ origin: 'crm', object: 'Opportunity', crmId: made.id, referralId: null, dealType: step.dealType, deleted: false, unflagged: false, closed: false, edits: [] });
      return;
    }
    case 'crmEdit': {
      const r = pick(step.rec, (x) => x.object === 'Opportunity' && crmIdOf(world, x) !== null);
      if (!r) return;
      const value = VALUE_FIELDS[step.field].crm(step.value);
      const args = { type: 'Opportunity', id: crmIdOf(world, r)!, fields: { [step.field]: value } };
      // A person's edit can share a second only with a write made this very second.
      const lastWrite = Date.parse(String(sf.getRecord({ type: 'Opportunity', id: args.id })?.['SystemModstamp']));
      const sameSecond = step.sameSecond && world.sandbox.clock.now().getTime() - lastWrite < 1_000;
      const saved = sameSecond ? sf.editInSameSecond(args) : sf.editRecord(args);
      if (saved.success) r.edits.push({ side: 'crm', path: VALUE_FIELDS[step.field].path, crmField: step.field, value });
      return;
    }
    case 'crmClose': {
      const r = pick(step.rec, (x) => x.object === 'Opportunity' && crmIdOf(world, x) !== null);
      if (!r) return;
      if (sf.editRecord({ type: 'Opportunity', id: crmIdOf(world, r)!, fields: { StageName: step.won ? 'Closed Won' : 'Closed Lost' } }).success) r.closed = true;
      return;
    }
    case 'unflag': {
      const r = pick(step.rec, (x) => crmIdOf(world, x) !== null);
      if (!r) return;
      if (sf.editRecord({ type: r.object, id: crmIdOf(world, r)!, fields: { Sync_With_Partner_Center__c: false } }).success) r.unflagged = true;
      return;
    }
    case 'crmDelete': {
      const r = pick(step.rec, (x) => crmIdOf(world, x) !== null);
      if (!r) return;
      if (sf.deleteRecord({ type: r.object, id: crmIdOf(world, r)! }).success) r.deleted = true;
      return;
    }
    case 'pcEdit': {
      const r = pick(step.rec, (x) => x.origin === 'crm');
      const referralId = r ? await referralIdOf(world, r) : null;
      if (!r || !referralId) return;
      const field = PC_FIELDS[step.field];
      const value = field.value(step.value);
      if (attempt(() => pc.editAsUser({ id: referralId, changes: [{ op: 'replace', path: field.patch, value }] }))) {
        r.edits.push({ side: 'partnerCenter', path: VALUE_FIELDS[field.crmField].path, crmField: field.crmField, value });
      }
      return;
    }
    case 'pcClose': {
      const r = pick(step.rec, (x) => x.origin === 'crm');
      const referralId = r ? await referralIdOf(world, r) : null;
      if (!r || !referralId) return;
      if (attempt(() => pc.editAsUser({ id: referralId, changes: { status: 'Closed', substatus: step.won ? 'Won' : 'Lost' } }))) r.closed = true;
      return;
    }
    case 'inbound': {
      const referral = pc.createInbound({ category: step.category });
      story.records.push({ origin: 'partnerCenter', object: step.category === 'lead' ? 'Lead' : 'Opportunity', crmId: null, referralId: referral.id, dealType: null, deleted: false, unflagged: false, closed: false, edits: [] });
      return;
    }
    case 'sellerAnswer': {
      const r = pick(step.rec, (x) => x.origin === 'partnerCenter' && crmIdOf(world, x) !== null);
      if (!r) return;
      const fields = r.object === 'Lead' ? { Status: step.accept ? 'Working - Contacted' : 'Closed - Not Converted' } : { StageName: step.accept ? 'Qualification' : 'Declined' };
      sf.editRecord({ type: r.object, id: crmIdOf(world, r)!, fields });
      return;
    }
    case 'microsoftAnswer': {
      const r = pick(step.rec, (x) => x.dealType === 'coSell');
      const link = r?.crmId ? (await world.store.findLinksByCrmIds('salesforce', [r.crmId]))[0] : undefined;
      if (link?.engagementId) attempt(() => pc.microsoftRespond({ engagementId: link.engagementId!, decision: step.accept ? 'accept' : 'decline' }));
      return;
    }
    case 'expire':
      world.sandbox.clock.advance(15 * DAY);
      pc.tick();
      return;
    case 'faults':
      (step.system === 'partnerCenter' ? world.sandbox.partnerCenter.server : world.sandbox.salesforce!.server).faults.set([...FAULTS[step.fault]]);
      return;
    case 'cycle': {
      const result = await world.process((deps) => runCycle(deps, step.direction === 'both' ? {} : { direction: step.direction }), step.killAt);
      await afterProcess(world, story, result);
      return;
    }
    case 'webhook': {
      const r = pick(step.rec);
      const referralId = r ? await referralIdOf(world, r) : null;
      if (!referralId) return;
      await afterProcess(world, story, await world.process((deps) => runReferralEvents(deps, [referralId]), step.killAt));
      return;
    }
    case 'wait':
      world.sandbox.clock.advance(step.seconds * 1_000);
      return;
  }
}

/** A person's action the service refuses (editing a closed referral) simply did not happen. */
function attempt(action: () => unknown): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}

/** After a process ends: a lapsed Partner Center sign-in is renewed, as an operator would. */
async function afterProcess(world: World, story: Story, result: { outcome: string; error?: unknown }): Promise<void> {
  story.stats.processes++;
  if (result.outcome === 'killed') story.stats.killed++;
  if (result.outcome !== 'failed') return;
  story.stats.failed++;
  const cause = result.error instanceof CycleStoppedError ? result.error.reason : result.error;
  if (isConnectorError(cause) && cause.kind === 'auth') await world.signIn();
}

/** The CRM record of a tracked record: known for shared ones, found by referral id for inbound ones. */
export function crmIdOf(world: World, r: TrackedRecord): string | null {
  if (r.crmId !== null || r.referralId === null) return r.crmId;
  const [row] = world.sandbox.salesforce!.control.query({ soql: `SELECT Id FROM ${r.object} WHERE Referral_Id__c = '${r.referralId}'` }) as Row[];
  if (row) r.crmId = row['Id'] as string;
  return r.crmId;
}

export async function referralIdOf(world: World, r: TrackedRecord): Promise<string | null> {
  if (r.referralId !== null) return r.referralId;
  const [link] = r.crmId ? await world.store.findLinksByCrmIds('salesforce', [r.crmId]) : [];
  return link?.referralId ?? null;
}
