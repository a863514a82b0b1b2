import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { CrmFieldDescription, CrmObjectDescription } from '../../src/domain/crm-record.js';
import { checkAgainstDescription } from '../../mappings/index.js';
import { loadDefault, mappingPath } from './fixtures.js';

const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', 'On Hold', 'Declined', 'Expired'];
const HELP = ['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', 'PostSalesCustomerSuccess', 'WorkloadSpecificValueProposition'];

const field = (path: string, type: CrmFieldDescription['type'], extra: Partial<CrmFieldDescription> = {}): CrmFieldDescription => ({
  path,
  type,
  label: path,
  length: type === 'string' ? 255 : null,
  createable: true,
  updateable: true,
  required: false,
  picklistValues: null,
  ...extra,
});

/** A sandbox org's Opportunity describe, as docs/crm-custom-fields.md defines it. */
function opportunityDescription(change: (fields: CrmFieldDescription[]) => CrmFieldDescription[] = (f) => f): CrmObjectDescription {
  const fields = [
    field('Id', 'id', { createable: false, updateable: false }),
    field('Name', 'string', { length: 120 }),
    field('Amount', 'currency'),
    field('CurrencyIsoCode', 'picklist'),
    field('CloseDate', 'date'),
    field('Description', 'textarea', { length: 32000 }),
    field('StageName', 'picklist', { picklistValues: STAGES }),
    field('Decline_Reason__c', 'string'),
    field('Referral_Status__c', 'string', { length: 40 }),
    field('Sync_With_Partner_Center__c', 'boolean'),
    field('Referral_Id__c', 'string', { length: 64 }),
    field('Microsoft_Help__c', 'picklist', { picklistValues: HELP }),
    field('Share_With_Microsoft__c', 'boolean'),
    field('Microsoft_CRM_Id__c', 'string', { length: 64 }),
    field('Microsoft_Co_Sell_Status__c', 'string', { length: 40 }),
    field('Solution_Ids__c', 'string'),
    field('Partner_Center_Campaign__c', 'string', { length: 64 }),
    field('Respond_By__c', 'datetime'),
    field('OpportunityContactRoles', 'child'),
    field('OpportunityTeamMembers', 'child'),
  ];
  return { kind: 'opportunity', fields: change(fields) };
}

/** Line and column of `text` in the default Salesforce file (the first match). */
function where(text: string): { line: number; column: number } {
  const lines = readFileSync(mappingPath('salesforce'), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  return { line: index + 1, column: (lines[index] ?? '').indexOf(text) + 1 };
}

describe('mapping against the CRM metadata (validate --live)', () => {
  const mapping = loadDefault('salesforce');
  const check = (change?: (f: CrmFieldDescription[]) => CrmFieldDescription[]) =>
    checkAgainstDescription({ mapping, descriptions: [opportunityDescription(change)] });

  it('finds nothing wrong with the org the defaults were written for', () => {
    expect(check()).toEqual([]);
  });

  it('points at the rule whose CRM field the org does not have', () => {
    const problems = check((f) => f.filter((x) => x.path !== 'Solution_Ids__c'));
    const at = where('Solution_Ids__c');
    expect(problems).toEqual([
      { file: mapping.file, line: at.line, column: at.column, path: expect.stringMatching(/^opportunity\.fields\[\d+\]\.crm$/), message: "the CRM has no opportunity field 'Solution_Ids__c'" },
    ]);
  });

  it('reports a stage the org added and the value map does not know', () => {
    const problems = check((f) => f.map((x) => (x.path === 'StageName' ? { ...x, picklistValues: [...STAGES, 'Discovery'] } : x)));
    expect(problems.map((p) => p.message)).toEqual(['the value map does not cover StageName values of this org: "Discovery"']);
    expect(problems[0]?.line).toBe(where('crm: StageName').line);
  });

  it('reports a limit shorter than maxLength, a type the transform cannot write, and a read-only field', () => {
    const problems = check((f) =>
      f.map((x) => {
        if (x.path === 'Name') return { ...x, length: 80 };
        if (x.path === 'Amount') return { ...x, type: 'string' as const };
        if (x.path === 'Decline_Reason__c') return { ...x, updateable: false };
        return x;
      }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'maxLength 120 is longer than Name allows (80)',
      "transform 'money' does not fit Amount, a string field",
      'Decline_Reason__c is read-only in the CRM, but the rule writes it (direction both)',
    ]);
  });

  it('reports the sync flag the participation filter reads when the org lacks it', () => {
    const problems = check((f) => f.filter((x) => x.path !== 'Sync_With_Partner_Center__c'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['opportunity.participation[0].field', "the CRM has no opportunity field 'Sync_With_Partner_Center__c'"],
    ]);
  });
});
