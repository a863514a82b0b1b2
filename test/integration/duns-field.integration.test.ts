/**
 * The DUNS field is the mapping's to name, for both CRMs: the account field its
 * customerProfile.duns rule reads is the one inbound referrals' accounts are matched on and
 * written to. A mapping without that rule writes no DUNS at all (fields the mapping does not name
 * are not written); a field of the admin's own name, made by `crm setup`, is matched on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { runInbound } from '../../src/engine/cycle.js';
import { SANDBOX_SOLUTION_ID } from '../../sandbox/start-sandbox.js';
import { captureText } from '../app/helpers.js';
import { defaultMappingPath, mappingTextFor, type CrmName } from '../support/org-mappings.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

const DUNS = '315349521';

const invitation = (name: string) => ({
  customerProfile: {
    name,
    address: { addressLine1: '5 Hauptstraße', addressLine2: null, city: 'München', state: 'BY', region: null, postalCode: '80331', country: 'DE' },
    size: 'Size51to250',
    ids: [{ profileType: 'Duns', id: DUNS }],
    team: [{ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@duns.example', phoneNumber: null, title: 'CIO' }],
  },
  details: {
    notes: null,
    dealValue: 50000,
    currency: 'USD',
    closingDateTime: '2027-06-30T00:00:00Z',
    customerRequestedContact: false,
    requirements: { industries: [], products: [], services: [], solutions: [{ id: SANDBOX_SOLUTION_ID, name: 'Contoso Cloud', type: 'Name', solutionType: '3P' }], offers: [], salesPlays: [] },
  },
});

/** The account an inbound referral's opportunity landed under, as the CRM holds it. */
async function landedAccount(h: Harness, crm: CrmName, referralId: string): Promise<Record<string, unknown>> {
  const [link] = await h.store.findLinksByReferralIds([referralId]);
  if (!link?.crmId) throw new Error(`did not land: ${JSON.stringify(await h.store.listFailures())}`);
  if (crm === 'salesforce') {
    const sf = h.sandbox.salesforce!.control;
    return sf.getRecord({ type: 'Account', id: String(sf.getRecord({ type: 'Opportunity', id: link.crmId })?.['AccountId']) }) ?? {};
  }
  const dv = h.sandbox.dynamics!.control;
  return dv.getRecord({ table: 'accounts', id: String(dv.getRecord({ table: 'opportunities', id: link.crmId })?.['_parentaccountid_value']) }) ?? {};
}

async function start(crm: CrmName, orgProfile: string, mappingText: string): Promise<{ h: Harness; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-duns-'));
  const file = join(dir, `${crm}.yaml`);
  writeFileSync(file, mappingText);
  const h = await startHarness({ size: 8, crms: [crm], sandbox: { orgProfile, salesforce: { participatingRate: 0 } }, mappingFiles: { [crm]: file } });
  return { h, dir };
}

const FIELDS = {
  salesforce: { standard: 'DUNS__c', own: 'Dun_Bradstreet_Number__c', lookup: 'Account' },
  dynamics: { standard: 'cosell_duns', own: 'cosell_dunsnumber', lookup: 'parentaccountid' },
} as const;

describe.each(['salesforce', 'dynamics'] as const)('%s: the DUNS field the mapping names', (crm) => {
  const f = FIELDS[crm];

  describe('a mapping without a DUNS rule, in an org that has a DUNS field', () => {
    let h: Harness;
    let dir: string;
    beforeAll(async () => {
      ({ h, dir } = await start(crm, 'standard', mappingTextFor(crm, { cosellStages: true, duns: false })));
    });
    afterAll(async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes no DUNS on the account made for an inbound referral', async () => {
      const invite = h.sandbox.partnerCenter.control.createInbound({ category: 'coSellInvite', overrides: invitation('Unnumbered Kunde GmbH') });
      await runInbound(h.engine.deps);
      const account = await landedAccount(h, crm, invite.id);
      expect(account).toMatchObject({ [crm === 'salesforce' ? 'Name' : 'name']: 'Unnumbered Kunde GmbH', [f.standard]: null });
    });
  });

  describe('a DUNS field of the admin\'s own name, made by crm setup in an org without one', () => {
    let h: Harness;
    let dir: string;
    beforeAll(async () => {
      const text = readFileSync(defaultMappingPath(crm), 'utf8').replace(`crm: ${f.lookup}.${f.standard}`, `crm: ${f.lookup}.${f.own}`);
      ({ h, dir } = await start(crm, 'no-duns', text));
      const stdout = captureText();
      const ctx: CliContext = { stdout: stdout.write, stderr: () => undefined, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
      const code = await runCli(['crm', 'setup', '--yes', ...(crm === 'salesforce' ? ['--assign-permission-set'] : []), '--config', h.configFile], ctx);
      expect(stdout.text()).toContain(f.own);
      expect(code).toBe(0);
    });
    afterAll(async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes the DUNS there, and the next referral with that DUNS finds the same account under another name', async () => {
      const pc = h.sandbox.partnerCenter.control;
      const first = pc.createInbound({ category: 'coSellInvite', overrides: invitation('Numbered Kunde GmbH') });
      await runInbound(h.engine.deps);
      const account = await landedAccount(h, crm, first.id);
      expect(account[f.own]).toBe(DUNS);
      const second = pc.createInbound({ category: 'coSellInvite', overrides: invitation('Numbered Kunde Holding') });
      await runInbound(h.engine.deps);
      const again = await landedAccount(h, crm, second.id);
      expect(again[crm === 'salesforce' ? 'Id' : 'accountid']).toBe(account[crm === 'salesforce' ? 'Id' : 'accountid']);
    });
  });
});
