/**
 * What `cosell-sync crm setup --yes` costs in requests, counted by the sandbox emulators: field
 * grants read the permission set's field permissions with the org, not once per field, and go to
 * Salesforce as sObject Collections; a Dataverse org is read in one `$batch`, not a request per
 * table and column type.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText } from '../app/helpers.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

async function cli(h: Harness, argv: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: () => undefined, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli([...argv, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text() };
}

/** The requests of one command, as `METHOD path` with the API version left out. */
async function counted(h: Harness, server: { stats: { reset(): void; log(): readonly { method: string; path: string }[] } }, argv: string[]) {
  server.stats.reset();
  const run = await cli(h, argv);
  const calls = server.stats.log().map((e) => `${e.method} ${e.path.replace(/^\/services\/data\/v[\d.]+|^\/api\/data\/v[\d.]+/, '')}`);
  return { ...run, calls };
}

describe('crm setup --yes in a Salesforce org whose permission set grants some fields already', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 6, crms: ['salesforce'] });
  });
  afterAll(() => h.close());

  it('reads the set’s field permissions with the org, once, and writes the grants as one create and one update', async () => {
    const sf = h.sandbox.salesforce!.control;
    // An admin made the set and gave it read (not edit) on two of the mapped fields, read and edit on a third.
    const set = sf.createRecord({ type: 'PermissionSet', fields: { Name: 'Cosell_Sync', Label: 'Cosell Sync' } }).id!;
    const grant = (field: string, edit: boolean) => sf.createRecord({ type: 'FieldPermissions', fields: { ParentId: set, SobjectType: field.split('.')[0], Field: field, PermissionsRead: true, PermissionsEdit: edit } });
    grant('Opportunity.Referral_Id__c', false);
    grant('Lead.Referral_Id__c', false);
    grant('Opportunity.Sync_With_Partner_Center__c', true);

    const plan = await cli(h, ['crm', 'setup']);
    const grants = plan.stdout.split('\n').filter((l) => l.startsWith('  grant read and edit of '));
    expect(grants.length).toBeGreaterThan(5);
    expect(plan.stdout).toContain('grant read and edit of Opportunity.Referral_Id__c in permission set Cosell_Sync');
    expect(plan.stdout).not.toContain('grant read and edit of Opportunity.Sync_With_Partner_Center__c');

    const run = await counted(h, h.sandbox.salesforce!.server, ['crm', 'setup', '--yes']);
    expect(run.stdout).toContain('checked: the org now has everything the steps made');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('done: grant read and edit of '))).toHaveLength(grants.length);
    expect(run.code).toBe(0);
    // The org read before the steps (the set by name, its field permissions, its assignments) and
    // the check after them (the set's field permissions and assignments): nothing per grant.
    expect(run.calls.filter((c) => c === 'GET /query')).toHaveLength(5);
    // The rows the set lacks are created together, the two read-only ones updated together.
    expect(run.calls.filter((c) => c.includes('FieldPermissions'))).toEqual([]);
    expect(run.calls.filter((c) => c.startsWith('POST /composite/sobjects') || c.startsWith('PATCH /composite/sobjects')).sort()).toEqual(['PATCH /composite/sobjects', 'POST /composite/sobjects']);

    const rows = sf.query({ soql: `SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${set}'` }) as { Field: string; PermissionsRead: boolean; PermissionsEdit: boolean }[];
    expect(rows).toHaveLength(grants.length + 1);
    expect(new Set(rows.map((r) => r.Field.toLowerCase())).size).toBe(rows.length);
    expect(rows.every((r) => r.PermissionsRead && r.PermissionsEdit)).toBe(true);
  });
});

describe('crm setup in a Dataverse org without the cosell_ columns', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 6, crms: ['dynamics'], sandbox: { dynamics: { customColumns: 'absent', changeTrackingEnabled: { opportunity: false, lead: false } } } });
  });
  afterAll(() => h.close());

  it('reads the tables in one request for the plan, and once more to check the steps', async () => {
    const server = h.sandbox.dynamics!.server;
    const plan = await counted(h, server, ['crm', 'setup']);
    expect(plan.stdout).toContain('nothing changed: re-run with --yes');
    expect(plan.calls).toEqual(['POST /$batch']);

    const run = await counted(h, server, ['crm', 'setup', '--yes']);
    expect(run.stdout).toContain('checked: the org now has everything the steps made');
    expect(run.code).toBe(0);
    const tracking = run.stdout.split('\n').filter((l) => l.startsWith('done: turn on change tracking for '));
    expect(tracking).toHaveLength(2);
    // Reads: the org before the steps and for the check, and each table definition change
    // tracking sends back whole; no request per table and column type.
    expect(run.calls.filter((c) => c === 'POST /$batch')).toHaveLength(2);
    expect(run.calls.filter((c) => c.startsWith('GET '))).toHaveLength(tracking.length);
    expect(run.calls.filter((c) => c.startsWith('GET ') && c.includes('/Attributes'))).toEqual([]);
  });
});
