/**
 * Deal registration of won co-sell deals, end to end: a Salesforce opportunity goes to Partner
 * Center as a co-sell, Microsoft accepts, the seller wins it and fills in the contract; the
 * registration is added once (across restarts and two instances at once) and its status comes
 * back to the opportunity. Sandbox emulators, real connectors, real mapping, real SQLite store.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeEngine } from '../../src/app/compose.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { healthReportFrom } from '../../src/app/health-report.js';
import type { HealthConfig } from '../../src/config/schema/health.js';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { registerWonDeals, type RegisterDeps } from '../../src/health/register.js';
import { createLogger } from '../../src/logging/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { SANDBOX_SOLUTION_ID } from '../../sandbox/start-sandbox.js';
import { sandboxTime, startHarness, type Harness } from '../support/sandbox-harness.js';

const DAY = 86_400_000;
const CONTRACT = { Contract_Start_Date__c: '2027-01-01', Contract_End_Date__c: '2029-12-31', Contract_Sign_Date__c: '2026-12-15', Contract_Term__c: 'Finite' };
const ON: HealthConfig['registrations'] = { enabled: true, solutions: [SANDBOX_SOLUTION_ID], schedule: '*/15 * * * *', pageSize: 3 };

type Row = Record<string, unknown>;

describe('deal registration of won co-sell deals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 12, sandbox: { salesforce: { participatingRate: 0 }, partnerCenter: { microsoft: { acceptanceRate: 0, noResponseRate: 1 } } } });
  }, 60_000);
  afterAll(() => h.close());

  const sf = () => h.sandbox.salesforce!.control;
  const pc = () => h.sandbox.partnerCenter.control;
  const silent = createLogger({ level: 'silent', pretty: false });
  const deps = (over: Partial<RegisterDeps> = {}): RegisterDeps => ({
    store: h.store,
    clock: sandboxTime(h.sandbox),
    logger: silent,
    partnerCenter: h.engine.deps.partnerCenter,
    crms: h.engine.deps.crms,
    settings: ON,
    ...over,
  });
  const opportunity = (id: string): Row => sf().getRecord({ type: 'Opportunity', id }) ?? {};
  const referralIdOf = async (crmId: string): Promise<string> => (await h.store.findLinksByCrmIds('salesforce', [crmId]))[0]!.referralId!;
  const registrationsOf = async (crmId: string) => (pc().get(await referralIdOf(crmId)) as unknown as { registrations: Row[] }).registrations;

  /** A seller's co-sell deal, accepted by Microsoft, then won with (by default) its contract filled in. */
  async function wonCoSellDeal(name: string, extra: Row = CONTRACT, solutions = SANDBOX_SOLUTION_ID): Promise<string> {
    const [account] = sf().query({ soql: 'SELECT Id FROM Account WHERE BillingCountryCode != null LIMIT 1' }) as { Id: string }[];
    const [contact] = sf().query({ soql: `SELECT Id FROM Contact WHERE AccountId = '${account!.Id}' LIMIT 1` }) as { Id: string }[];
    const opp = sf().createRecord({
      type: 'Opportunity',
      fields: { Name: name, AccountId: account!.Id, StageName: 'Qualification', CloseDate: '2027-03-31', Amount: 120000, CurrencyIsoCode: 'USD', Sync_With_Partner_Center__c: true, Microsoft_Help__c: 'CustomerTechnicalArchitecture', Solution_Ids__c: solutions },
    });
    if (!opp.id) throw new Error(JSON.stringify(opp.errors));
    sf().createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId: opp.id, ContactId: contact!.Id, Role: 'Decision Maker', IsPrimary: true } });
    await runCycle(h.engine.deps);
    const link = (await h.store.findLinksByCrmIds('salesforce', [opp.id]))[0];
    pc().microsoftRespond({ engagementId: link!.engagementId!, decision: 'accept' });
    await runInbound(h.engine.deps);
    h.sandbox.clock.advance(60_000);
    sf().editRecord({ type: 'Opportunity', id: opp.id, fields: { StageName: 'Closed Won', ...extra } });
    await runCycle(h.engine.deps);
    expect(pc().get(link!.referralId!)).toMatchObject({ status: 'Closed', substatus: 'Won' });
    return opp.id;
  }

  it('registers a won deal once, with the contract from the opportunity, and brings Microsoft\'s review back to it', async () => {
    const id = await wonCoSellDeal('Northwind - Azure migration');
    const first = await registerWonDeals(deps());
    expect(first).toMatchObject({ registered: 1, waiting: 0, refused: 0, failed: 0 });
    const [registration] = await registrationsOf(id);
    expect(await registrationsOf(id)).toHaveLength(1);
    expect(registration).toMatchObject({
      type: 'AzureIPCoSell',
      status: 'ReviewPending',
      solutionDetails: [{ id: SANDBOX_SOLUTION_ID, value: 120000, currency: 'USD' }],
      contract: { value: 120000, currency: 'USD', term: 'Finite', startDateTime: '2027-01-01T00:00:00.000Z', endDateTime: '2029-12-31T00:00:00.000Z', signDateTime: '2026-12-15T00:00:00.000Z' },
    });
    expect(opportunity(id)['Registration_Status__c']).toBe('ReviewPending');

    expect(await registerWonDeals(deps())).toMatchObject({ registered: 0, failed: 0 });
    expect(await registrationsOf(id)).toHaveLength(1);

    h.sandbox.clock.advance(3 * DAY + 60_000);
    expect(await registerWonDeals(deps())).toMatchObject({ registered: 0, refreshed: 1, failed: 0 });
    expect(opportunity(id)['Registration_Status__c']).toBe('Approved');
    expect(await h.store.getRegistration(await referralIdOf(id))).toMatchObject({ state: 'registered', status: 'Approved', statusInCrm: 'Approved' });

    // Settled: later runs make no call to Partner Center for it.
    const calls = h.sandbox.partnerCenter.server.stats.total();
    expect(await registerWonDeals(deps())).toMatchObject({ registered: 0, refreshed: 0 });
    expect(h.sandbox.partnerCenter.server.stats.total()).toBe(calls);

    const report = await healthReportFrom({ config: h.config, store: h.store, now: sandboxTime(h.sandbox).now() });
    expect(report.registrations.registered).toBeGreaterThanOrEqual(1);
    expect(report.registrations.byStatus['Approved']).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a run that died after adding the registration is followed by one that adopts it, not one that adds another', async () => {
    const id = await wonCoSellDeal('Crash after the registration PATCH');
    const referralId = await referralIdOf(id);
    // The dead run had claimed the registration and its PATCH had landed; nothing more.
    const now = sandboxTime(h.sandbox).now().toISOString();
    await h.store.saveRegistration({ referralId, state: 'registering', registrationId: null, status: null, statusInCrm: null, attemptedAt: now, updatedAt: now, detail: null });
    const referral = (await h.engine.deps.partnerCenter.getReferral(referralId))!;
    const contract = { value: 120000, currency: 'USD', startDateTime: '2027-01-01T00:00:00Z', endDateTime: '2029-12-31T00:00:00Z', signDateTime: '2026-12-15T00:00:00Z', term: 'Finite' };
    await h.engine.deps.partnerCenter.updateReferral({ id: referralId, eTag: referral.eTag, patch: [{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell', solutionDetails: [{ id: SANDBOX_SOLUTION_ID }], contract } }] });

    // The restarted process: a new store handle and a new engine on the same files.
    const store = await openStore({ kind: 'sqlite', path: join(h.dir, 'state.sqlite') });
    const engine = composeEngine({ config: h.config, logger: silent, store, clock: sandboxTime(h.sandbox) });
    try {
      expect(await registerWonDeals(deps({ store, partnerCenter: engine.deps.partnerCenter, crms: engine.deps.crms }))).toMatchObject({ registered: 1, failed: 0 });
    } finally {
      await engine.close();
      await store.close();
    }
    expect(await registrationsOf(id)).toHaveLength(1);
    expect(await h.store.getRegistration(referralId)).toMatchObject({ state: 'registered', status: 'ReviewPending' });
    expect(opportunity(id)['Registration_Status__c']).toBe('ReviewPending');
  }, 60_000);

  it('two instances at once add one registration between them', async () => {
    const id = await wonCoSellDeal('Two instances register at once');
    const instance = async (): Promise<{ store: StateStore; close: () => Promise<void>; deps: RegisterDeps }> => {
      const store = await openStore({ kind: 'sqlite', path: join(h.dir, 'state.sqlite') });
      const engine = composeEngine({ config: h.config, logger: silent, store, clock: sandboxTime(h.sandbox) });
      return { store, deps: deps({ store, partnerCenter: engine.deps.partnerCenter, crms: engine.deps.crms }), close: async () => (await engine.close(), await store.close()) };
    };
    const [a, b] = [await instance(), await instance()];
    try {
      const results = await Promise.all([registerWonDeals(a.deps), registerWonDeals(b.deps)]);
      // The slower one's PATCH carries a stale eTag: refused with 412, never a second registration.
      expect(results.reduce((n, r) => n + r.registered, 0)).toBeGreaterThanOrEqual(1);
      expect(results.every((r) => r.failed === 0)).toBe(true);
      expect(await registrationsOf(id)).toHaveLength(1);
      await registerWonDeals(a.deps);
      expect(await registrationsOf(id)).toHaveLength(1);
      expect(await h.store.getRegistration(await referralIdOf(id))).toMatchObject({ state: 'registered' });
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);

  it('a won deal without its contract dates waits, naming the fields to fill, and is registered once they are', async () => {
    const id = await wonCoSellDeal('Contract not filled in yet', { Contract_Term__c: 'Perpetual' });
    expect(await registerWonDeals(deps())).toMatchObject({ registered: 0, waiting: 1 });
    const waiting = await h.store.getRegistration(await referralIdOf(id));
    expect(waiting).toMatchObject({ state: 'waiting' });
    expect(waiting?.detail).toMatch(/Contract_Start_Date__c.*Contract_End_Date__c.*Contract_Sign_Date__c/);
    expect(await registrationsOf(id)).toHaveLength(0);
    const report = await healthReportFrom({ config: h.config, store: h.store, now: sandboxTime(h.sandbox).now() });
    expect(report.registrations.waiting).toBe(1);
    // The report (and with it the page and the digest) names the record and the fields to fill.
    const findingOf = (r: typeof report) => r.findings.find((f) => f.rule === 'registrationWaiting' && f.record.includes(id));
    expect(findingOf(report)).toMatchObject({ record: `salesforce opportunity ${id} (referral ${await referralIdOf(id)})`, name: 'Contract not filled in yet' });
    expect(findingOf(report)?.fix).toMatch(/^fill the contract in the CRM record \(Contract_Start_Date__c \(a date\) has no value; Contract_End_Date__c/);

    sf().editRecord({ type: 'Opportunity', id, fields: { Contract_Start_Date__c: '2027-01-01', Contract_End_Date__c: '2027-12-31', Contract_Sign_Date__c: '2026-12-20' } });
    expect(await registerWonDeals(deps())).toMatchObject({ registered: 1, waiting: 0 });
    expect(await registrationsOf(id)).toEqual([expect.objectContaining({ contract: expect.objectContaining({ term: 'Perpetual' }) })]);
    expect(findingOf(await healthReportFrom({ config: h.config, store: h.store, now: sandboxTime(h.sandbox).now() }))).toBeUndefined();
  }, 60_000);

  it('nothing is registered unless the admin turns it on, nor a deal without an eligible solution', async () => {
    const off = await wonCoSellDeal('Registration turned off');
    expect(await registerWonDeals(deps({ settings: { ...ON, enabled: false } }))).toMatchObject({ registered: 0 });
    expect(await registrationsOf(off)).toHaveLength(0);

    const other = await wonCoSellDeal('Only a non-eligible solution', CONTRACT, 'SOL-6115380-IPC');
    const result = await registerWonDeals(deps({ settings: { ...ON, solutions: ['SOL-6115380-XXX'] } }));
    expect(result).toMatchObject({ registered: 0, failed: 0 });
    expect(await registrationsOf(other)).toHaveLength(0);
  }, 60_000);

  it('cosell-sync register says how to turn it on, and once on registers what is due and reads statuses back', async () => {
    const id = await wonCoSellDeal('Registered from the CLI');
    const run = async (configFile: string) => {
      let out = '';
      let err = '';
      const ctx: CliContext = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { ...process.env, ...h.env } as Record<string, string>, cwd: h.dir, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
      return { code: await runCli(['register', '--config', configFile], ctx), out, err };
    };
    const off = await run(h.configFile);
    expect(off).toMatchObject({ code: 2, err: expect.stringContaining('set health.registrations.enabled') });
    expect(await registrationsOf(id)).toHaveLength(0);

    const on = join(h.dir, 'with-registrations.yaml');
    writeFileSync(on, `${readFileSync(h.configFile, 'utf8')}health:\n  registrations: { enabled: true, solutions: [${SANDBOX_SOLUTION_ID}] }\n`);
    const first = await run(on);
    expect(first).toMatchObject({ code: 0, out: expect.stringMatching(/^[12] registered, \d+ status\(es\) read back, 0 waiting for contract fields, 0 refused, 0 failed\n$/) });
    expect(await registrationsOf(id)).toHaveLength(1);
    expect((await run(on)).out).toMatch(/^0 registered/);
    expect(await registrationsOf(id)).toHaveLength(1);
  }, 60_000);
});
