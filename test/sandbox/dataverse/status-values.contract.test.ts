import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DynamicsWebApi } from 'dynamics-web-api';
import { orgShapeOf } from '../../../sandbox/org-profiles.js';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
let dwa: DynamicsWebApi;

beforeAll(async () => {
  h = await startHarness({ size: 6, shape: orgShapeOf('standard-stages') });
  dwa = h.client();
});
afterAll(async () => h.close());

const label = (text: string) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.Label', LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: 1033 }] });

async function statusValues(): Promise<number[]> {
  const res = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.StatusAttributeMetadata', select: ['LogicalName'], expand: [{ property: 'OptionSet' }] });
  return (res.value[0] as { OptionSet: { Options: { Value: number }[] } }).OptionSet.Options.map((o) => o.Value);
}

describe('InsertStatusValue in an org with the standard status reasons only', () => {
  it('adds a status reason under a state: listed in the metadata, and LoseOpportunity takes it', async () => {
    expect(await statusValues()).toEqual([1, 2, 3, 4, 5]);
    const id = await dwa.create<Record<string, unknown>, string>({ collection: 'opportunities', data: { name: 'To be declined' } });
    const before = await rejection(dwa.callAction({ actionName: 'LoseOpportunity', action: { Status: 100000001, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } }));
    expect(before.status).toBe(400);

    const added = await dwa.callAction<{ NewOptionValue: number }>({ actionName: 'InsertStatusValue', action: { EntityLogicalName: 'opportunity', AttributeLogicalName: 'statuscode', Value: 100000001, Label: label('Declined'), StateCode: 2 } });
    expect(added.NewOptionValue).toBe(100000001);
    expect(await statusValues()).toEqual([1, 2, 3, 4, 5, 100000001]);
    await dwa.callAction({ actionName: 'LoseOpportunity', action: { Status: 100000001, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } });
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 2, statuscode: 100000001 });
  });

  it('refuses a value that exists and a state the table does not have', async () => {
    const again = await rejection(dwa.callAction({ actionName: 'InsertStatusValue', action: { EntityLogicalName: 'opportunity', AttributeLogicalName: 'statuscode', Value: 100000001, Label: label('Again'), StateCode: 2 } }));
    expect(again.status).toBe(400);
    const noState = await rejection(dwa.callAction({ actionName: 'InsertStatusValue', action: { EntityLogicalName: 'opportunity', AttributeLogicalName: 'statuscode', Label: label('Nowhere'), StateCode: 9 } }));
    expect(noState.status).toBe(400);
  });
});
