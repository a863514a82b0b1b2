import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

describe("Microsoft's side of a co-sell request", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 40, sandbox: { salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  /** A seller fills in a co-sell opportunity completely: help requested, a solution, a customer contact. */
  function createCoSellOpportunity(name: string): string {
    const sf = h.sandbox.salesforce!.control;
    const [account] = sf.query({ soql: "SELECT Id FROM Account WHERE BillingCountryCode != null LIMIT 1" }) as { Id: string }[];
    const [contact] = sf.query({ soql: `SELECT Id FROM Contact WHERE AccountId = '${account!.Id}' LIMIT 1` }) as { Id: string }[];
    const opp = sf.createRecord({
      type: 'Opportunity',
      fields: {
        Name: name,
        AccountId: account!.Id,
        StageName: 'Qualification',
        CloseDate: '2027-03-31',
        Amount: 120000,
        CurrencyIsoCode: 'USD',
        Sync_With_Partner_Center__c: true,
        Microsoft_Help__c: 'CustomerTechnicalArchitecture',
        Solution_Ids__c: 'SOL-15974-MQF',
      },
    });
    if (!opp.id) throw new Error(JSON.stringify(opp.errors));
    const role = sf.createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: opp.id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
    if (!role.success) throw new Error(JSON.stringify(role.errors));
    return opp.id;
  }

  it("brings a Microsoft seller's decline and acceptance back to the Salesforce opportunity", async () => {
    const ids = [createCoSellOpportunity('Contoso - AKS landing zone'), createCoSellOpportunity('Fabrikam - Data platform')];
    await runCycle(h.engine.deps);
    const links = await h.store.findLinksByCrmIds('salesforce', ids);
    const declined = links.find((l) => l.crmId === ids[0]);
    const accepted = links.find((l) => l.crmId === ids[1]);
    expect(declined?.engagementId && accepted?.engagementId).toBeTruthy();

    const pc = h.sandbox.partnerCenter.control;
    pc.microsoftRespond({ engagementId: declined!.engagementId!, decision: 'decline', reason: 'No Microsoft seller directly manages this customer' });
    pc.microsoftRespond({ engagementId: accepted!.engagementId!, decision: 'accept' });
    await runInbound(h.engine.deps);

    const sf = h.sandbox.salesforce!.control;
    const field = (id: string, name: string) => sf.getRecord({ type: 'Opportunity', id })?.[name];
    expect(String(field(ids[0]!, 'Microsoft_Co_Sell_Status__c'))).toMatch(/^Declined/);
    expect(field(ids[1]!, 'Microsoft_Co_Sell_Status__c')).toBe('Accepted');
    expect(field(ids[1]!, 'Microsoft_CRM_Id__c')).toBeTruthy();
    // The partner's own referral is untouched: a declined co-sell goes on as a partner-led deal.
    expect(pc.get(declined!.referralId!)).toMatchObject({ status: 'Active', substatus: 'Accepted' });

    const again = await runCycle(h.engine.deps);
    expect(again.map((r) => r.written)).toEqual(again.map(() => 0));
  });
});
