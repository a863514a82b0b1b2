/**
 * Whole cycles, with the real engine against the in-memory CRM and Partner Center and a real
 * SQLite store: a dry run writes nothing anywhere (the store included) and says what would fail;
 * a failure of a whole system (nobody signed in) stops the cycle once, fills no failure list, and
 * the next cycle after signing in does everything exactly once.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CycleStoppedError } from '../../src/engine/recorder.js';
import { connectorError, signedOut } from '../support/faults.js';
import { engineRig, SOLUTION, type Rig } from '../support/engine-rig.js';

let rig: Rig;
afterEach(() => rig?.close());

/** Everything the store holds that a sync writes. */
async function storeState(): Promise<unknown> {
  const links = await rig.store.listLinks({ limit: 1000 });
  const runs = await rig.store.listRuns(1000);
  return {
    links: links.map((l) => [l.id, l.state, l.revision, l.referralETag, l.crmVersion]),
    runs: runs.map((r) => r.id),
    failures: await rig.store.listFailures(),
    conflicts: await rig.store.listConflicts({ open: true }),
    cursors: [await rig.store.getCursor('salesforce:opportunity'), await rig.store.getCursor('salesforce:lead'), await rig.store.getCursor('partnerCenter:referrals')],
  };
}

const writeCalls = (): number =>
  ['createReferral', 'updateReferral', 'inviteMicrosoft'].reduce((n, m) => n + rig.pc.log.count(m), 0) + rig.crm.log.count('createRecords') + rig.crm.log.count('updateRecords');

describe('dry run', () => {
  it('plans every kind of write and makes none: not in Partner Center, not in the CRM, not in the store', async () => {
    rig = await engineRig({ options: { deletePolicy: 'closeAsLost' } });
    const edited = rig.opportunity({ Name: 'Linked, then edited' });
    const deleted = rig.opportunity({ Name: 'Linked, then deleted' });
    await rig.cycle();
    rig.edit(edited, { Amount: 12345 });
    rig.crm.remove(deleted);
    const fresh = rig.opportunity({ Name: 'New deal' });
    const lead = rig.pc.receive('lead');
    const before = await storeState();
    const writes = writeCalls();
    const referrals = rig.pc.all();

    const reports = await rig.cycle({ dryRun: true });

    expect(writeCalls()).toBe(writes);
    expect(rig.pc.all()).toEqual(referrals);
    expect(await storeState()).toEqual(before);
    const plan = reports.flatMap((r) => r.plan.map((p) => [p.target, p.operation, p.recordKey]));
    expect(plan).toEqual(
      expect.arrayContaining([
        ['partnerCenter', 'create', `salesforce:opportunity:${fresh}`],
        ['partnerCenter', 'update', `salesforce:opportunity:${edited}`],
        ['partnerCenter', 'close', `salesforce:opportunity:${deleted}`],
        ['salesforce', 'create', `referral:${lead.id}`],
      ]),
    );
  });

  it('reports what would fail, and stores no failure', async () => {
    rig = await engineRig();
    // A co-sell needs a customer contact for Microsoft: this one has none.
    const id = rig.opportunity({ Microsoft_Help__c: 'GeneralOrOther', Solution_Ids__c: SOLUTION, OpportunityContactRoles: [] });

    const report = await rig.outbound({ dryRun: true });

    expect(report.wouldFail).toEqual([expect.objectContaining({ recordKey: `salesforce:opportunity:${id}` })]);
    expect(await rig.store.listFailures()).toEqual([]);
    expect(await rig.store.listRuns(10)).toEqual([]);

    // The same record fails for real, once, when it is not a dry run.
    await rig.outbound();
    expect((await rig.store.listFailures()).map((f) => f.key)).toEqual([`salesforce:opportunity:${id}`]);
    expect(rig.pc.all()).toEqual([]);
  });
});

describe('a whole system that cannot be used', () => {
  it('Partner Center signed out: the outbound cycle stops once, with one message, no failures listed; after sign-in each deal is shared once', async () => {
    rig = await engineRig();
    const ids = [1, 2, 3, 4, 5, 6].map((n) => rig.opportunity({ Name: `Deal ${n}` }));
    rig.pc.faults.add({ method: 'createReferral', error: signedOut('partnerCenter'), times: Infinity });

    await expect(rig.outbound()).rejects.toBeInstanceOf(CycleStoppedError);

    expect(await rig.store.listFailures()).toEqual([]);
    // Records already in progress finish (two per Partner Center slot); no new one starts.
    expect(rig.pc.log.count('createReferral')).toBeLessThanOrEqual(2 * rig.deps.options.writeConcurrency);
    const [run] = await rig.store.listRuns(1);
    expect(run?.status).toBe('failed');
    const stopped = rig.log.lines().filter((l) => String(l['msg']).startsWith('cycle stopped'));
    expect(stopped).toHaveLength(1);
    expect(String(stopped[0]?.['msg'])).toMatch(/partnerCenter: auth/);
    expect(await rig.store.getCursor('salesforce:opportunity')).toBeNull();

    rig.pc.faults.clear();
    await rig.outbound();

    expect(ids.map((id) => rig.pc.countByExternalReferenceId(id))).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await Promise.all(ids.map((id) => rig.linkOf(id)))).map((l) => l?.state)).toEqual(ids.map(() => 'linked'));
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it('the CRM signed out: the inbound cycle stops once and lists no failure; the referrals land after sign-in', async () => {
    rig = await engineRig();
    const sent = [rig.pc.receive('lead'), rig.pc.receive('coSellInvite'), rig.pc.receive('lead')];
    rig.crm.faults.add({ method: 'createRecords', error: signedOut('salesforce'), times: Infinity });

    await expect(rig.inbound()).rejects.toBeInstanceOf(CycleStoppedError);
    expect(await rig.store.listFailures()).toEqual([]);
    expect(rig.crm.log.count('createRecords')).toBe(1);
    expect(await rig.store.getCursor('partnerCenter:referrals')).toBeNull();

    rig.crm.faults.clear();
    await rig.inbound();
    expect(sent.map((r) => rig.recordOf(r.id)?.kind)).toEqual(['lead', 'opportunity', 'lead']);
    expect(sent.map((r) => rig.crm.count(r.type === 'Shared' ? 'opportunity' : 'lead', 'Referral_Id__c', r.id))).toEqual([1, 1, 1]);
  });

  it('a field the org lacks stops the cycle at its first read, and nothing is written anywhere', async () => {
    rig = await engineRig();
    rig.opportunity();
    rig.pc.receive('lead');
    const missing = connectorError('salesforce', 'invalid', "No such column 'Sync_With_Partner_Center__c' on entity 'Opportunity'", { status: 400, vendorCode: 'INVALID_FIELD' });
    rig.crm.faults.add({ method: 'readChanges', error: missing, times: Infinity });

    await expect(rig.cycle()).rejects.toMatchObject({ kind: 'invalid', vendorCode: 'INVALID_FIELD' });

    expect(writeCalls()).toBe(0);
    expect(rig.pc.log.count('listChanged')).toBe(0);
    expect(await rig.store.listFailures()).toEqual([]);
    expect(await rig.store.listLinks({ limit: 10 })).toEqual([]);
    expect(rig.log.lines().filter((l) => (l['level'] as number) >= 50)).toHaveLength(1);
  });
});

describe('a page larger than one history transaction', () => {
  it('keeps every record read and every outcome of the page, and the cursor after them', async () => {
    rig = await engineRig({ pageSize: 1_200 });
    const ids = Array.from({ length: 1_100 }, (_, i) => rig.opportunity({ Name: `Deal ${i}` }));

    const report = await rig.outbound();

    // Every record's outcomes once: none lost between slices, none stored twice.
    const outcomes = await rig.store.listOutcomes(report.runId);
    const actions = new Map<string, string[]>();
    for (const o of outcomes) actions.set(o.recordKey, [...(actions.get(o.recordKey) ?? []), o.action]);
    expect(actions.size).toBe(1_100);
    expect([...actions.values()].filter((a) => new Set(a).size !== a.length)).toEqual([]);
    for (const id of [ids[0], ids[499], ids[500], ids[1_099]] as string[]) {
      const history = await rig.store.listHistory({ crmIds: [id], referralIds: [], limit: 10 });
      expect(history.filter((h) => h.event === 'read')).toHaveLength(1);
      expect(history.filter((h) => h.event === 'written').map((h) => h.action)).toEqual(actions.get(`salesforce:opportunity:${id}`)?.slice().reverse());
    }
    expect(await rig.store.getCursor('salesforce:opportunity')).not.toBeNull();
  });
});

describe('what the log says of a failed record', () => {
  const failedLines = (): Record<string, unknown>[] => rig.log.lines().filter((l) => String(l['msg']).startsWith('record failed'));

  it('says an invalid record is tried again when it changes, and a refused write when its backoff runs out', async () => {
    rig = await engineRig();
    // A co-sell needs a customer contact for Microsoft: this one has none.
    const invalid = rig.opportunity({ Microsoft_Help__c: 'GeneralOrOther', Solution_Ids__c: SOLUTION, OpportunityContactRoles: [] });
    const refused = rig.opportunity({ Name: 'Refused once' });
    rig.pc.faults.add({ method: 'createReferral', error: connectorError('partnerCenter', 'transient', 'service unavailable', { status: 503 }) });

    await rig.outbound();

    const byKey = new Map(failedLines().map((l) => [l['recordKey'], l]));
    expect(byKey.get(`salesforce:opportunity:${invalid}`)).toMatchObject({ msg: 'record failed; it is tried again when it changes, or on `cosell-sync failures retry`', attempts: 1 });
    expect(byKey.get(`salesforce:opportunity:${invalid}`)).not.toHaveProperty('nextAttemptAt');
    const [failure] = (await rig.store.listFailures()).filter((f) => f.key === `salesforce:opportunity:${refused}`);
    expect(byKey.get(`salesforce:opportunity:${refused}`)).toMatchObject({ msg: 'record failed; it will be retried', attempts: 1, nextAttemptAt: failure?.nextAttemptAt });
  });
});
