import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadMappingFile, parseMapping } from '../../mappings/index.js';
import { loadDefault, referral, sfOpportunity } from './fixtures.js';

const minimal = readFileSync(fileURLToPath(new URL('./minimal.yaml', import.meta.url)), 'utf8');

describe('loading mapping files', () => {
  it('says so when the file cannot be read', () => {
    const loaded = loadMappingFile('/nonexistent/mapping.yaml');
    expect(loaded.ok ? [] : loaded.error).toEqual([
      { file: '/nonexistent/mapping.yaml', line: 0, column: 0, path: '', message: 'cannot read the mapping file (ENOENT)' },
    ]);
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = minimal.replace('referral: details.dealValue', 'referral: details.amount').replace('      crm: CloseDate\n', '      crm: CloseDate\n      policy: sometimes\n');
    const loaded = parseMapping({ text, file: 'admin.yaml' });
    const problems = loaded.ok ? [] : loaded.error;
    expect(problems.map((p) => [p.file, p.path])).toEqual([
      ['admin.yaml', 'opportunity.fields[1].referral'],
      ['admin.yaml', 'opportunity.fields[3].policy'],
    ]);
    expect(problems[0]!.line).toBeLessThan(problems[1]!.line);
  });

  it("checks a value map against the org's own stage list when the file gives one", () => {
    const custom = minimal.replace('    StageName: [Prospecting,', '    StageName: [Discovery, Prospecting,');
    const loaded = parseMapping({ text: custom, file: 'custom.yaml' });
    expect(loaded.ok ? [] : loaded.error.map((p) => p.message)).toEqual(['the value map does not cover every StageName value: missing "Discovery"']);
    const covered = custom.replace('            Qualification: Active/Accepted\n', '            Qualification: Active/Accepted\n            Discovery: Active/Accepted\n');
    expect(parseMapping({ text: covered, file: 'custom.yaml' }).ok).toBe(true);
  });

  it('lets an admin route leads elsewhere: skip every lead, keep co-sell opportunities', () => {
    const text = minimal.replace('  otherwise: skip', '  otherwise: skip\n').replace('    - when: { qualification: [SalesQualified] }\n      becomes: opportunity', '    - when: { invitedBy: [partner, none], qualification: [SalesQualified, None] }\n      becomes: opportunity');
    const loaded = parseMapping({ text, file: 'co-sell-only.yaml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.value.inboundKind(referral({ type: 'Independent', qualification: 'Direct' }))).toBeNull();
    expect(loaded.value.inboundKind(referral({ inviteContext: null, qualification: 'SalesQualified' }))).toBe('opportunity');
  });

  it('uses a default when the CRM field is empty, but never in place of 0', () => {
    const text = minimal.replace('      transform: money\n', '      transform: money\n      default: 1000\n');
    const loaded = parseMapping({ text, file: 'defaults.yaml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const ctx = { timeZone: 'UTC' };
    expect(loaded.value.opportunity.fromCrm(sfOpportunity({ Amount: null }), ctx).values['details.dealValue']).toBe(1000);
    expect(loaded.value.opportunity.fromCrm(sfOpportunity({ Amount: 0 }), ctx).values['details.dealValue']).toBe(0);
  });
});

describe('participation and deal type an admin configures', () => {
  it('takes part only when every condition holds, and reads the note sent with a co-sell', () => {
    const text = minimal
      .replace(
        '    - { field: Sync_With_Partner_Center__c, equals: true }\n',
        '    - { field: Sync_With_Partner_Center__c, equals: true }\n    - { field: StageName, notIn: [Closed Lost, Declined] }\n    - { field: Type, in: [New Customer, null] }\n',
      )
      .replace('    shareField: Share_With_Microsoft__c\n', '    shareField: Share_With_Microsoft__c\n    helpNotesField: NextStep\n');
    const loaded = parseMapping({ text, file: 'conditions.yaml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const om = loaded.value.opportunity;
    expect(om.participates(sfOpportunity({ Type: 'New Customer' }))).toBe(true);
    expect(om.participates(sfOpportunity({ Type: null }))).toBe(true);
    expect(om.participates(sfOpportunity({ Type: 'Existing Customer - Upgrade' }))).toBe(false);
    expect(om.participates(sfOpportunity({ StageName: 'Declined' }))).toBe(false);
    expect(om.dealType(sfOpportunity({ Microsoft_Help__c: 'QuotesOrLicensing', NextStep: 'Need pricing for 500 seats' }))).toEqual({
      kind: 'coSell',
      help: 'QuotesOrLicensing',
      notes: 'Need pricing for 500 seats',
    });
  });
});

describe('YAML an admin may write', () => {
  it('accepts a shared block through an anchor and a merge key', () => {
    const text = minimal.replace(
      '    - referral: id\n',
      [
        '    - referral: team',
        '      crm: OpportunityTeamMembers',
        '      direction: toPartnerCenter',
        '      transform: { members: { rows: true, fields: &person { firstName: User.FirstName, lastName: User.LastName } } }',
        '    - referral: customerProfile.team',
        '      crm: OpportunityContactRoles',
        '      direction: toPartnerCenter',
        '      transform: { members: { rows: true, fields: { <<: *person, email: Contact.Email } } }',
        '    - referral: id',
        '',
      ].join('\n'),
    );
    const loaded = parseMapping({ text, file: 'anchors.yaml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.value.opportunity.childFields['OpportunityContactRoles']).toEqual(['User.FirstName', 'User.LastName', 'Contact.Email']);
  });
});

describe('rules as the engine sees them', () => {
  it('gives one rule per referral path, the status flowing both ways through StageName', () => {
    const { rules } = loadDefault('salesforce').opportunity;
    const paths = rules.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(rules.find((r) => r.path === 'status')).toEqual({ path: 'status', crmField: 'StageName', direction: 'both', policy: 'newestWins' });
  });

  it('covers what Microsoft connectors sync, in both default files', () => {
    const expected = [
      'name',
      'details.dealValue',
      'details.currency',
      'details.closingDateTime',
      'details.notes',
      'status',
      'customerProfile.name',
      'customerProfile.address.country',
      'customerProfile.team',
      'team',
      'details.solutions',
      'campaignId',
      'externalReferenceId',
      'inviteContext.assistanceRequestCode',
      'consent.consentToShareReferralWithMicrosoftSellers',
    ];
    for (const name of ['salesforce', 'dynamics'] as const) {
      expect(loadDefault(name).opportunity.rules.map((r) => r.path)).toEqual(expect.arrayContaining(expected));
    }
  });

  it('writes no answer deadline onto our own deals', () => {
    const dv = loadDefault('dynamics');
    const own = referral({ direction: 'Outgoing', status: 'Active', substatus: 'Accepted' });
    expect(dv.opportunity.fromReferral(own, { timeZone: 'UTC' }).values['respondBy']).toBeNull();
  });
});
