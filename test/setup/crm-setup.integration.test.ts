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
    expect(emitted.stdout).toBe(`salesforce: wrote 24 file(s) under ${join(h.dir, 'source')}/salesforce\n`);
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
    const assign = await cli(h, ['crm', 'setup', '--assign-permission-set']);
    expect(assign.stdout).toBe("Dataverse: field access comes with the application user's security role; --assign-permission-set applies to Salesforce\nDataverse: nothing to do\n");
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

  it('lands a co-sell invitation from Microsoft in the stage setup added for it', async () => {
    const pc = h.sandbox.partnerCenter.control;
    // The sandbox orgs have USD, EUR, GBP, JPY and INR.
    let invite = pc.createInbound({ category: 'coSellInvite' });
    while (!['USD', 'EUR', 'GBP', 'JPY', 'INR'].includes(String(invite.details?.currency))) invite = pc.createInbound({ category: 'coSellInvite' });
    const sync = await cli(h, ['sync', '--direction', 'in']);
    expect(sync.stdout).toMatch(/^inbound: read \d+, written [1-9]\d*, skipped \d+, failed 0/m);
    const [link] = await h.store.findLinksByReferralIds([invite.id]);
    expect(link?.crmId).toBeTruthy();
    if (crm === 'salesforce') {
      const [row] = h.sandbox.salesforce!.control.query({ soql: `SELECT StageName, Referral_Id__c FROM Opportunity WHERE Id = '${link!.crmId!}'` }) as Record<string, unknown>[];
      expect(row).toMatchObject({ StageName: 'On Hold', Referral_Id__c: invite.id });
    } else {
      expect(h.sandbox.dynamics!.control.getRecord({ table: 'opportunities', id: link!.crmId! })).toMatchObject({ statecode: 0, statuscode: 2, cosell_referralid: invite.id });
    }
  });
});

describe('crm setup where a field exists with another type', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 6, crms: ['salesforce'], sandbox: { salesforce: { customFields: 'absent' } } });
  });
  afterAll(() => h.close());

  it('reports it with where and how to fix, exits 2, creates the rest, and never changes it', async () => {
    const setup = h.engine.deps.crms[0]?.connector.setup;
    if (!setup) throw new Error('no setup');
    // An admin's own Campaign field, made a number before setup ran.
    const need = { kind: 'opportunity' as const, path: 'Partner_Center_Campaign__c', type: 'number' as const, label: 'Campaign', length: null, options: [], custom: true, externalId: false, accepts: ['number' as const], origin: 'test' };
    await setup.apply({ kind: 'createField', object: 'Opportunity', name: 'Partner_Center_Campaign__c', need });

    const run = await cli(h, ['crm', 'setup', '--yes']);
    expect(run.stdout).toMatch(/^Salesforce: 1 problem\(s\) setup will not fix$/m);
    expect(run.stdout).toMatch(/^ {2}Opportunity\.Partner_Center_Campaign__c: is a number field; the mapping \(.*salesforce\.yaml:\d+ opportunity\.fields\[18\]\) needs Text\(255\)$/m);
    expect(run.stdout).toContain('fix: in Setup > Object Manager > Opportunity > Fields & Relationships > Partner_Center_Campaign__c, Change Field Type to Text(255); or map another field (setup never changes an existing field)');
    expect(run.stdout).toContain('done: create field Opportunity.Referral_Id__c');
    expect(run.stdout).not.toContain('create field Opportunity.Partner_Center_Campaign__c');
    expect(run.code).toBe(2);

    const org = await setup.readOrg({ objects: ['Opportunity'] });
    expect(org.objects[0]?.fields.find((f) => f.name === 'Partner_Center_Campaign__c')).toMatchObject({ type: 'number' });
    const again = await cli(h, ['crm', 'setup', '--yes']);
    expect(again.stdout).toMatch(/^Salesforce: nothing to do$/m);
    expect(again.code).toBe(2);
  });
});

describe('crm setup when Salesforce fails mid-run', () => {
  let h: Harness;
  const createField = { method: 'POST', path: 'tooling/sobjects/CustomField$' };
  beforeAll(async () => {
    h = await startHarness({
      size: 6,
      crms: ['salesforce'],
      sandbox: {
        salesforce: { customFields: 'absent' },
        faults: { salesforce: [{ ...createField, nth: [2], errorRate: 1, errorStatus: 503 }, { ...createField, nth: [6], lostAnswerRate: 1, lostAnswerAs: 'reset' }] },
      },
    });
  });
  afterAll(() => h.close());

  it('retries a 503 with its correlation id logged; a create whose answer was lost stops the run, and the next run carries on from what the org has', async () => {
    const first = await cli(h, ['crm', 'setup', '--yes']);
    const retried = first.stderr.split('\n').filter((l) => l.includes('retrying Salesforce call')).map((l) => JSON.parse(l) as { op: string; correlationId: string });
    expect(retried).toEqual([expect.objectContaining({ op: 'setup.createField', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) })]);
    const failed = /^failed: create field (Opportunity\.\w+__c): (.+)$/m.exec(first.stdout);
    expect(failed?.[2]).toMatch(/no answer|reset|may have been applied/i);
    expect(first.stdout).toContain('the steps before it are done; fix the cause and run setup again');
    expect(first.code).toBe(1);

    const second = await cli(h, ['crm', 'setup', '--yes']);
    expect(second.stdout).not.toContain('create field Opportunity.Referral_Id__c');
    // The create whose answer was lost had taken effect: it is not sent again.
    expect(second.stdout).not.toContain(`create field ${failed?.[1] ?? '?'}`);
    expect(second.stdout).toContain('checked: the org now has everything the steps made');
    expect(second.code).toBe(0);
    expect((await cli(h, ['mappings', 'validate', '--live'])).code).toBe(0);
  });
});

describe('crm setup when the answer to the Salesforce field grants is lost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      size: 6,
      crms: ['salesforce'],
      sandbox: { faults: { salesforce: [{ method: 'POST', path: 'composite/sobjects$', nth: [1], lostAnswerRate: 1, lostAnswerAs: 'reset' }] } },
    });
  });
  afterAll(() => h.close());

  it('reports each grant of the request failed and stops; the next run finds them made', async () => {
    const first = await cli(h, ['crm', 'setup', '--yes']);
    const grants = first.stdout.split('\n').filter((l) => l.startsWith('  grant read and edit of '));
    expect(grants.length).toBeGreaterThan(1);
    const failed = first.stdout.split('\n').filter((l) => l.startsWith('failed: grant read and edit of '));
    expect(failed).toHaveLength(grants.length);
    expect(first.stdout).toContain('the steps before it are done; fix the cause and run setup again');
    expect(first.stdout).not.toContain('checked:');
    expect(first.code).toBe(1);

    // The creates had taken effect: the second run has nothing left to grant.
    const second = await cli(h, ['crm', 'setup', '--yes']);
    expect(second.stdout).toBe('Salesforce: nothing to do\n');
    expect(second.code).toBe(0);
  });
});
