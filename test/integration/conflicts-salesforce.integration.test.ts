import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { runCycle } from '../../src/engine/cycle.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

describe('conflicts between Salesforce and Partner Center', () => {
  let h: Harness;
  let oppId: string;
  let referralId: string;

  beforeAll(async () => {
    // The admin's copy of the default mapping: notes edited on both sides wait for a person.
    const mapping = readFileSync(join(repoRoot, 'mappings/salesforce.yaml'), 'utf8').replace(
      /(- referral: details\.notes\n\s+crm: Description\n\s+policy:) newestWins/,
      '$1 hold',
    );
    expect(mapping).toMatch(/crm: Description\n\s+policy: hold/);
    const file = join(repoRoot, 'test/.tmp-salesforce-hold.yaml');
    writeFileSync(file, mapping);
    h = await startHarness({ size: 30, sandbox: { salesforce: { participatingRate: 1 } }, mappingFiles: { salesforce: file } });
    await runCycle(h.engine.deps, { direction: 'out' });
    const open = (await h.store.listLinks({ state: 'linked', limit: 100 })).find((l) => l.snapshot['status'] === 'Active/Accepted');
    oppId = open!.crmId!;
    referralId = open!.referralId!;
  });
  afterAll(() => h.close());

  it('newest wins: a name edited on both sides takes the later edit everywhere', async () => {
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: oppId, fields: { Name: 'Renamed in Salesforce' } });
    h.sandbox.clock.advance(60_000);
    h.sandbox.partnerCenter.control.editAsUser({ id: referralId, changes: [{ op: 'replace', path: '/name', value: 'Renamed in Partner Center' }] });
    await runCycle(h.engine.deps);
    expect(h.sandbox.partnerCenter.control.get(referralId)?.name).toBe('Renamed in Partner Center');
    expect(h.sandbox.salesforce!.control.getRecord({ type: 'Opportunity', id: oppId })?.['Name']).toBe('Renamed in Partner Center');
  });

  it('hold: notes edited on both sides are held with both values, listed, and resolved from the CLI', async () => {
    // A later second than the daemon's write-back above (Salesforce stamps are whole seconds); an
    // edit within the same second is a case of its own.
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: oppId, fields: { Description: 'notes from the CRM' } });
    h.sandbox.partnerCenter.control.editAsUser({ id: referralId, changes: [{ op: 'replace', path: '/details/notes', value: 'notes from Partner Center' }] });
    await runCycle(h.engine.deps);
    const [held] = await h.store.listConflicts({ open: true });
    expect(held).toMatchObject({ path: 'details.notes', crmValue: 'notes from the CRM', partnerCenterValue: 'notes from Partner Center' });
    // Neither side was overwritten while the conflict waits.
    expect(h.sandbox.partnerCenter.control.get(referralId)?.details?.notes).toBe('notes from Partner Center');

    const out: string[] = [];
    const ctx = {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void out.push(t),
      env: h.env,
      cwd: repoRoot,
      stderrIsTty: false,
      version: 'test',
      onShutdownSignal: () => () => undefined,
    };
    expect(await runCli(['conflicts', 'list', '--config', h.configFile], ctx)).toBe(0);
    expect(out.join('')).toContain('details.notes');
    expect(await runCli(['conflicts', 'resolve', held!.id, '--take', 'crm', '--config', h.configFile], ctx)).toBe(0);
    expect(h.sandbox.partnerCenter.control.get(referralId)?.details?.notes).toBe('notes from the CRM');
    expect(await h.store.listConflicts({ open: true })).toEqual([]);
    const [next] = await runCycle(h.engine.deps, { direction: 'out' });
    expect(next!.written).toBe(0);
  });
});
