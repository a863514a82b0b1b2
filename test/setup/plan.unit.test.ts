/**
 * The setup plan, table-driven: the default mappings' needs against orgs in the shapes setup
 * meets (empty, complete, a field of another type, values missing, a user to assign), and the
 * steps and problems an admin would read.
 */
import { describe, expect, it } from '@jest/globals';
import { fieldNeeds } from '../../mappings/index.js';
import type { CrmFieldDescription, CrmSystem } from '../../src/domain/crm-record.js';
import type { ExistingField, FieldNeed, ObjectSetupState, OrgSetupState } from '../../src/domain/crm-setup.js';
import { describeAction, formatSetupPlan } from '../../src/setup/format-plan.js';
import { PERMISSION_SET, SETUP_FACTS, objectsToRead, planSetup } from '../../src/setup/plan.js';
import { loadDefault } from '../mappings/fixtures.js';

const NEEDS: Record<CrmSystem, FieldNeed[]> = { salesforce: fieldNeeds(loadDefault('salesforce')), dynamics: fieldNeeds(loadDefault('dynamics')) };

const TYPE_OF: Record<FieldNeed['type'], CrmFieldDescription['type']> = { text: 'string', checkbox: 'boolean', number: 'number', currency: 'currency', date: 'date', datetime: 'datetime', picklist: 'picklist' };

const standard = (name: string, type: CrmFieldDescription['type'], picklistValues: string[] | null = null): ExistingField => ({ name, type, custom: false, externalId: false, length: null, picklistValues });

const SF_STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
const STANDARD_FIELDS: Record<string, ExistingField[]> = {
  Opportunity: [standard('Name', 'string'), standard('StageName', 'picklist', [...SF_STAGES, 'On Hold', 'Declined', 'Expired'])],
  Lead: [standard('Company', 'string'), standard('Status', 'picklist', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'])],
  Account: [standard('Name', 'string')],
  opportunity: [standard('name', 'string'), standard('statecode', 'picklist', ['0', '1', '2']), standard('statuscode', 'picklist', ['1', '2', '3', '4', '5', '100000001', '100000002'])],
  lead: [standard('subject', 'string'), standard('statecode', 'picklist', ['0', '1', '2']), standard('statuscode', 'picklist', ['1', '2', '3', '4', '5', '6', '7'])],
  account: [standard('name', 'string')],
};

/** An org without any custom field, keys off, change tracking off, no permission set. */
function emptyOrg(system: CrmSystem): OrgSetupState {
  const keyed = SETUP_FACTS[system].keysAndTracking;
  return {
    system,
    objects: objectsToRead(system, NEEDS[system]).map((name) => ({ name, fields: [...(STANDARD_FIELDS[name] ?? [])], alternateKeys: keyed ? [] : null, changeTracking: keyed ? false : null })),
    permissionSet: system === 'salesforce' ? { name: PERMISSION_SET.name, exists: false, editable: [], assignees: [] } : null,
  };
}

/** The org after a complete setup: every field the mapping needs, of its kind, keys, tracking, access. */
function completeOrg(system: CrmSystem): OrgSetupState {
  const org = emptyOrg(system);
  const plan = planSetup({ system, needs: NEEDS[system], org });
  const objects: ObjectSetupState[] = org.objects.map((o) => ({ ...o, changeTracking: o.changeTracking === null ? null : true, fields: [...o.fields] }));
  for (const action of plan.actions) {
    const object = objects.find((o) => o.name === ('object' in action ? action.object : ''));
    if (action.kind === 'createField' && object) {
      const { need } = action;
      object.fields.push({ name: action.name, type: TYPE_OF[need.type], custom: true, externalId: need.externalId, length: need.length, picklistValues: need.type === 'picklist' ? need.options.map((o) => o.value) : null });
    }
    if (action.kind === 'createAlternateKey' && object) object.alternateKeys = [...(object.alternateKeys ?? []), action.columns];
  }
  const editable = plan.actions.flatMap((a) => (a.kind === 'grantFieldAccess' ? [`${a.object}.${a.field}`] : []));
  return { ...org, objects, permissionSet: org.permissionSet ? { ...org.permissionSet, exists: true, editable } : null };
}

/** `org` with one field of one object replaced (or added). */
function withField(org: OrgSetupState, object: string, field: Partial<ExistingField> & { name: string }): OrgSetupState {
  return {
    ...org,
    objects: org.objects.map((o) => {
      if (o.name !== object) return o;
      const current = o.fields.find((f) => f.name === field.name);
      const next = { ...(current ?? { type: 'string' as const, custom: true, externalId: false, length: null, picklistValues: null }), ...field };
      return { ...o, fields: [...o.fields.filter((f) => f.name !== field.name), next] };
    }),
  };
}

interface Row {
  name: string;
  system: CrmSystem;
  org: () => OrgSetupState;
  /** Step lines expected among the plan's (all of them when `exactSteps`). */
  steps: string[];
  exactSteps?: boolean;
  stepCount?: number;
  /** Per problem: where, and a text its what and fix contain. */
  problems: { where: string; says: string[] }[];
}

const ROWS: Row[] = [
  {
    name: 'Salesforce, an org without the custom fields: every field, a permission set granting each',
    system: 'salesforce',
    org: () => emptyOrg('salesforce'),
    steps: [
      'create field Opportunity.Referral_Id__c: Text(64), External ID, unique',
      'create field Opportunity.Sync_With_Partner_Center__c: Checkbox',
      'create field Opportunity.Microsoft_Help__c: Picklist (GeneralOrOther, CustomerTechnicalArchitecture, ProofOfConceptOrDemo, QuotesOrLicensing, PostSalesCustomerSuccess, WorkloadSpecificValueProposition)',
      'create field Opportunity.Referral_Status__c: Text(40)',
      'create field Opportunity.Respond_By__c: Date/Time',
      'create field Account.DUNS__c: Text(9)',
      'create field Opportunity.Contract_Start_Date__c: Date',
      'create field Opportunity.Contract_Term__c: Picklist (Finite, Perpetual)',
      'create field Opportunity.Registration_Status__c: Text(40)',
      'grant read and edit of Opportunity.Contract_Sign_Date__c in permission set Cosell_Sync',
      'create field Lead.Referral_Id__c: Text(64), External ID, unique',
      'create permission set Cosell_Sync ("cosell-sync integration")',
      'grant read and edit of Account.DUNS__c in permission set Cosell_Sync',
      'grant read and edit of Lead.Respond_By__c in permission set Cosell_Sync',
    ],
    // 12 fields on Opportunity and Account, 5 for deal registration, 5 on Lead, the set, and a grant for each field.
    stepCount: 22 + 1 + 22,
    problems: [],
  },
  { name: 'Salesforce, the org after setup: nothing to do', system: 'salesforce', org: () => completeOrg('salesforce'), steps: [], exactSteps: true, problems: [] },
  {
    name: 'Salesforce, the referral id is a number field: reported with how to fix, never changed',
    system: 'salesforce',
    org: () => withField(completeOrg('salesforce'), 'Opportunity', { name: 'Referral_Id__c', type: 'number', externalId: true }),
    steps: [],
    exactSteps: true,
    problems: [{ where: 'Opportunity.Referral_Id__c', says: ['is a number field', 'salesforce.yaml:', 'Text(64)', 'Change Field Type', 'never changes'] }],
  },
  {
    name: 'Salesforce, the referral id is text but not an external id',
    system: 'salesforce',
    org: () => withField(completeOrg('salesforce'), 'Lead', { name: 'Referral_Id__c', externalId: false }),
    steps: [],
    exactSteps: true,
    problems: [{ where: 'Lead.Referral_Id__c', says: ['not an External ID', 'tick External ID and Unique'] }],
  },
  {
    name: 'Salesforce, the help picklist lacks two values: they are added',
    system: 'salesforce',
    org: () => withField(completeOrg('salesforce'), 'Opportunity', { name: 'Microsoft_Help__c', type: 'picklist', picklistValues: ['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing'] }),
    steps: ['add picklist values to Opportunity.Microsoft_Help__c: PostSalesCustomerSuccess, WorkloadSpecificValueProposition'],
    exactSteps: true,
    problems: [],
  },
  {
    name: 'Salesforce, only the standard stages: the stages the mapping uses are added, open or closed as its value map reads them',
    system: 'salesforce',
    org: () => withField(completeOrg('salesforce'), 'Opportunity', { name: 'StageName', custom: false, type: 'picklist', picklistValues: SF_STAGES }),
    steps: ['add Opportunity.StageName values: On Hold (open), Declined (closed, lost), Expired (closed, lost)'],
    exactSteps: true,
    problems: [],
  },
  {
    name: 'Salesforce, a standard picklist setup does not extend lacks a value: reported with where to add it',
    system: 'salesforce',
    org: () => withField(completeOrg('salesforce'), 'Lead', { name: 'Status', custom: false, type: 'picklist', picklistValues: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted'] }),
    steps: [],
    exactSteps: true,
    problems: [{ where: 'Lead.Status', says: ['"Closed - Not Converted"', 'Setup > Object Manager > Lead > Fields & Relationships > Status'] }],
  },
  {
    name: 'Salesforce, a user to assign the permission set to',
    system: 'salesforce',
    org: () => ({ ...completeOrg('salesforce'), assignee: { asked: 'integration@example.com', id: '005000000000001AAA' } }),
    steps: ['assign permission set Cosell_Sync to integration@example.com (005000000000001AAA)'],
    exactSteps: true,
    problems: [],
  },
  {
    name: 'Salesforce, the permission set already assigned: nothing to do',
    system: 'salesforce',
    org: () => {
      const org = completeOrg('salesforce');
      return { ...org, assignee: { asked: '005000000000001AAA', id: '005000000000001AAA' }, permissionSet: org.permissionSet ? { ...org.permissionSet, assignees: ['005000000000001AAA'] } : null };
    },
    steps: [],
    exactSteps: true,
    problems: [],
  },
  {
    name: 'Salesforce, a user that does not exist',
    system: 'salesforce',
    org: () => ({ ...completeOrg('salesforce'), assignee: { asked: 'nobody@example.com', id: null } }),
    steps: [],
    exactSteps: true,
    problems: [{ where: 'user nobody@example.com', says: ['no active user'] }],
  },
  {
    name: 'Dataverse, an org without the cosell_ columns: columns, the referral-id keys, change tracking',
    system: 'dynamics',
    org: () => emptyOrg('dynamics'),
    steps: [
      'create field opportunity.cosell_referralid: Text(64), alternate key',
      'create field opportunity.cosell_microsofthelp: Choice (100000000 GeneralOrOther, 100000001 CustomerTechnicalArchitecture, 100000002 ProofOfConceptOrDemo, 100000003 QuotesOrLicensing, 100000004 PostSalesCustomerSuccess, 100000005 WorkloadSpecificValueProposition)',
      'create field opportunity.cosell_syncwithpartnercenter: Yes/No',
      'create field opportunity.cosell_respondby: Date and time',
      'create field opportunity.cosell_declinereason: Text(500)',
      'create field account.cosell_duns: Text(9)',
      'create field lead.cosell_referralid: Text(64), alternate key',
      'create alternate key cosell_referralid_key on opportunity (cosell_referralid)',
      'create alternate key cosell_referralid_key on lead (cosell_referralid)',
      'turn on change tracking for opportunity',
      'turn on change tracking for lead',
    ],
    // 12 columns on opportunity and account, 5 on lead, 2 keys, 2 tables tracked.
    stepCount: 17 + 2 + 2,
    problems: [],
  },
  { name: 'Dataverse, the org after setup: nothing to do', system: 'dynamics', org: () => completeOrg('dynamics'), steps: [], exactSteps: true, problems: [] },
  {
    name: 'Dataverse, standard status reasons only: the two co-sell reasons are added under the Lost state',
    system: 'dynamics',
    org: () => withField(completeOrg('dynamics'), 'opportunity', { name: 'statuscode', custom: false, type: 'picklist', picklistValues: ['1', '2', '3', '4', '5'] }),
    steps: ['add opportunity.statuscode values: 100000001 Declined (closed, lost), 100000002 Expired (closed, lost)'],
    exactSteps: true,
    problems: [],
  },
  {
    name: 'Dataverse, the referral id is a Yes/No column: reported, and no key is made on it',
    system: 'dynamics',
    org: () => {
      const org = withField(emptyOrg('dynamics'), 'lead', { name: 'cosell_referralid', type: 'boolean' });
      return { ...org, objects: org.objects.map((o) => ({ ...o, changeTracking: true })) };
    },
    steps: ['create alternate key cosell_referralid_key on opportunity (cosell_referralid)'],
    problems: [{ where: 'lead.cosell_referralid', says: ['is a boolean field', 'Text(64)', 'cannot change a column\'s type'] }],
  },
];

describe('planSetup', () => {
  it.each(ROWS)('$name', (row) => {
    const plan = planSetup({ system: row.system, needs: NEEDS[row.system], org: row.org() });
    const lines = plan.actions.map((a) => describeAction(a, row.system));
    if (row.exactSteps) expect(lines).toEqual(row.steps);
    else expect(lines).toEqual(expect.arrayContaining(row.steps));
    if (row.stepCount !== undefined) expect(lines).toHaveLength(row.stepCount);
    if (row.name.includes('no key is made')) expect(lines).not.toContain('create alternate key cosell_referralid_key on lead (cosell_referralid)');
    expect(plan.problems.map((p) => p.where)).toEqual(row.problems.map((p) => p.where));
    row.problems.forEach((expected, i) => {
      const text = `${plan.problems[i]?.what ?? ''} ${plan.problems[i]?.fix ?? ''}`;
      for (const part of expected.says) expect(text).toContain(part);
    });
  });

  it('prints "nothing to do" for a complete org, and each step with where the mapping asks for it', () => {
    expect(formatSetupPlan(planSetup({ system: 'salesforce', needs: NEEDS.salesforce, org: completeOrg('salesforce') }))).toBe('Salesforce: nothing to do\n');
    const text = formatSetupPlan(planSetup({ system: 'dynamics', needs: NEEDS.dynamics, org: emptyOrg('dynamics') }));
    expect(text).toMatch(/^Dataverse: 21 step\(s\)\n/);
    expect(text).toMatch(/create field opportunity\.cosell_referralid: Text\(64\), alternate key {3}\(.*dynamics\.yaml:\d+ opportunity\.externalIdField\)/);
  });
});
