/**
 * The engine's promise under the failures the field found: one referral per CRM record, no lost
 * update, every change flows. Each case drives the real engine against the sandbox emulators and a
 * real SQLite store, the way the daemon runs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConnectorError } from '../../connectors/errors.js';
import type { PartnerCenterConnector } from '../../connectors/types.js';
import { runCycle, runInbound, runOutbound } from '../../src/engine/cycle.js';
import { readFieldsFor } from '../../src/engine/read-fields.js';
import { composeEngine } from '../../src/app/compose.js';
import { createLogger } from '../../src/logging/index.js';
import type { StateStore } from '../../src/store/types.js';
import { sandboxTime, startHarness, type Harness } from '../support/sandbox-harness.js';

type Row = Record<string, unknown>;
const DAY = 86_400_000;

describe('exactly once, nothing lost (Salesforce)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 10, sandbox: { salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  const sf = () => h.sandbox.salesforce!.control;
  const pc = () => h.sandbox.partnerCenter.control;
  const side = () => h.engine.deps.crms[0]!;

  function flaggedOpportunity(fields: Row = {}): string {
    const [account] = sf().query({ soql: 'SELECT Id FROM Account WHERE BillingCountryCode != null LIMIT 1' }) as { Id: string }[];
    const made = sf().createRecord({
      type: 'Opportunity',
      fields: { Name: 'Northwind - Azure landing zone', AccountId: account!.Id, StageName: 'Qualification', CloseDate: '2027-06-30', Amount: 50000, CurrencyIsoCode: 'USD', Sync_With_Partner_Center__c: true, ...fields },
    });
    if (!made.id) throw new Error(JSON.stringify(made.errors));
    return made.id;
  }
  const opportunity = (id: string): Row => sf().getRecord({ type: 'Opportunity', id }) ?? {};
  const linkOf = async (crmId: string) => (await h.store.findLinksByCrmIds('salesforce', [crmId]))[0];
  const referralOf = async (crmId: string) => pc().get((await linkOf(crmId))?.referralId ?? '');
  const byReferral = (referralId: string, object: 'Lead' | 'Opportunity'): Row | undefined =>
    (sf().query({ soql: `SELECT Id FROM ${object} WHERE Referral_Id__c = '${referralId}'` }) as Row[])[0];

  /** Posts the referral of CRM record `id` straight to Partner Center, as a process the store no longer knows did. */
  async function postReferralFor(id: string) {
    const om = side().mapping.opportunity;
    const [record] = await side().connector.getRecords({ kind: 'opportunity', ids: [id], fields: om.readFields });
    const draft = om.toReferralDraft({ values: om.fromCrm(record!, h.engine.deps.ctx).values, externalReferenceId: id, dealType: { kind: 'private' }, ctx: h.engine.deps.ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    return (await h.engine.deps.partnerCenter.createReferral({ draft: draft.value, dealType: { kind: 'private' } })).referral;
  }

  it('a create that reached Partner Center before the process died is linked on restart, not posted again', async () => {
    const id = flaggedOpportunity({ Name: 'Crash between POST and save' });
    // The dead process had stored its link (`creating`) and its POST had landed; nothing more.
    await postReferralFor(id);
    await h.store.saveLink({ crmSystem: 'salesforce', crmKind: 'opportunity', crmId: id, referralId: null, engagementId: null, origin: 'crm', state: 'creating', snapshot: {}, crmVersion: null, referralETag: null, respondBy: null });

    await runOutbound(h.engine.deps, side());
    expect(pc().countByExternalReferenceId(id)).toBe(1);
    const link = await linkOf(id);
    expect(link).toMatchObject({ state: 'linked' });
    expect(opportunity(id)['Referral_Id__c']).toBe(link?.referralId);
  });

  it('a referral shared before the state store was lost, whose id never reached its record, is linked by the inbound pass and not shared again', async () => {
    const id = flaggedOpportunity({ Name: 'Shared before the store was lost' });
    // Its referral exists in Partner Center; the store that knew it is gone, and the record never got the id.
    const referral = await postReferralFor(id);

    await runInbound(h.engine.deps);
    await runOutbound(h.engine.deps, side());

    expect(pc().countByExternalReferenceId(id)).toBe(1);
    expect(await linkOf(id)).toMatchObject({ state: 'linked', referralId: referral.id });
    expect(opportunity(id)['Referral_Id__c']).toBe(referral.id);
  });

  it('an edit made while a create was cut off reaches the referral the earlier attempt made', async () => {
    const id = flaggedOpportunity({ Name: 'Edited after a lost create', Amount: 10_000 });
    // The dead process posted the referral with the values of the time, then died before linking.
    const om = side().mapping.opportunity;
    const record = (await side().connector.getRecords({ kind: 'opportunity', ids: [id], fields: om.readFields }))[0]!;
    const draft = om.toReferralDraft({ values: om.fromCrm(record, h.engine.deps.ctx).values, externalReferenceId: id, dealType: { kind: 'private' }, ctx: h.engine.deps.ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    await h.engine.deps.partnerCenter.createReferral({ draft: draft.value, dealType: { kind: 'private' } });
    await h.store.saveLink({ crmSystem: 'salesforce', crmKind: 'opportunity', crmId: id, referralId: null, engagementId: null, origin: 'crm', state: 'creating', snapshot: {}, crmVersion: null, referralETag: null, respondBy: null });
    // Meanwhile the seller changes the amount.
    h.sandbox.clock.advance(2_000);
    sf().editRecord({ type: 'Opportunity', id, fields: { Amount: 25_000 } });

    await runCycle(h.engine.deps);
    expect(pc().countByExternalReferenceId(id)).toBe(1);
    expect((await referralOf(id))?.details.dealValue).toBe(25_000);
    expect(opportunity(id)['Amount']).toBe(25_000);
  });

  it('a co-sell whose invitation to Microsoft fails keeps its one referral; only the invitation is tried again', async () => {
    const [contact] = sf().query({ soql: 'SELECT Id, AccountId FROM Contact LIMIT 1' }) as { Id: string; AccountId: string }[];
    const id = flaggedOpportunity({ Name: 'Co-sell, invitation refused', AccountId: contact!.AccountId, Microsoft_Help__c: 'ProofOfConceptOrDemo', Solution_Ids__c: 'SOL-15974-MQF' });
    const role = sf().createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
    expect(role.success).toBe(true);
    // Microsoft's side refuses the invitation twice (a 400 from one reading of the API), then takes it.
    const real = h.engine.deps.partnerCenter;
    let refusals = 2;
    const flaky: PartnerCenterConnector = {
      ...real,
      inviteMicrosoft: (a) =>
        refusals-- > 0 ? Promise.reject(new ConnectorError({ kind: 'invalid', system: 'partnerCenter', status: 400, message: 'the Microsoft-side referral was refused' })) : real.inviteMicrosoft(a),
    };
    const deps = { ...h.engine.deps, partnerCenter: flaky };
    for (let cycle = 1; cycle <= 3; cycle++) {
      await runOutbound(deps, side());
      expect(pc().countByExternalReferenceId(id)).toBe(1);
      const link = await linkOf(id);
      expect(link).toMatchObject({ state: 'linked' });
      expect(opportunity(id)['Referral_Id__c']).toBe(link?.referralId);
      const engagement = pc().list().filter((r) => r.engagementId === link?.engagementId);
      expect(engagement.filter((r) => r.target.some((t) => t.id === 'msft'))).toHaveLength(cycle < 3 ? 0 : 1);
      expect((await h.store.listFailures()).filter((f) => f.key === `salesforce:opportunity:${id}`).map((f) => f.operation)).toEqual(cycle < 3 ? ['inviteMicrosoft'] : []);
      // The failure's backoff runs out.
      h.sandbox.clock.advance(2 * 60_000);
    }
    expect((await linkOf(id))?.microsoftSideId).toBeTruthy();
    expect(opportunity(id)['Microsoft_Co_Sell_Status__c']).toBe('Pending');
  });

  it('a co-sell reaches Microsoft under the reading that wants solutions on its side too; a refusing service never duplicates the own referral', async () => {
    const [contact] = sf().query({ soql: 'SELECT Id, AccountId FROM Contact LIMIT 1' }) as { Id: string; AccountId: string }[];
    const coSell = (name: string): string => {
      const id = flaggedOpportunity({ Name: name, AccountId: contact!.AccountId, Microsoft_Help__c: 'GeneralOrOther', Solution_Ids__c: 'SOL-15974-MQF' });
      sf().createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
      return id;
    };
    const msftSides = async (id: string) => {
      const engagementId = (await linkOf(id))?.engagementId;
      return pc().list().filter((r) => r.engagementId === engagementId && r.target.some((t) => t.id === 'msft'));
    };
    pc().setMicrosoftSide({ requireSolutions: true, refuse: 400 });
    const refused = coSell('Co-sell while Microsoft refuses');
    try {
      for (let cycle = 0; cycle < 3; cycle++) {
        // Each cycle in a new process, as `cosell-sync sync --once` from cron runs: nothing remembered.
        const engine = composeEngine({ config: h.config, logger: createLogger({ level: 'silent', pretty: false }), store: h.store, clock: sandboxTime(h.sandbox) });
        try {
          await runOutbound(engine.deps, engine.deps.crms[0]!);
        } finally {
          await engine.close();
        }
        h.sandbox.clock.advance(2 * 60_000);
      }
      expect(pc().countByExternalReferenceId(refused)).toBe(1);
      expect(await msftSides(refused)).toHaveLength(0);
    } finally {
      pc().setMicrosoftSide({ refuse: false });
    }
    const accepted = coSell('Co-sell with solutions on both sides');
    await runOutbound(h.engine.deps, side());
    for (const id of [refused, accepted]) {
      expect(pc().countByExternalReferenceId(id)).toBe(1);
      expect(await msftSides(id)).toHaveLength(1);
    }
    pc().setMicrosoftSide({ requireSolutions: false });
  });

  it('an inbound create that reached the CRM before the process died is linked by the next pass, never shared back as a new referral', async () => {
    const invite = pc().createInbound({ category: 'coSellInvite' });
    // The process dies after the CRM created the opportunity and before the link was saved (inside a transaction or not).
    const dyingAt = (store: StateStore): StateStore =>
      new Proxy(store, {
        get(target, name, receiver) {
          if (name === 'saveLink') {
            return (link: { state: string; origin: string }) =>
              link.state === 'linked' && link.origin === 'partnerCenter' ? Promise.reject(new Error('killed')) : target.saveLink(link as never);
          }
          if (name === 'transaction') return (fn: (tx: StateStore) => Promise<unknown>) => target.transaction((tx) => fn(dyingAt(tx)));
          const value: unknown = Reflect.get(target, name, receiver);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    const dying = dyingAt(h.store);
    await expect(runInbound({ ...h.engine.deps, store: dying })).rejects.toThrow('killed');
    const row = byReferral(invite.id, 'Opportunity');
    expect(row).toBeDefined();
    const crmId = row!['Id'] as string;
    expect(await linkOf(crmId)).toBeUndefined();

    // The next process reads the new opportunity (flagged by the inbound create) before Partner Center.
    await runOutbound(h.engine.deps, side());
    const sharedBack = () => pc().list().filter((r) => r.externalReferenceId === crmId && r.id !== invite.id);
    expect(sharedBack()).toEqual([]);
    expect(await linkOf(crmId)).toMatchObject({ state: 'linked', referralId: invite.id, origin: 'partnerCenter' });
    await runCycle(h.engine.deps);
    expect(sharedBack()).toEqual([]);
    expect(await h.store.findLinksByReferralIds([invite.id])).toHaveLength(1);
    expect((await h.store.listFailures()).filter((f) => f.key.includes(crmId) || f.key.includes(invite.id))).toEqual([]);
    // The pair is in step: a quiet system writes nothing.
    const quiet = await runCycle(h.engine.deps);
    expect(quiet.map((r) => r.written)).toEqual(quiet.map(() => 0));
  });

  it('a record that names a referral Partner Center does not know is refused with how to fix it, and nothing is posted', async () => {
    const id = flaggedOpportunity({ Name: 'Names a referral that is not there', Referral_Id__c: 'a-referral-id-typed-by-hand' });
    await runOutbound(h.engine.deps, side());
    expect(await linkOf(id)).toBeUndefined();
    expect(pc().countByExternalReferenceId(id)).toBe(0);
    const failure = (await h.store.listFailures()).find((f) => f.key === `salesforce:opportunity:${id}`);
    expect(failure?.reason).toMatch(/no referral a-referral-id-typed-by-hand; clear Referral_Id__c/);
    // Following the advice shares the record as a new referral and clears the failure.
    sf().editRecord({ type: 'Opportunity', id, fields: { Referral_Id__c: null } });
    h.sandbox.clock.advance(2 * 60_000);
    await runOutbound(h.engine.deps, side());
    expect(pc().countByExternalReferenceId(id)).toBe(1);
    expect(await linkOf(id)).toMatchObject({ state: 'linked' });
    expect((await h.store.listFailures()).filter((f) => f.key === `salesforce:opportunity:${id}`)).toEqual([]);
  });

  it("writes the referral's status to the CRM right after the create", async () => {
    const id = flaggedOpportunity({ Name: 'Status after create' });
    await runOutbound(h.engine.deps, side());
    expect(opportunity(id)['Referral_Status__c']).toBe('Active/Accepted');
  });

  it('an edit in the same second as the daemon\'s own write-back still reaches Partner Center', async () => {
    const id = flaggedOpportunity({ Name: 'Same second, before' });
    await runOutbound(h.engine.deps, side());
    const written = opportunity(id);
    expect(written['Referral_Id__c']).toBeTruthy();
    // Salesforce stamps have whole-second resolution: a person's edit within the same second as
    // the write-back leaves LastModifiedDate and SystemModstamp as they were.
    const stamp = new Date(String(written['SystemModstamp']));
    sf().editRecord({ type: 'Opportunity', id, fields: { Name: 'Same second, after' }, stamp });
    expect(opportunity(id)['LastModifiedDate']).toBe(written['LastModifiedDate']);
    await runOutbound(h.engine.deps, side());
    expect((await referralOf(id))?.name).toBe('Same second, after');
  });

  it('a deal closed in Partner Center while the CRM was edited closes in the CRM, and the closed referral is never written', async () => {
    const id = flaggedOpportunity({ Name: 'Closed in Partner Center' });
    await runOutbound(h.engine.deps, side());
    const referral = (await referralOf(id))!;
    pc().editAsUser({ id: referral.id, changes: { status: 'Closed', substatus: 'Lost', statusReason: 'Customer chose another vendor' } });
    sf().editRecord({ type: 'Opportunity', id, fields: { Name: 'Edited in the CRM meanwhile' } });
    const closedETag = pc().get(referral.id)!.eTag;

    await runCycle(h.engine.deps);
    expect(opportunity(id)['StageName']).toBe('Closed Lost');
    expect(pc().get(referral.id)).toMatchObject({ status: 'Closed', substatus: 'Lost', eTag: closedETag });
    expect(await h.store.listFailures()).toEqual([]);
    const again = await runCycle(h.engine.deps);
    expect(again.map((r) => r.written)).toEqual(again.map(() => 0));
  });

  it('a lead accepted in Salesforce accepts the referral in Partner Center', async () => {
    const lead = pc().createInbound({ category: 'lead' });
    await runInbound(h.engine.deps);
    const row = byReferral(lead.id, 'Lead');
    expect(row).toBeDefined();
    sf().editRecord({ type: 'Lead', id: row!['Id'] as string, fields: { Status: 'Working - Contacted' } });
    await runCycle(h.engine.deps);
    expect(pc().get(lead.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
  });

  it('an inbound lead that expires lands as closed although Partner Center cleared its contacts', async () => {
    const lead = pc().createInbound({ category: 'lead' });
    await runInbound(h.engine.deps);
    const id = byReferral(lead.id, 'Lead')!['Id'] as string;
    const lastName = sf().getRecord({ type: 'Lead', id })?.['LastName'];
    expect(lastName).toBeTruthy();
    h.sandbox.clock.advance(15 * DAY);
    pc().tick();
    expect(pc().get(lead.id)).toMatchObject({ status: 'Closed', substatus: 'Expired' });
    await runInbound(h.engine.deps);
    const after = sf().getRecord({ type: 'Lead', id });
    expect(after).toMatchObject({ Status: 'Closed - Not Converted', LastName: lastName });
    expect((await h.store.listFailures()).filter((f) => f.key === `referral:${lead.id}`)).toEqual([]);
    const history = (await h.store.listRuns(1))[0];
    const outcomes = await h.store.listOutcomes(history!.id);
    expect(outcomes.find((o) => o.recordKey === `referral:${lead.id}`)?.detail).toMatch(/LastName kept its value/);
  });

  it('text longer than the CRM holds is cut at its limit, with a note, instead of failing forever', async () => {
    const emoji = '😀'.repeat(20_000); // 20,000 characters, 40,000 UTF-16 units
    const details = pc().createInbound({ category: 'coSellInvite' }).details;
    const invite = pc().createInbound({ category: 'coSellInvite', overrides: { details: { ...details, notes: emoji } } });
    await runInbound(h.engine.deps);
    const row = byReferral(invite.id, 'Opportunity');
    expect(row).toBeDefined();
    const description = String(sf().getRecord({ type: 'Opportunity', id: row!['Id'] as string })?.['Description']);
    expect(description.length).toBeLessThanOrEqual(32_000);
    expect(description.length).toBeGreaterThan(31_990);
    expect(emoji.startsWith(description)).toBe(true);
    const outcomes = await h.store.listOutcomes((await h.store.listRuns(1))[0]!.id);
    expect(outcomes.find((o) => o.recordKey === `referral:${invite.id}`)?.detail).toMatch(/Description cut to 32000/);
    // The cut text is what the CRM can hold, not an edit: nothing goes back to Partner Center.
    await runCycle(h.engine.deps);
    expect(pc().get(invite.id)?.details?.notes).toBe(emoji);
  });

  it('changes to many linked referrals reach Salesforce in one collection call, not one call each', async () => {
    const invites = Array.from({ length: 12 }, () => pc().createInbound({ category: 'coSellInvite' }));
    await runInbound(h.engine.deps);
    for (const invite of invites) pc().editAsUser({ id: invite.id, changes: { name: `${invite.name} (renamed)` } });
    h.sandbox.salesforce!.server.stats.reset();
    await runInbound(h.engine.deps);
    for (const invite of invites) expect(sf().getRecord({ type: 'Opportunity', id: byReferral(invite.id, 'Opportunity')!['Id'] as string })?.['Name']).toBe(`${invite.name} (renamed)`);
    const writes = h.sandbox.salesforce!.server.stats.log().filter((e) => e.method !== 'GET');
    expect(writes.length).toBeLessThanOrEqual(2);
  });
});

describe('exactly once in an org without State and Country picklists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 10, sandbox: { orgProfile: 'no-state-country-picklists', salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  it('a referral shared before the store was lost is linked by the inbound pass, reading only the fields the org has', async () => {
    const sf = h.sandbox.salesforce!.control;
    const side = h.engine.deps.crms[0]!;
    const [account] = sf.query({ soql: 'SELECT Id FROM Account LIMIT 1' }) as { Id: string }[];
    const made = sf.createRecord({ type: 'Opportunity', fields: { Name: 'Fabrikam - data estate', AccountId: account!.Id, StageName: 'Qualification', CloseDate: '2027-06-30', Amount: 40000, CurrencyIsoCode: 'USD', Sync_With_Partner_Center__c: true } });
    const id = made.id!;
    const om = side.mapping.opportunity;
    const [record] = await side.connector.getRecords({ kind: 'opportunity', ids: [id], fields: await readFieldsFor(side, 'opportunity') });
    const draft = om.toReferralDraft({ values: om.fromCrm(record!, h.engine.deps.ctx).values, externalReferenceId: id, dealType: { kind: 'private' }, ctx: h.engine.deps.ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    const { referral } = await h.engine.deps.partnerCenter.createReferral({ draft: draft.value, dealType: { kind: 'private' } });

    await runInbound(h.engine.deps);
    await runOutbound(h.engine.deps, side);

    expect(h.sandbox.partnerCenter.control.countByExternalReferenceId(id)).toBe(1);
    expect(sf.getRecord({ type: 'Opportunity', id })?.['Referral_Id__c']).toBe(referral.id);
  });
});
