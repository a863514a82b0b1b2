import { beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSalesforceEmulator, type SalesforceControl } from '../../../sandbox/salesforce/index.js';

/** The sandbox clock without real time passing, so "within one second" does not depend on how busy the machine is. */
class StillClock extends SandboxClock {
  private at: number;
  constructor(start: Date) {
    super(start);
    this.at = start.getTime();
  }
  override now(): Date {
    return new Date(this.at);
  }
  override advance(ms: number): void {
    this.at += ms;
  }
}

let control: SalesforceControl;
let clock: SandboxClock;

const OPP = { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2024-06-30' };

function create(type: string, fields: Record<string, unknown>): string {
  const result = control.createRecord({ type, fields });
  if (!result.success || result.id === null) throw new Error(JSON.stringify(result.errors));
  return result.id;
}

function codes(result: { errors: Array<{ statusCode: string; fields: string[] }> }): Array<[string, string[]]> {
  return result.errors.map((e) => [e.statusCode, e.fields]);
}

function field(type: string, id: string, name: string): unknown {
  return control.getRecord({ type, id })?.[name];
}

beforeEach(() => {
  clock = new StillClock(new Date('2024-03-10T12:00:00Z'));
  ({ control } = createSalesforceEmulator({ clock, seed: 5, size: 0 }));
});

describe('record validation', () => {
  it.each([
    [{ Name: 'x' }, 'REQUIRED_FIELD_MISSING', ['CloseDate', 'StageName']],
    [{ ...OPP, StageName: 'Won-ish' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['StageName']],
    [{ ...OPP, Name: 'n'.repeat(121) }, 'STRING_TOO_LONG', ['Name']],
    [{ ...OPP, IsWon: true }, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['IsWon']],
    [{ ...OPP, AccountId: '001000000000000' }, 'INVALID_CROSS_REFERENCE_KEY', ['AccountId']],
    [{ ...OPP, AccountId: 'not-an-id' }, 'MALFORMED_ID', ['AccountId']],
    [{ ...OPP, Microsoft_Help__c: 'Coffee' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Microsoft_Help__c']],
  ])('refuses %j with %s', (fields, code, names) => {
    expect(codes(control.createRecord({ type: 'Opportunity', fields }))).toEqual([[code, names]]);
  });

  it('keeps the unique external id unique (DUPLICATE_VALUE), ignoring case', () => {
    create('Opportunity', { ...OPP, Referral_Id__c: 'ref-7' });
    const again = control.createRecord({ type: 'Opportunity', fields: { ...OPP, Referral_Id__c: 'REF-7' } });
    expect(again.errors[0]?.statusCode).toBe('DUPLICATE_VALUE');
    expect(control.countRecords({ type: 'Opportunity', field: 'Referral_Id__c', value: 'Ref-7' })).toBe(1);
  });

  it('refuses writes to, and lookups at, rows in the Recycle Bin (ENTITY_IS_DELETED)', () => {
    const account = create('Account', { Name: 'Gone' });
    const opp = create('Opportunity', OPP);
    control.deleteRecord({ type: 'Account', id: account });
    control.deleteRecord({ type: 'Opportunity', id: opp });
    expect(codes(control.editRecord({ type: 'Opportunity', id: opp, fields: { Name: 'x' } }))).toEqual([['ENTITY_IS_DELETED', []]]);
    expect(codes(control.createRecord({ type: 'Opportunity', fields: { ...OPP, AccountId: account } }))).toEqual([['ENTITY_IS_DELETED', ['AccountId']]]);
    expect(codes(control.editRecord({ type: 'Opportunity', id: '006000000000000', fields: {} }))).toEqual([['NOT_FOUND', []]]);
  });

  it('keeps the billing country name and ISO code in step and refuses unknown countries', () => {
    const id = create('Account', { Name: 'A', BillingCountryCode: 'DE' });
    expect(field('Account', id, 'BillingCountry')).toBe('Germany');
    control.editRecord({ type: 'Account', id, fields: { BillingCountry: 'France' } });
    expect(field('Account', id, 'BillingCountryCode')).toBe('FR');
    expect(control.editRecord({ type: 'Account', id, fields: { BillingCountry: 'Atlantis' } }).errors[0]?.statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });
});

describe('derived fields', () => {
  it('derives IsClosed, IsWon, Probability and the forecast category from the stage', () => {
    const id = create('Opportunity', { ...OPP, Amount: 1000 });
    expect(control.getRecord({ type: 'Opportunity', id })).toMatchObject({ IsClosed: false, IsWon: false, Probability: 10, ForecastCategoryName: 'Pipeline', ExpectedRevenue: 100 });
    control.editRecord({ type: 'Opportunity', id, fields: { StageName: 'Closed Won' } });
    expect(control.getRecord({ type: 'Opportunity', id })).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100, ForecastCategoryName: 'Closed', ForecastCategory: 'Closed' });
    control.editRecord({ type: 'Opportunity', id, fields: { StageName: 'Declined' } });
    expect(control.getRecord({ type: 'Opportunity', id })).toMatchObject({ IsClosed: true, IsWon: false, Probability: 0, ForecastCategoryName: 'Omitted' });
    control.editRecord({ type: 'Opportunity', id, fields: { StageName: 'On Hold', Probability: 35 } });
    expect(control.getRecord({ type: 'Opportunity', id })).toMatchObject({ IsClosed: false, Probability: 35 });
  });

  it('allows one primary contact role per opportunity', () => {
    const account = create('Account', { Name: 'A' });
    const opp = create('Opportunity', { ...OPP, AccountId: account });
    const c1 = create('Contact', { LastName: 'One', AccountId: account });
    const c2 = create('Contact', { LastName: 'Two', AccountId: account });
    const r1 = create('OpportunityContactRole', { OpportunityId: opp, ContactId: c1, IsPrimary: true });
    create('OpportunityContactRole', { OpportunityId: opp, ContactId: c2, IsPrimary: true });
    expect(field('OpportunityContactRole', r1, 'IsPrimary')).toBe(false);
    expect(control.countRecords({ type: 'OpportunityContactRole', field: 'IsPrimary', value: true })).toBe(1);
  });
});

describe('SystemModstamp and LastModifiedDate', () => {
  it('gives two writes of a row within one second the same whole-second stamp, and never goes back', () => {
    clock.advance(250);
    const id = create('Opportunity', OPP);
    const created = field('Opportunity', id, 'SystemModstamp');
    expect(created).toBe('2024-03-10T12:00:00.000+0000');
    expect(field('Opportunity', id, 'CreatedDate')).toBe(created);
    clock.advance(500);
    control.editRecord({ type: 'Opportunity', id, fields: { NextStep: 'same second' } });
    expect(field('Opportunity', id, 'SystemModstamp')).toBe(created);
    expect(field('Opportunity', id, 'LastModifiedDate')).toBe(created);
    clock.advance(400);
    control.editRecord({ type: 'Opportunity', id, fields: { NextStep: 'next second' } });
    expect(field('Opportunity', id, 'SystemModstamp')).toBe('2024-03-10T12:00:01.000+0000');
    control.editRecord({ type: 'Opportunity', id, fields: { NextStep: 'late commit' }, stamp: new Date('2024-03-10T11:00:00.999Z') });
    expect(field('Opportunity', id, 'SystemModstamp')).toBe('2024-03-10T11:00:00.000+0000');
    control.editRecord({ type: 'Opportunity', id, fields: { NextStep: 'after the late commit' } });
    expect(field('Opportunity', id, 'SystemModstamp')).toBe('2024-03-10T12:00:01.000+0000');
  });

  it('lets a person edit within the same second as an earlier write, the clock having moved on', () => {
    const a = create('Opportunity', { ...OPP, Name: 'A' });
    const daemonWrite = String(field('Opportunity', a, 'SystemModstamp'));
    clock.advance(30_000);
    const b = create('Opportunity', { ...OPP, Name: 'B' });
    expect(control.editInSameSecond({ type: 'Opportunity', id: a, fields: { NextStep: 'person' } }).success).toBe(true);
    expect(control.getRecord({ type: 'Opportunity', id: a })).toMatchObject({ NextStep: 'person', SystemModstamp: daemonWrite, LastModifiedDate: daemonWrite });
    clock.advance(30_000);
    control.editInSameSecond({ type: 'Opportunity', id: a, fields: { NextStep: 'with B' }, sameSecondAs: b });
    expect(field('Opportunity', a, 'SystemModstamp')).toBe(field('Opportunity', b, 'SystemModstamp'));
    const older = create('Account', { Name: 'Older' });
    control.editRecord({ type: 'Account', id: older, fields: { Name: 'Older' }, stamp: new Date('2024-03-10T09:00:00Z') });
    control.editInSameSecond({ type: 'Opportunity', id: a, fields: { NextStep: 'never back' }, sameSecondAs: older });
    expect(field('Opportunity', a, 'SystemModstamp')).toBe(field('Opportunity', b, 'SystemModstamp'));
    expect(() => control.editInSameSecond({ type: 'Opportunity', id: a, fields: {}, sameSecondAs: '006000000000099AAA' })).toThrow(/no record/);
  });

  it('gives rows edited in one batch the same stamp, and orders ties by Id', () => {
    const a = create('Opportunity', { ...OPP, Name: 'A' });
    const b = create('Opportunity', { ...OPP, Name: 'B' });
    clock.advance(5000);
    const results = control.editRecords({ type: 'Opportunity', edits: [{ id: b, fields: { NextStep: 'x' } }, { id: a, fields: { NextStep: 'y' } }] });
    expect(results.every((r) => r.success)).toBe(true);
    expect(field('Opportunity', a, 'SystemModstamp')).toBe(field('Opportunity', b, 'SystemModstamp'));
    const stamp = String(field('Opportunity', a, 'SystemModstamp'));
    const rows = control.query({ soql: `SELECT Id FROM Opportunity WHERE SystemModstamp >= ${stamp.replace('.000+0000', 'Z')} ORDER BY SystemModstamp, Id` });
    expect(rows.map((r) => (r as Record<string, unknown>)['Id'])).toEqual([a, b].sort());
  });

  it('moves only SystemModstamp on a system write', () => {
    const id = create('Opportunity', OPP);
    const before = control.getRecord({ type: 'Opportunity', id });
    clock.advance(60_000);
    control.editRecord({ type: 'Opportunity', id, fields: { NextStep: 'recalc' }, system: true });
    const after = control.getRecord({ type: 'Opportunity', id });
    expect(after?.['LastModifiedDate']).toBe(before?.['LastModifiedDate']);
    expect(after?.['SystemModstamp']).not.toBe(before?.['SystemModstamp']);
  });

  it('lets a write carry an older stamp, to play a late-committing transaction', () => {
    const a = create('Opportunity', { ...OPP, Name: 'A' });
    clock.advance(10_000);
    const b = create('Opportunity', { ...OPP, Name: 'B' });
    control.editRecord({ type: 'Opportunity', id: a, fields: { NextStep: 'late' }, stamp: new Date('2024-03-10T11:00:00Z') });
    const rows = control.query({ soql: 'SELECT Name, SystemModstamp FROM Opportunity ORDER BY SystemModstamp' }) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r['Name'])).toEqual(['A', 'B']);
    expect(rows[0]?.['SystemModstamp']).toBe('2024-03-10T11:00:00.000+0000');
    expect(b).toBeDefined();
  });
});

describe('delete and undelete', () => {
  it('takes contact roles to the Recycle Bin with their opportunity and brings them back together', () => {
    const account = create('Account', { Name: 'A' });
    const opp = create('Opportunity', { ...OPP, AccountId: account });
    const contact = create('Contact', { LastName: 'C', AccountId: account });
    const user = control.integrationUser.id;
    const role = create('OpportunityContactRole', { OpportunityId: opp, ContactId: contact });
    const member = create('OpportunityTeamMember', { OpportunityId: opp, UserId: user });
    control.deleteRecord({ type: 'Opportunity', id: opp });
    expect(field('OpportunityContactRole', role, 'IsDeleted')).toBe(true);
    // Object Reference, "OpportunityTeamMember": team members skip the Recycle Bin.
    expect(control.getRecord({ type: 'OpportunityTeamMember', id: member })).toBeNull();
    control.undeleteRecord({ type: 'Opportunity', id: opp });
    expect(field('Opportunity', opp, 'IsDeleted')).toBe(false);
    expect(field('OpportunityContactRole', role, 'IsDeleted')).toBe(false);
  });
});
