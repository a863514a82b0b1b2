/**
 * What a registration run costs the CRM: a page of linked won deals is read and written in
 * batches, so the Salesforce calls grow with the pages of links, not with the deals. Partner
 * Center has no bulk read (each referral is read by id), so its calls stay one per deal.
 * Sandbox emulators, real connectors, real mapping, real SQLite store.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HealthConfig } from '../../src/config/schema/health.js';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { registerWonDeals, type RegisterDeps } from '../../src/health/register.js';
import { createLogger } from '../../src/logging/index.js';
import { SANDBOX_SOLUTION_ID } from '../../sandbox/start-sandbox.js';
import { sandboxTime, startHarness, type Harness } from '../support/sandbox-harness.js';

const DAY = 86_400_000;
const DEALS = 40;
const PAGE = 20;
const PAGES = Math.ceil(DEALS / PAGE);
const CONTRACT = { Contract_Start_Date__c: '2027-01-01', Contract_End_Date__c: '2029-12-31', Contract_Sign_Date__c: '2026-12-15', Contract_Term__c: 'Finite' };
const ON: HealthConfig['registrations'] = { enabled: true, solutions: [SANDBOX_SOLUTION_ID], schedule: '*/15 * * * *', pageSize: PAGE };

describe('deal registration reads and writes the CRM a page of deals at a time', () => {
  let h: Harness;
  let ids: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ size: 12, sandbox: { salesforce: { participatingRate: 0 }, partnerCenter: { microsoft: { acceptanceRate: 0, noResponseRate: 1 } } } });
    ids = await wonCoSellDeals(DEALS);
  }, 120_000);
  afterAll(() => h.close());

  const sf = () => h.sandbox.salesforce!.control;
  const pc = () => h.sandbox.partnerCenter.control;
  const deps = (): RegisterDeps => ({
    store: h.store,
    clock: sandboxTime(h.sandbox),
    logger: createLogger({ level: 'silent', pretty: false }),
    partnerCenter: h.engine.deps.partnerCenter,
    crms: h.engine.deps.crms,
    settings: ON,
  });
  const links = async () => h.store.findLinksByCrmIds('salesforce', ids);
  const status = (id: string): unknown => sf().getRecord({ type: 'Opportunity', id })?.['Registration_Status__c'];
  /** Salesforce API calls during `run` (signing in again aside). */
  async function salesforceCalls<T>(run: () => Promise<T>): Promise<{ value: T; calls: number; partnerCenterCalls: number }> {
    const stats = h.sandbox.salesforce!.server.stats;
    stats.reset();
    h.sandbox.partnerCenter.server.stats.reset();
    const value = await run();
    // The session that expired while the clock moved days on costs one refused call and a new token.
    const calls = stats.log().filter((e) => !/token/i.test(e.path) && e.status !== 401).length;
    return { value, calls, partnerCenterCalls: h.sandbox.partnerCenter.server.stats.total() };
  }

  /** Sellers' co-sell deals, accepted by Microsoft, then won with their contract filled in. */
  async function wonCoSellDeals(count: number): Promise<string[]> {
    const [account] = sf().query({ soql: 'SELECT Id FROM Account WHERE BillingCountryCode != null LIMIT 1' }) as { Id: string }[];
    const [contact] = sf().query({ soql: `SELECT Id FROM Contact WHERE AccountId = '${account!.Id}' LIMIT 1` }) as { Id: string }[];
    const created = Array.from({ length: count }, (_, i) => {
      const opp = sf().createRecord({
        type: 'Opportunity',
        fields: { Name: `Contoso expansion ${i + 1}`, AccountId: account!.Id, StageName: 'Qualification', CloseDate: '2027-03-31', Amount: 1000 * (i + 1), CurrencyIsoCode: 'USD', Sync_With_Partner_Center__c: true, Microsoft_Help__c: 'CustomerTechnicalArchitecture', Solution_Ids__c: SANDBOX_SOLUTION_ID },
      });
      if (!opp.id) throw new Error(JSON.stringify(opp.errors));
      sf().createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: opp.id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
      return opp.id;
    });
    await runCycle(h.engine.deps);
    const linked = await h.store.findLinksByCrmIds('salesforce', created);
    expect(linked).toHaveLength(count);
    for (const link of linked) pc().microsoftRespond({ engagementId: link.engagementId!, decision: 'accept' });
    await runInbound(h.engine.deps);
    h.sandbox.clock.advance(60_000);
    for (const id of created) sf().editRecord({ type: 'Opportunity', id, fields: { StageName: 'Closed Won', ...CONTRACT } });
    await runCycle(h.engine.deps);
    for (const link of linked) expect(pc().get(link.referralId!)).toMatchObject({ status: 'Closed', substatus: 'Won' });
    return created;
  }

  it(`registers ${DEALS} won deals with a few Salesforce calls per page of ${PAGE} links, then reads their reviews back the same way`, async () => {
    const first = await salesforceCalls(() => registerWonDeals(deps()));
    expect(first.value).toMatchObject({ registered: DEALS, waiting: 0, refused: 0, failed: 0 });
    for (const link of await links()) {
      expect((pc().get(link.referralId!) as unknown as { registrations: unknown[] }).registrations).toHaveLength(1);
      expect(status(link.crmId!)).toBe('ReviewPending');
    }
    // Per page: one read of the contracts, one read of the status field, and the guarded write
    // (its version check and its write): four calls, however many deals the page holds.
    expect(first.calls).toBeLessThanOrEqual(4 * PAGES);
    // Each referral is read before its registration is added, and the add is one PATCH.
    expect(first.partnerCenterCalls).toBeLessThanOrEqual(2 * DEALS);

    h.sandbox.clock.advance(3 * DAY + 60_000);
    const second = await salesforceCalls(() => registerWonDeals(deps()));
    expect(second.value).toMatchObject({ registered: 0, refreshed: DEALS, failed: 0 });
    // Microsoft's review is over (approved or not); each opportunity now says what Partner Center says.
    for (const link of await links()) {
      const [registration] = (pc().get(link.referralId!) as unknown as { registrations: { status: string }[] }).registrations;
      expect(registration!.status).not.toBe('ReviewPending');
      expect(status(link.crmId!)).toBe(registration!.status);
    }
    expect(second.calls).toBeLessThanOrEqual(3 * PAGES);
  }, 120_000);
});
