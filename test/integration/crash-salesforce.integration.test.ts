import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCycle } from '../../src/engine/cycle.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

const until = async (what: string, check: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1500));
  }
};

describe('crash safety', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 40, sandbox: { salesforce: { participatingRate: 1 } } });
  });
  afterAll(() => h.close());

  it('a daemon killed (SIGKILL) between creating referrals and writing their ids back heals on restart without a duplicate', async () => {
    const sf = h.sandbox.salesforce!;
    const pc = h.sandbox.partnerCenter.control;
    const ids = (sf.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as { Id: string }[]).map((o) => o.Id);
    // Salesforce stops answering collection updates: the write-back of referral ids hangs.
    // (The connector writes through sObject Collections, or through /composite where it bundles
    // the write with the read of new versions.)
    sf.server.faults.set([
      { method: 'PATCH', path: '/composite/sobjects$', timeoutRate: 1 },
      { method: 'POST', path: '/composite$', timeoutRate: 1 },
    ]);
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'sync', '--once', '--direction', 'out', '--config', h.configFile], {
      cwd: repoRoot,
      env: { ...process.env, ...h.env, COSELL_CONFIG: '' },
      stdio: 'ignore',
    });
    const created = () => ids.filter((id) => pc.countByExternalReferenceId(id) > 0).length;
    // The creates are done when the count stops growing; the child is then stuck in the write-back.
    let last = -1;
    await until('the creates to finish', () => {
      const now = created();
      const settled = now > 0 && now === last;
      last = now;
      return settled;
    }, 60_000);
    const before = created();
    // Still running: it is stuck in the write-back, as planned (an exit now would mean it was not).
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(before).toBeGreaterThan(0);
    const unwritten = sf.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true AND Referral_Id__c != null' });
    expect(unwritten.length).toBe(0);

    sf.server.faults.set([]);
    await runCycle(h.engine.deps, { direction: 'out' });
    const failed = new Set((await h.store.listFailures()).map((f) => f.key.split(':')[2]));
    for (const id of ids) expect(pc.countByExternalReferenceId(id)).toBe(failed.has(id) ? 0 : 1);
    const written = sf.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true AND Referral_Id__c != null' });
    expect(written.length).toBe(ids.length - failed.size);
    expect(await h.store.listLinks({ state: 'writeBackPending', limit: 10 })).toEqual([]);
    expect(await h.store.listLinks({ state: 'creating', limit: 10 })).toEqual([]);
  });
});
