import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runOutbound } from '../../src/engine/cycle.js';
import { buildHealthReport, readHealthData } from '../../src/health/report.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

describe('hygiene: a flagged opportunity that never became a referral', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 0, sandbox: { salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  it('names the CRM field to fill, from what the sync stored when it failed', async () => {
    const sf = h.sandbox.salesforce!.control;
    const account = sf.createRecord({ type: 'Account', fields: { Name: 'Nowhere Ltd' } });
    const opp = sf.createRecord({
      type: 'Opportunity',
      fields: { Name: 'No country deal', StageName: 'Prospecting', CloseDate: '2027-03-01', Amount: 30000, AccountId: account.id, Sync_With_Partner_Center__c: true },
    });
    await runOutbound(h.engine.deps, h.engine.deps.crms[0]!);
    const now = h.sandbox.clock.now().toISOString();
    const report = buildHealthReport(await readHealthData(h.store, { remindersSince: now }), { now, since: now, conflictAgeDays: 14, crmStatusOf: null });
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'neverBecameReferral', record: `salesforce opportunity ${String(opp.id)}`, fix: expect.stringMatching(/^fill Account\.BillingCountryCode/) }),
    ]);
  });
});
