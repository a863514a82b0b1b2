import { describe, expect, it } from '@jest/globals';
import { rejection, startHarness } from './harness.js';

describe('Dataverse emulator switches for two readings of the documentation', () => {
  it('default readings: a null bind clears the lookup, an upsert that creates answers 201, reopening keeps the actuals', async () => {
    const h = await startHarness({ size: 5 });
    try {
      const dwa = h.client();
      const account = h.emulator.control.createRecord({ table: 'accounts', values: { name: 'Bound' } });
      const id = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Bound opp', 'parentaccountid@odata.bind': `/accounts(${account})` } });
      await dwa.update({ collection: 'opportunities', key: id, data: { 'parentaccountid@odata.bind': null } });
      expect(h.emulator.control.getRecord({ table: 'opportunities', id })?.['_parentaccountid_value']).toBeNull();
      const created = await h.call("opportunities(cosell_referralid='U1')?$select=name", { method: 'PATCH', headers: { Prefer: 'return=representation' }, body: JSON.stringify({ name: 'Upserted' }) });
      expect(created.status).toBe(201);
      const updated = await h.call("opportunities(cosell_referralid='U1')?$select=name", { method: 'PATCH', headers: { Prefer: 'return=representation' }, body: JSON.stringify({ name: 'Upserted again' }) });
      expect(updated.status).toBe(200);
      h.emulator.control.closeOpportunity({ id, won: true, actualRevenue: 77 });
      await dwa.update({ collection: 'opportunities', key: id, data: { statecode: 0, statuscode: 1 } });
      expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 0, actualvalue: 77 });
    } finally {
      await h.close();
    }
  });

  it('other readings: a null bind is refused, upsert always answers 200, reopening clears the actuals, expired tokens use the chosen status', async () => {
    const h = await startHarness({
      size: 5,
      options: { bindNullClearsLookup: false, upsertRepresentationStatus: 'always-200', reopenClearsActuals: true, expiredDeltaStatus: 410 },
    });
    try {
      const dwa = h.client();
      const id = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Switches', estimatedvalue: 500 } });
      expect((await rejection(dwa.update({ collection: 'opportunities', key: id, data: { 'parentaccountid@odata.bind': null } }))).status).toBe(400);
      const created = await h.call("opportunities(cosell_referralid='U2')?$select=name", { method: 'PATCH', headers: { Prefer: 'return=representation' }, body: JSON.stringify({ name: 'Upserted' }) });
      expect(created.status).toBe(200);
      h.emulator.control.closeOpportunity({ id, won: true });
      expect(h.emulator.control.getRecord({ table: 'opportunities', id })?.['actualvalue']).toBe(500);
      await dwa.update({ collection: 'opportunities', key: id, data: { statecode: 0 } });
      expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 0, statuscode: 1, actualvalue: null, actualclosedate: null });
      const tracked = (await dwa.retrieveAll({ collection: 'accounts', select: ['name'], trackChanges: true })) as { oDataDeltaLink: string };
      h.emulator.control.expireDeltaTokens();
      expect((await rejection(dwa.retrieveMultiple({ collection: 'accounts' }, tracked.oDataDeltaLink))).status).toBe(410);
    } finally {
      await h.close();
    }
  });
});
