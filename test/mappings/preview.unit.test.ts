import { describe, expect, it } from '@jest/globals';
import { formatPreview, previewFromCrm, previewFromReferral } from '../../mappings/index.js';
import { dvOpportunity, loadDefault, referral, sfOpportunity } from './fixtures.js';

/** The table row whose first cell is `first`, split into its cells. */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${first} `));
  if (!line) throw new Error(`no row for ${first} in:\n${text}`);
  return line.split(' | ').map((c) => c.trim());
}

describe('preview of an outbound record', () => {
  const mapping = loadDefault('salesforce');
  const record = sfOpportunity({ Amount: 0, Description: '', Microsoft_Help__c: 'GeneralOrOther', OpportunityContactRoles: [] });
  const text = formatPreview(previewFromCrm({ mapping, record, ctx: { timeZone: 'Asia/Tokyo' } }));

  it('says which record becomes which kind of deal', () => {
    expect(text.split('\n')[0]).toBe('CRM opportunity 006000000000001AAA -> Partner Center referral (deal type: co-sell, help GeneralOrOther)');
  });

  it('shows source value, transform and result for each field', () => {
    expect(row(text, 'Amount')).toEqual(['Amount', '0', expect.stringContaining('minor unit'), 'details.dealValue', '0']);
    expect(row(text, 'Description')).toEqual(['Description', '""', 'text; max 32000 chars to CRM', 'details.notes', '""']);
    expect(row(text, 'CloseDate')).toEqual(['CloseDate', '"2024-11-14"', expect.stringContaining('date-only'), 'details.closingDateTime', '"2024-11-13T15:00:00.000Z"']);
    expect(row(text, 'StageName')).toEqual(['StageName', '"Qualification"', expect.stringContaining('value map'), 'status', '"Active/Accepted"']);
  });

  it('marks the field that stops the create, and lists it under problems', () => {
    expect(row(text, 'OpportunityContactRoles')[4]).toContain('!! required for a co-sell');
    expect(text).toContain('(nothing: required data is missing, see problems)');
    expect(text).toContain("  - customerProfile.team (OpportunityContactRoles): required for a co-sell: 'customerProfile.team' has no value");
  });

  it('shows the referral that would be sent when nothing is missing', () => {
    const ok = formatPreview(previewFromCrm({ mapping, record: sfOpportunity(), ctx: { timeZone: 'UTC' } }));
    expect(ok).toContain('Problems: none');
    expect(ok).toContain('"externalReferenceId": "006000000000001AAA"');
    expect(ok).toContain('"type": "Independent"');
  });

  it('says when a field is absent from the record and will be left alone', () => {
    const partial = sfOpportunity();
    delete partial.fields['Partner_Center_Campaign__c'];
    const report = previewFromCrm({ mapping, record: partial, ctx: { timeZone: 'UTC' } });
    expect(report.rows.find((r) => r.path === 'campaignId')).toMatchObject({ source: '(absent)', result: '(absent: left unchanged)' });
  });
});

describe('preview of an inbound referral', () => {
  it('shows the Dataverse fields a referral would write, the status pair included', () => {
    const mapping = loadDefault('dynamics');
    const r = referral({ status: 'Closed', substatus: 'Won' });
    const text = formatPreview(previewFromReferral({ mapping, referral: r, kind: 'opportunity', ctx: { timeZone: 'Pacific/Honolulu' }, mode: 'update' }));
    expect(text.split('\n')[0]).toBe(`Partner Center referral ${r.id} -> CRM opportunity`);
    expect(row(text, 'details.closingDateTime')).toEqual(['details.closingDateTime', '"2025-03-31T11:00:00Z"', expect.any(String), 'estimatedclosedate', '"2025-03-31"']);
    const statusRow = text.split('\n').find((l) => l.startsWith('status ') && l.includes('statuscode'));
    expect(statusRow?.split(' | ').map((c) => c.trim())).toEqual(['status', '"Closed/Won"', expect.stringContaining('also sets statecode on update'), 'statuscode', 'statuscode=3, statecode=1']);
  });

  it('previews a record the mapping reads from Dataverse', () => {
    const mapping = loadDefault('dynamics');
    const text = formatPreview(previewFromCrm({ mapping, record: dvOpportunity(), ctx: { timeZone: 'Europe/Berlin' } }));
    expect(row(text, 'parentcontactid')).toEqual([
      'parentcontactid',
      expect.stringContaining('parentcontactid.firstname="Jörg"'),
      expect.stringContaining('parentcontactid <-> one person'),
      'customerProfile.team',
      expect.stringContaining('"email":"joerg@fabrikam.example"'),
    ]);
  });
});
