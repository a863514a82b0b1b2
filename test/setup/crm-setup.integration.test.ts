/**
 * `cosell-sync crm setup` end to end against the sandbox, for both CRMs: an org started without
 * the custom fields the default mapping names -> the plan (nothing changed without --yes) ->
 * `crm setup --yes` -> `mappings validate --live` passes -> one sync cycle turns a flagged
 * opportunity into a referral -> a second setup finds nothing to do.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText } from '../app/helpers.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

async function cli(h: Harness, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli([...argv, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The id of an open opportunity with an account. */
async function openOpportunity(h: Harness): Promise<{ id: string }> {
  const sf = h.sandbox.salesforce?.control;
  if (sf) {
    const [row] = sf.query({ soql: 'SELECT Id FROM Opportunity WHERE IsClosed = false AND AccountId != null ORDER BY Id LIMIT 1' }) as { Id: string }[];
    if (row) return { id: row.Id };
    throw new Error('no open opportunity with an account');
  }
  const side = h.engine.deps.crms[0];
  if (!side) throw new Error('no CRM side');
  for await (const page of side.connector.readChanges({ kind: 'opportunity', fields: ['statecode', 'parentaccountid.name'], cursor: null })) {
    const found = page.items.find((r) => r.fields['statecode'] === 0 && Boolean(r.fields['parentaccountid.name']));
    if (found) return found;
  }
  throw new Error('no open opportunity with an account');
}

describe('crm setup against a Salesforce org without the custom fields', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 12, crms: ['salesforce'], sandbox: { salesforce: { customFields: 'absent' } } });
  });
  afterAll(() => h.close());

  it('prints the plan and changes nothing without --yes; the mapping does not validate yet', async () => {
    const plan = await cli(h, ['crm', 'setup']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^Salesforce: 45 step\(s\)$/m);
    expect(plan.stdout).toContain('create field Opportunity.Referral_Id__c: Text(64), External ID, unique');
    expect(plan.stdout).toContain('nothing changed: re-run with --yes to carry out these 45 step(s)');
    const dry = await cli(h, ['crm', 'setup', '--dry-run', '--yes']);
    expect(dry.stdout).toContain('dry run: nothing changed');
    const emitted = await cli(h, ['crm', 'setup', '--emit', join(h.dir, 'source')]);
    expect(emitted.stdout).toBe(`salesforce: wrote 23 file(s) under ${join(h.dir, 'source')}/salesforce\n`);
    expect(existsSync(join(h.dir, 'source', 'salesforce', 'objects', 'Account', 'fields', 'DUNS__c.field-meta.xml'))).toBe(true);
    // Neither the plan nor --emit changed the org.
    expect(h.sandbox.salesforce!.control.query({ soql: 'SELECT Id FROM PermissionSet' })).toEqual([]);
    const validate = await cli(h, ['mappings', 'validate', '--live']);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toContain("the CRM has no opportunity field 'Referral_Id__c'");
  });

  it('creates the fields and field access with --yes; validate --live passes; a flagged deal becomes a referral', async () => {
    const run = await cli(h, ['crm', 'setup', '--yes', '--assign-permission-set']);
    expect(run.stderr.split('\n').filter((l) => l.includes('"level":50'))).toEqual([]);
    expect(run.stdout).toContain('done: create field Lead.Referral_Id__c: Text(64), External ID, unique');
    expect(run.stdout).toContain(`done: assign permission set Cosell_Sync to the integration user (${h.sandbox.salesforce!.control.integrationUser.id})`);
    expect(run.stdout).toContain('checked: the org now has everything the steps made');
    expect(run.code).toBe(0);

    const validate = await cli(h, ['mappings', 'validate', '--live']);
    expect(validate.stdout).toMatch(/salesforce\.yaml against salesforce: ok/);
    expect(validate.code).toBe(0);

    const opportunity = await openOpportunity(h);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: opportunity.id, fields: { Sync_With_Partner_Center__c: true } });
    const sync = await cli(h, ['sync', '--direction', 'out']);
    expect(sync.stdout).toMatch(/^outbound: read \d+, written [1-9]\d*, skipped \d+, failed 0/m);
    expect(h.sandbox.partnerCenter.control.countByExternalReferenceId(opportunity.id)).toBe(1);
    const [stored] = h.sandbox.salesforce!.control.query({ soql: `SELECT Referral_Id__c FROM Opportunity WHERE Id = '${opportunity.id}'` }) as { Referral_Id__c: string | null }[];
    expect(stored?.Referral_Id__c).toBeTruthy();
  });

  it('finds nothing to do on a second run', async () => {
    const again = await cli(h, ['crm', 'setup', '--yes', '--assign-permission-set']);
    expect(again.stdout).toBe('Salesforce: nothing to do\n');
    expect(again.code).toBe(0);
  });
});

describe('crm setup against a Dataverse org without the cosell_ columns', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 12, crms: ['dynamics'], sandbox: { dynamics: { customColumns: 'absent', changeTrackingEnabled: { opportunity: false, lead: false } } } });
  });
  afterAll(() => h.close());

  it('creates the columns, the referral-id keys and change tracking; validate --live passes; a flagged deal becomes a referral; a second run has nothing to do', async () => {
    const plan = await cli(h, ['crm', 'setup']);
    expect(plan.stdout).toMatch(/^Dataverse: 21 step\(s\)$/m);
    expect(plan.stdout).toContain('nothing changed: re-run with --yes');
    expect((await cli(h, ['mappings', 'validate', '--live'])).code).toBe(2);

    const run = await cli(h, ['crm', 'setup', '--yes']);
    expect(run.stdout).toContain('done: create alternate key cosell_referralid_key on opportunity (cosell_referralid)');
    expect(run.stdout).toContain('done: turn on change tracking for lead');
    expect(run.stdout).toContain('checked: the org now has everything the steps made');
    expect(run.code).toBe(0);

    const validate = await cli(h, ['mappings', 'validate', '--live']);
    expect(validate.stdout).toMatch(/dynamics\.yaml against dynamics: ok/);
    expect(validate.code).toBe(0);

    const opportunity = await openOpportunity(h);
    h.sandbox.dynamics!.control.editRecord({ table: 'opportunities', id: opportunity.id, values: { cosell_syncwithpartnercenter: true } });
    const sync = await cli(h, ['sync', '--direction', 'out']);
    expect(sync.stdout).toMatch(/^outbound: read \d+, written [1-9]\d*, skipped \d+, failed 0/m);
    expect(h.sandbox.partnerCenter.control.countByExternalReferenceId(opportunity.id)).toBe(1);
    expect(h.sandbox.dynamics!.control.getRecord({ table: 'opportunities', id: opportunity.id })?.['cosell_referralid']).toBeTruthy();

    const again = await cli(h, ['crm', 'setup', '--yes']);
    expect(again.stdout).toBe('Dataverse: nothing to do\n');
    expect(again.code).toBe(0);
  });
});

/** The org of the "done when": no State and Country picklists, country names, the standard stages only, no DUNS field. */
const REAL_ORG = 'no-state-country-picklists,country-names,standard-stages,no-duns';

describe.each([
  { crm: 'salesforce' as const, sandbox: { orgProfile: REAL_ORG, salesforce: { customFields: 'absent' as const } } },
  { crm: 'dynamics' as const, sandbox: { orgProfile: REAL_ORG, dynamics: { customColumns: 'absent' as const } } },
])('crm setup in a $crm org without State and Country picklists, with country names, the standard stages only, no DUNS field and none of the custom fields', ({ crm, sandbox }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 12, crms: [crm], sandbox });
  });
  afterAll(() => h.close());

  it('adds the stages the default mapping uses; afterwards the mapping validates and a flagged deal becomes a referral', async () => {
    const run = await cli(h, ['crm', 'setup', '--yes']);
    expect(run.stdout).toContain(crm === 'salesforce' ? 'done: add Opportunity.StageName values: On Hold (open), Declined (closed, lost), Expired (closed, lost)' : 'done: add opportunity.statuscode values: 100000001 Declined (closed, lost), 100000002 Expired (closed, lost)');
    expect(run.stdout).toContain('checked: the org now has everything the steps made');
    expect(run.code).toBe(0);
    const validate = await cli(h, ['mappings', 'validate', '--live']);
    expect(validate.stdout).toMatch(/ against \w+: ok/);
    expect(validate.code).toBe(0);

    const opportunity = await openOpportunity(h);
    if (crm === 'salesforce') h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: opportunity.id, fields: { Sync_With_Partner_Center__c: true } });
    else h.sandbox.dynamics!.control.editRecord({ table: 'opportunities', id: opportunity.id, values: { cosell_syncwithpartnercenter: true } });
    const sync = await cli(h, ['sync', '--direction', 'out']);
    expect(sync.stdout).toMatch(/^outbound: read \d+, written [1-9]\d*, skipped \d+, failed 0/m);
    expect(h.sandbox.partnerCenter.control.countByExternalReferenceId(opportunity.id)).toBe(1);
    expect((await cli(h, ['crm', 'setup'])).stdout).toMatch(/: nothing to do\n$/);
  });
});
