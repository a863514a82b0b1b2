import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

describe('Salesforce -> Partner Center backfill', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 1000, sandbox: { salesforce: { participatingRate: 1 } } });
  });
  afterAll(() => h.close());

  it('makes exactly one referral per valid participating opportunity, lists the invalid ones with their reason, and a second run writes nothing', async () => {
    const sf = h.sandbox.salesforce!.control;
    const pc = h.sandbox.partnerCenter.control;
    const ids = (sf.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as { Id: string }[]).map((o) => o.Id);

    expect(ids.length).toBe(1000);
    const [first] = await runCycle(h.engine.deps, { direction: 'out' });
    const failed = new Map((await h.store.listFailures()).map((f) => [f.key.split(':')[2], f.reason]));
    expect(first!.written).toBeGreaterThan(ids.length / 2);
    expect(first!.failed).toBe(failed.size);
    for (const id of ids) {
      if (failed.has(id)) {
        expect(failed.get(id)).toMatch(/details\.solutions|customerProfile\.team|customerProfile\.address\.country/);
        expect(pc.countByExternalReferenceId(id)).toBe(0);
      } else {
        expect(pc.countByExternalReferenceId(id)).toBe(1);
      }
    }
    const written = sf.query({ soql: 'SELECT Id, Referral_Id__c FROM Opportunity WHERE Sync_With_Partner_Center__c = true AND Referral_Id__c != null' });
    expect(written.length).toBe(ids.length - failed.size);

    const [second] = await runCycle(h.engine.deps, { direction: 'out' });
    expect(second!.written).toBe(0);
    for (const id of ids) expect(pc.countByExternalReferenceId(id)).toBe(failed.has(id) ? 0 : 1);
  });
});
