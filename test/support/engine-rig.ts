/**
 * The real engine wired to the in-memory fakes (test/support/fake-crm.ts, fake-partner-center.ts),
 * the default Salesforce mapping and a real SQLite store in memory: what an engine unit test
 * drives. A test acts as people do (a seller edits the CRM, Microsoft answers in Partner Center)
 * and asserts what each system and the store then hold.
 */
import type { Logger } from 'pino';
import { readFileSync } from 'node:fs';
import { parseMapping, type Mapping } from '../../mappings/index.js';
import type { CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import { runCycle, runInbound, runOutbound } from '../../src/engine/cycle.js';
import type { CrmSide, CycleReport, EngineDeps, EngineOptions } from '../../src/engine/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { Link, StateStore } from '../../src/store/types.js';
import { loadDefault, mappingPath } from '../mappings/fixtures.js';
import { FakeClock } from './fake-clock.js';
import { FakeCrm } from './fake-crm.js';
import { FakePartnerCenter, type FakePartnerCenterOptions } from './fake-partner-center.js';
import { logSink } from './log-sink.js';
import { salesforceSchema } from './salesforce-schema.js';

export const SOLUTION = 'SOL-15974-MQF';
export const START = Date.parse('2026-03-02T09:00:00.000Z');

export interface Rig {
  clock: FakeClock;
  crm: FakeCrm;
  pc: FakePartnerCenter;
  store: StateStore;
  deps: EngineDeps;
  side: CrmSide;
  mapping: Mapping;
  log: { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string };
  /** A seller creates an opportunity flagged to sync (a private deal unless the fields say more). */
  opportunity(fields?: Record<string, FieldValue>): string;
  /** A seller edits a record, a couple of seconds after anything before. */
  edit(id: string, fields: Record<string, FieldValue>): void;
  outbound(options?: Partial<EngineOptions>): Promise<CycleReport>;
  inbound(options?: Partial<EngineOptions>): Promise<CycleReport>;
  cycle(options?: Partial<EngineOptions>): Promise<CycleReport[]>;
  linkOf(crmId: string): Promise<Link | undefined>;
  linkOfReferral(referralId: string): Promise<Link | undefined>;
  /** The CRM record holding this referral id in its referral-id field. */
  recordOf(referralId: string): CrmRecord | null;
  /** Moves time on (backoffs run out, stamps move to a later second). */
  later(ms?: number): void;
  close(): Promise<void>;
}

export async function engineRig(
  args: { pc?: Partial<Omit<FakePartnerCenterOptions, 'clock'>>; options?: Partial<EngineOptions>; pageSize?: number; mapping?: Mapping } = {},
): Promise<Rig> {
  const clock = new FakeClock(START);
  const crm = new FakeCrm('salesforce', { clock, schema: salesforceSchema(), pageSize: args.pageSize ?? 50 });
  const pc = new FakePartnerCenter({ clock, solutionId: SOLUTION, coSellMode: 'twoReferrals', ...args.pc });
  const store = await openStore({ kind: 'sqlite', path: ':memory:' }, { clock });
  const mapping = args.mapping ?? loadDefault('salesforce');
  const side: CrmSide = { system: 'salesforce', connector: crm, mapping };
  const log = logSink();
  const deps: EngineDeps = {
    store,
    partnerCenter: pc,
    crms: [side],
    logger: log.logger,
    clock,
    ctx: { timeZone: 'UTC' },
    options: { deletePolicy: 'closeAsLost', dryRun: false, retry: { baseDelayMs: 60_000, maxDelayMs: 30 * 60_000, maxAttempts: 5 }, writeConcurrency: 4, ...args.options },
  };
  const later = (ms = 2000): void => {
    clock.t += ms;
  };
  const withOptions = (options: Partial<EngineOptions> = {}): EngineDeps => ({ ...deps, options: { ...deps.options, ...options } });
  const rig: Rig = {
    clock,
    crm,
    pc,
    store,
    deps,
    side,
    mapping,
    log,
    opportunity: (fields = {}) => {
      later();
      return crm.insert('opportunity', { ...sellerOpportunity(), ...fields });
    },
    edit: (id, fields) => {
      later();
      crm.edit(id, fields);
    },
    outbound: (options) => {
      later(1000);
      return runOutbound(withOptions(options), side);
    },
    inbound: (options) => {
      later(1000);
      return runInbound(withOptions(options));
    },
    cycle: (options) => {
      later(1000);
      return runCycle(withOptions(options));
    },
    linkOf: async (crmId) => (await store.findLinksByCrmIds('salesforce', [crmId]))[0],
    linkOfReferral: async (referralId) => (await store.findLinksByReferralIds([referralId]))[0],
    recordOf: (referralId) => {
      for (const kind of ['opportunity', 'lead'] as const) {
        const id = crm.ids(kind).find((i) => crm.read(i)?.['Referral_Id__c'] === referralId);
        if (id) return crm.record(id);
      }
      return null;
    },
    later,
    close: () => store.close(),
  };
  return rig;
}

/** The default Salesforce mapping with one rule's conflict policy changed (an admin's edited copy). */
export function mappingWithPolicy(crmField: string, policy: string): Mapping {
  const text = readFileSync(mappingPath('salesforce'), 'utf8');
  // The rule's `policy:` line, after any other lines of the same rule (indented, not a new `- `).
  const rule = new RegExp(`(crm: ${crmField.replace(/[.]/g, '\\.')}\\n(?: {6}(?!policy:).*\\n)*? {6}policy: )\\w+`);
  if (!rule.test(text)) throw new Error(`no rule for ${crmField} with a policy`);
  const parsed = parseMapping({ text: text.replace(rule, `$1${policy}`), file: 'salesforce-edited.yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

/** An opportunity as a seller fills it in, with its account, a customer contact and the seller. */
export function sellerOpportunity(): Record<string, FieldValue> {
  return {
    Name: 'Northwind - Azure landing zone',
    StageName: 'Qualification',
    CloseDate: '2026-06-30',
    Amount: 50000,
    CurrencyIsoCode: 'USD',
    Description: 'Landing zone for 3 subscriptions',
    Decline_Reason__c: null,
    Referral_Status__c: null,
    Sync_With_Partner_Center__c: true,
    Referral_Id__c: null,
    Microsoft_Help__c: null,
    Share_With_Microsoft__c: false,
    Solution_Ids__c: SOLUTION,
    Partner_Center_Campaign__c: null,
    'Account.Name': 'Northwind Traders',
    'Account.BillingStreet': '4 Pier Rd',
    'Account.BillingCity': 'Seattle',
    'Account.BillingState': 'WA',
    'Account.BillingPostalCode': '98101',
    'Account.BillingCountryCode': 'US',
    'Account.BillingCountry': 'United States',
    'Account.DUNS__c': null,
    OpportunityContactRoles: [{ 'Contact.FirstName': 'Ana', 'Contact.LastName': 'Lopez', 'Contact.Email': 'ana@northwind.example', 'Contact.Phone': null, 'Contact.Title': 'CTO', IsPrimary: true }],
    OpportunityTeamMembers: [{ 'User.FirstName': 'Sam', 'User.LastName': 'Seller', 'User.Email': 'sam@partner.example', 'User.Title': 'AE' }],
  };
}
