/**
 * Each org profile syncs both ways with the default mapping: a flagged co-sell deal becomes one
 * referral, a co-sell invitation from Microsoft lands as an opportunity waiting for an answer (and
 * the seller's answer reaches Partner Center), a lead from Microsoft lands as a lead, none of it
 * fails, and a second cycle writes nothing; `mappings validate --live` passes first. Each profile
 * twice:
 * - the org has the custom fields, and the mapping is edited only as the mapping files' own
 *   comments say for such an org (standard stages, no DUNS field, one currency);
 * - the org starts without the custom fields and `cosell-sync crm setup --yes` creates what the
 *   default mapping needs: the DUNS field and the co-sell stages / status reasons too, so the
 *   mapping is the default one as it ships, except in a single-currency Salesforce org (setup
 *   cannot make an org multi-currency); where the org keeps country names, the accounts made for
 *   inbound referrals then get the code (the first kind edits the mapping to write names).
 * The whole product runs: sandbox emulators, the CLI, connectors, engine, SQLite.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { ORG_PROFILE_NAMES, orgShapeOf, type OrgShape } from '../../sandbox/org-profiles.js';
import { SANDBOX_SOLUTION_ID } from '../../sandbox/start-sandbox.js';
import { mappingTextFor, type CrmName } from '../support/org-mappings.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';
import { tmpdir } from 'node:os';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText } from '../app/helpers.js';
import { repoRoot } from '../support/sandbox-harness.js';


/** A German customer with a DUNS number (not the one of the seller's deal) and one contact, as Microsoft sends it. */
const customerProfile = (name: string) => ({
  name,
  address: { addressLine1: '5 Hauptstraße', addressLine2: null, city: 'München', state: 'BY', region: null, postalCode: '80331', country: 'DE' },
  size: 'Size51to250',
  ids: [{ profileType: 'Duns', id: '150483782' }],
  team: [{ firstName: 'Jörg', lastName: 'Müller', email: `joerg@${name.toLowerCase().replace(/[^a-z]/g, '')}.example`, phoneNumber: '+49 89 1234567', title: 'CIO' }],
});

/** A deal worth 80,000 in the org's currency (EUR where the org has several), with a solution. */
const details = (shape: OrgShape) => ({
  notes: 'Customer is moving its ERP to Azure.',
  dealValue: 80000,
  currency: shape.multiCurrency ? 'EUR' : 'USD',
  closingDateTime: '2027-06-30T00:00:00Z',
  customerRequestedContact: false,
  requirements: { industries: [], products: [], services: [], solutions: [{ id: SANDBOX_SOLUTION_ID, name: 'Contoso Cloud', type: 'Name', solutionType: '3P' }], offers: [], salesPlays: [] },
});

interface CrmView {
  /** A seller's co-sell deal, flagged to sync: a customer account as this org keeps it, a contact, a solution. */
  createCoSellDeal(name: string): string;
  /** The country an opportunity's account keeps, in the field people see. */
  accountCountryOf(id: string): unknown;
  /** The stage / status reason of a landed record. */
  statusOf(id: string, kind: 'opportunity' | 'lead'): unknown;
  /** A seller accepting an inbound co-sell invitation. */
  accept(id: string): void;
  /** The stage / status reason an unanswered invitation waits in. */
  waiting: unknown;
}

const saved = (result: { success: boolean; id: string | null; errors: unknown[] }): string => {
  if (!result.success || result.id === null) throw new Error(JSON.stringify(result.errors));
  return result.id;
};

function viewOf(h: Harness, crm: CrmName, shape: OrgShape): CrmView {
  const country = shape.countries === 'name' ? 'Germany' : 'DE';
  if (crm === 'salesforce') {
    const sf = h.sandbox.salesforce!.control;
    return {
      createCoSellDeal: (name) => {
        const AccountId = saved(
          sf.createRecord({
            type: 'Account',
            fields: {
              Name: `${name} GmbH`,
              BillingStreet: '5 Hauptstraße',
              BillingCity: 'München',
              BillingPostalCode: '80331',
              ...(shape.stateCountryPicklists ? { BillingCountryCode: 'DE' } : { BillingCountry: country }),
              ...(shape.duns ? { DUNS__c: '315349521' } : {}),
            },
          }),
        );
        const ContactId = saved(sf.createRecord({ type: 'Contact', fields: { AccountId, FirstName: 'Jörg', LastName: 'Müller', Email: 'joerg@contoso.example' } }));
        const OpportunityId = saved(
          sf.createRecord({
            type: 'Opportunity',
            fields: {
              Name: name,
              AccountId,
              StageName: 'Qualification',
              CloseDate: '2027-03-31',
              Amount: 120000,
              ...(shape.multiCurrency ? { CurrencyIsoCode: 'EUR' } : {}),
              Sync_With_Partner_Center__c: true,
              Microsoft_Help__c: 'CustomerTechnicalArchitecture',
              Solution_Ids__c: SANDBOX_SOLUTION_ID,
            },
          }),
        );
        saved(sf.createRecord({ type: 'OpportunityContactRole', fields: { OpportunityId, ContactId, IsPrimary: true } }));
        return OpportunityId;
      },
      accountCountryOf: (id) => sf.getRecord({ type: 'Account', id: String(sf.getRecord({ type: 'Opportunity', id })?.['AccountId']) })?.['BillingCountry'],
      statusOf: (id, kind) => (kind === 'lead' ? sf.getRecord({ type: 'Lead', id })?.['Status'] : sf.getRecord({ type: 'Opportunity', id })?.['StageName']),
      accept: (id) => void sf.editRecord({ type: 'Opportunity', id, fields: { StageName: 'Qualification' } }),
      waiting: shape.cosellStages ? 'On Hold' : 'Prospecting',
    };
  }
  const dv = h.sandbox.dynamics!.control;
  return {
    createCoSellDeal: (name) => {
      const account = dv.createRecord({
        table: 'accounts',
        values: {
          name: `${name} GmbH`,
          address1_line1: '5 Hauptstraße',
          address1_city: 'München',
          address1_postalcode: '80331',
          address1_country: country,
          ...(shape.duns ? { cosell_duns: '315349521' } : {}),
        },
      });
      const contact = dv.createRecord({
        table: 'contacts',
        values: { firstname: 'Jörg', lastname: 'Müller', emailaddress1: 'joerg@contoso.example', 'parentcustomerid_account@odata.bind': `/accounts(${account})` },
      });
      return dv.createRecord({
        table: 'opportunities',
        values: {
          name,
          estimatedvalue: 120000,
          estimatedclosedate: '2027-03-31',
          'parentaccountid@odata.bind': `/accounts(${account})`,
          'customerid_account@odata.bind': `/accounts(${account})`,
          'parentcontactid@odata.bind': `/contacts(${contact})`,
          cosell_syncwithpartnercenter: true,
          cosell_microsofthelp: 100000001,
          cosell_solutionids: SANDBOX_SOLUTION_ID,
        },
      });
    },
    accountCountryOf: (id) => dv.getRecord({ table: 'accounts', id: String(dv.getRecord({ table: 'opportunities', id })?.['_parentaccountid_value']) })?.['address1_country'],
    statusOf: (id, kind) => dv.getRecord({ table: kind === 'lead' ? 'leads' : 'opportunities', id })?.['statuscode'],
    accept: (id) => void dv.editRecord({ table: 'opportunities', id, values: { statuscode: 1 } }),
    waiting: 2,
  };
}

/** `cosell-sync ARGS --config <the sandbox config>`, in process. */
async function cli(h: Harness, argv: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: () => undefined, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli([...argv, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text() };
}

type Start = 'with the custom fields' | 'after crm setup';
const cases = (['salesforce', 'dynamics'] as const).flatMap((crm) =>
  ORG_PROFILE_NAMES.flatMap((profile) => (['with the custom fields', 'after crm setup'] as const).map((start) => [crm, profile, start] as const)),
);

describe.each(cases)('%s org, profile %s, %s, default mapping', (crm, profile, start: Start) => {
  const setup = start === 'after crm setup';
  // Setup adds the DUNS field and the co-sell stages / status reasons; countries stay as they are kept.
  const shape: OrgShape = setup ? { ...orgShapeOf(profile), duns: true, cosellStages: true } : orgShapeOf(profile);
  let h: Harness;
  let dir: string;
  let view: CrmView;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-profile-'));
    const mappingFile = join(dir, `${crm}.yaml`);
    // After setup: the mapping as it ships (a single-currency Salesforce org aside), so new
    // accounts get the country code even where the org keeps names.
    writeFileSync(mappingFile, mappingTextFor(crm, setup ? { ...shape, countries: 'code' } : shape));
    h = await startHarness({
      size: 12,
      crms: [crm],
      sandbox: {
        orgProfile: profile,
        salesforce: { participatingRate: 0, ...(setup ? { customFields: 'absent' as const } : {}) },
        ...(setup ? { dynamics: { customColumns: 'absent' as const, changeTrackingEnabled: { opportunity: false, lead: false } } } : {}),
      },
      mappingFiles: { [crm]: mappingFile },
    });
    if (setup) {
      const run = await cli(h, ['crm', 'setup', '--yes', ...(crm === 'salesforce' ? ['--assign-permission-set'] : [])]);
      if (run.code !== 0) throw new Error(`crm setup failed:\n${run.stdout}`);
    }
    const validate = await cli(h, ['mappings', 'validate', '--live']);
    if (validate.code !== 0) throw new Error(`mappings validate --live against the org:\n${validate.stdout}`);
    view = viewOf(h, crm, shape);
  });
  const landedAs = async (referralId: string): Promise<string> => {
    const [link] = await h.store.findLinksByReferralIds([referralId]);
    if (!link?.crmId) throw new Error(`referral ${referralId} did not land: ${JSON.stringify(await h.store.listFailures())}`);
    return link.crmId;
  };
  /** Failures of the records this test made (the seeded org holds deals with problems of their own). */
  const failuresAbout = async (ids: readonly string[]) => (await h.store.listFailures()).filter((f) => ids.some((id) => f.key.includes(id))).map((f) => `${f.key}: ${f.reason}`);
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares a flagged co-sell deal as one referral, its customer read as this org keeps it', async () => {
    const crmId = view.createCoSellDeal(`Shared ${crm} ${profile}`);
    await runCycle(h.engine.deps, { direction: 'out' });
    expect(await failuresAbout([crmId])).toEqual([]);
    const pc = h.sandbox.partnerCenter.control;
    expect(pc.countByExternalReferenceId(crmId)).toBe(1);
    const referral = pc.list().find((r) => r.externalReferenceId === crmId);
    expect(referral?.customerProfile).toMatchObject({ name: `Shared ${crm} ${profile} GmbH`, address: { country: 'DE', postalCode: '80331' } });
    expect(referral?.customerProfile?.ids ?? []).toEqual(shape.duns ? [{ profileType: 'Duns', id: '315349521' }] : []);
    // Dataverse: the org's base currency (USD) when the seller picks none; Salesforce: the record's, else the org's.
    expect(referral?.details).toMatchObject({ dealValue: 120000, currency: crm === 'salesforce' && shape.multiCurrency ? 'EUR' : 'USD' });
  });

  it('lands a co-sell invitation waiting for an answer, and the seller accepting it accepts it in Partner Center', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite', overrides: { customerProfile: customerProfile(`Invited ${crm} ${profile} GmbH`), details: details(shape) } });
    await runInbound(h.engine.deps);
    expect(await failuresAbout([invite.id])).toEqual([]);
    const crmId = await landedAs(invite.id);
    expect(view.statusOf(crmId, 'opportunity')).toBe(view.waiting);
    // Made for the referral: its country as this org keeps countries (State and Country picklists fill in the name).
    const names = (shape.countries === 'name' && !setup) || (crm === 'salesforce' && shape.stateCountryPicklists);
    expect(view.accountCountryOf(crmId)).toBe(names ? 'Germany' : 'DE');
    h.sandbox.clock.advance(1000);
    view.accept(crmId);
    await runCycle(h.engine.deps);
    expect(await failuresAbout([invite.id])).toEqual([]);
    expect(pc.get(invite.id)).toMatchObject({ status: 'Active', substatus: 'Accepted', externalReferenceId: crmId });
  });

  it('lands a lead from Microsoft as a lead', async () => {
    const lead = h.sandbox.partnerCenter.control.createInbound({ category: 'lead', overrides: { customerProfile: customerProfile(`Lead ${crm} ${profile} AG`), details: details(shape) } });
    await runInbound(h.engine.deps);
    expect(await failuresAbout([lead.id])).toEqual([]);
    const crmId = await landedAs(lead.id);
    expect((await h.store.findLinksByReferralIds([lead.id]))[0]?.crmKind).toBe('lead');
    expect(view.statusOf(crmId, 'lead')).toBeDefined();
  });

  it('writes nothing on the next cycle', async () => {
    await runCycle(h.engine.deps);
    const reports = await runCycle(h.engine.deps);
    expect(reports.map((r) => r.written)).toEqual(reports.map(() => 0));
  });
});
