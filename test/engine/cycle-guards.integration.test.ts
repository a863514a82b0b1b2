/**
 * What a cycle does around the records: a system that cannot be used stops it once (no failure
 * per record), a dry run writes nothing anywhere and says what would fail, and a person's
 * resolution of a conflict is checked before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { composeEngine } from '../../src/app/compose.js';
import { resolveHeldConflict } from '../../src/engine/conflicts.js';
import { runCycle, runOutbound } from '../../src/engine/cycle.js';
import { openStore } from '../../src/store/open-store.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';
import { createLogger } from '../../src/logging/index.js';
import { Writable } from 'node:stream';

type Row = Record<string, unknown>;

describe('cycle guards', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 6, sandbox: { salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  const sf = () => h.sandbox.salesforce!.control;
  function flagged(fields: Row = {}): string {
    const [account] = sf().query({ soql: 'SELECT Id FROM Account WHERE BillingCountryCode != null LIMIT 1' }) as { Id: string }[];
    const made = sf().createRecord({
      type: 'Opportunity',
      fields: { Name: 'Guarded deal', AccountId: account!.Id, StageName: 'Qualification', CloseDate: '2027-06-30', Amount: 1000, CurrencyIsoCode: 'USD', Sync_With_Partner_Center__c: true, ...fields },
    });
    if (!made.id) throw new Error(JSON.stringify(made.errors));
    return made.id;
  }

  it('stops the cycle once, with one message, when nobody is signed in to Partner Center, and lists no record as failed', async () => {
    for (let i = 0; i < 5; i++) flagged({ Name: `Unsigned ${i}` });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString()), done()) }) });
    const store = await openStore({ kind: 'sqlite', path: join(h.dir, 'unsigned.sqlite') });
    const engine = composeEngine({ config: h.config, logger, store });
    try {
      const side = engine.deps.crms[0]!;
      await expect(runOutbound(engine.deps, side)).rejects.toMatchObject({ name: 'CycleStoppedError', message: expect.stringMatching(/partnerCenter/) });
      expect(await store.listFailures()).toEqual([]);
      expect((await store.listRuns(1))[0]).toMatchObject({ status: 'failed' });
      expect(lines.filter((l) => l.includes('cycle stopped'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('record failed'))).toHaveLength(0);
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it('a dry run writes nothing, not even the state store, and reports what would fail', async () => {
    const invalid = flagged({ Name: 'No customer', AccountId: null });
    const store = await openStore({ kind: 'sqlite', path: join(h.dir, 'dry.sqlite') });
    const engine = composeEngine({ config: h.config, logger: createLogger({ level: 'silent', pretty: false }), store, overrides: { dryRun: true } });
    try {
      await engine.partnerCenter.login?.loginWithDeviceCode({ onCode: () => undefined });
      const before = h.sandbox.partnerCenter.control.list().length;
      const reports = await runCycle(engine.deps);
      expect(reports.flatMap((r) => r.wouldFail).map((f) => f.recordKey)).toContain(`salesforce:opportunity:${invalid}`);
      expect(await store.listFailures()).toEqual([]);
      expect(await store.listRuns(10)).toEqual([]);
      expect(await store.countLinks()).toBe(0);
      expect(await store.getCursor('salesforce:opportunity')).toBeNull();
      expect(h.sandbox.partnerCenter.control.list().length).toBe(before);
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it('refuses a resolution of the wrong type before writing it anywhere', async () => {
    const id = flagged({ Name: 'Held value' });
    await runOutbound(h.engine.deps, h.engine.deps.crms[0]!);
    const [link] = await h.store.findLinksByCrmIds('salesforce', [id]);
    const conflict = await h.store.holdConflict({ linkId: link!.id, path: 'details.dealValue', base: 1000, crmValue: 1200, partnerCenterValue: 1500, createdAt: new Date().toISOString() });
    const before = h.sandbox.partnerCenter.control.get(link!.referralId!);
    await expect(resolveHeldConflict(h.engine.deps, { conflictId: conflict.id, choice: { take: 'value', value: 'a lot' } })).rejects.toThrow(/details\.dealValue cannot take "a lot"/);
    expect(h.sandbox.partnerCenter.control.get(link!.referralId!)?.eTag).toBe(before?.eTag);
    await expect(h.engine.deps.partnerCenter.getReferral(link!.referralId!)).resolves.toMatchObject({ details: { dealValue: 1000 } });
    expect(await h.store.listConflicts({ open: true, linkId: link!.id })).toHaveLength(1);
    // A value of the right type goes through.
    await resolveHeldConflict(h.engine.deps, { conflictId: conflict.id, choice: { take: 'value', value: 1300 } });
    await expect(h.engine.deps.partnerCenter.getReferral(link!.referralId!)).resolves.toMatchObject({ details: { dealValue: 1300 } });
  });
});
