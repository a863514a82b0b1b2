import { beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSalesforceEmulator, type SalesforceControl } from '../../../sandbox/salesforce/index.js';
import { SoqlError } from '../../../sandbox/salesforce/soql/tokenizer.js';

type Rec = Record<string, unknown>;

let control: SalesforceControl;
let accountId: string;
let contactId: string;

function create(type: string, fields: Record<string, unknown>): string {
  const result = control.createRecord({ type, fields });
  if (!result.success || result.id === null) throw new Error(JSON.stringify(result.errors));
  return result.id;
}

function names(soql: string, includeDeleted = false): unknown[] {
  return control.query({ soql, includeDeleted }).map((r) => (r as Rec)['Name']);
}

function soqlError(soql: string): SoqlError {
  try {
    control.query({ soql });
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error('expected a SOQL error');
}

beforeEach(() => {
  const clock = new SandboxClock(new Date('2024-03-10T12:00:00Z'));
  ({ control } = createSalesforceEmulator({ clock, seed: 3, size: 0 }));
  accountId = create('Account', { Name: 'Contoso', BillingCity: 'Seattle', BillingCountryCode: 'US' });
  contactId = create('Contact', { LastName: 'Chen', FirstName: 'Ana', Email: 'ana@contoso.example', AccountId: accountId });
  const base = { StageName: 'Prospecting', CloseDate: '2024-06-30' };
  const a = create('Opportunity', { ...base, Name: 'Alpha', Amount: 100, AccountId: accountId, Description: 'x' });
  create('Opportunity', { ...base, Name: 'beta', Amount: 0, CloseDate: '2024-01-15', StageName: 'Closed Won' });
  create('Opportunity', { ...base, Name: 'Gamma', Referral_Id__c: 'REF-1' });
  create('OpportunityContactRole', { OpportunityId: a, ContactId: contactId, Role: 'Decision Maker', IsPrimary: true });
});

describe('SOQL execution', () => {
  it('nests parent fields, gives null for an empty lookup and for a child subquery without rows', () => {
    const records = control.query({
      soql: "SELECT Name, Account.Name, Account.BillingCountryCode, (SELECT Contact.Email, IsPrimary FROM OpportunityContactRoles) FROM Opportunity WHERE Name IN ('Alpha', 'Gamma') ORDER BY Name",
    }) as Rec[];
    expect(records[0]).toMatchObject({
      attributes: { type: 'Opportunity' },
      Name: 'Alpha',
      Account: { attributes: { type: 'Account' }, Name: 'Contoso', BillingCountryCode: 'US' },
      OpportunityContactRoles: { totalSize: 1, done: true, records: [{ Contact: { Email: 'ana@contoso.example' }, IsPrimary: true }] },
    });
    expect(records[1]).toMatchObject({ Name: 'Gamma', Account: null, OpportunityContactRoles: null });
    expect(Object.keys(records[1] ?? {})).toEqual(['attributes', 'Name', 'Account', 'OpportunityContactRoles']);
  });

  it('compares text case-insensitively and treats null like SOQL (!= matches null, < never does)', () => {
    expect(names("SELECT Name FROM Opportunity WHERE Name = 'ALPHA'")).toEqual(['Alpha']);
    expect(names("SELECT Name FROM Opportunity WHERE Referral_Id__c != 'REF-1' ORDER BY Name")).toEqual(['Alpha', 'beta']);
    expect(names('SELECT Name FROM Opportunity WHERE Referral_Id__c = null ORDER BY Name')).toEqual(['Alpha', 'beta']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount < 50')).toEqual(['beta']);
    expect(names("SELECT Name FROM Opportunity WHERE Referral_Id__c NOT IN ('REF-1') ORDER BY Name")).toEqual(['Alpha', 'beta']);
  });

  it('evaluates LIKE, NOT, OR with parentheses, booleans, dates and relative dates', () => {
    expect(names("SELECT Name FROM Opportunity WHERE Name LIKE '%a' ORDER BY Name")).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(names("SELECT Name FROM Opportunity WHERE Name LIKE 'g_mma'")).toEqual(['Gamma']);
    expect(names("SELECT Name FROM Opportunity WHERE NOT (Name = 'Alpha' OR IsWon = true)")).toEqual(['Gamma']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate < 2024-02-01')).toEqual(['beta']);
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed = TRUE')).toEqual(['beta']);
    expect(names('SELECT Name FROM Opportunity WHERE CreatedDate = TODAY AND CreatedDate > YESTERDAY')).toHaveLength(3);
    expect(names('SELECT Name FROM Opportunity WHERE CreatedDate < LAST_N_DAYS:2')).toEqual([]);
  });

  it('accepts dateTime literals with Z, +00:00 and .000+0000 and compares instants', () => {
    for (const literal of ['2024-03-10T11:00:00Z', '2024-03-10T11:00:00+00:00', '2024-03-10T11:00:00.000+0000', '2024-03-10T13:00:00+02:00']) {
      expect(names(`SELECT Name FROM Opportunity WHERE SystemModstamp >= ${literal}`)).toHaveLength(3);
    }
    expect(names('SELECT Name FROM Opportunity WHERE SystemModstamp >= 2024-03-10T14:00:00+01:00')).toHaveLength(0);
  });

  it('orders by several keys with NULLS FIRST / LAST', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Referral_Id__c NULLS LAST, Amount DESC NULLS FIRST')).toEqual(['Gamma', 'Alpha', 'beta']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST, Name')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount ASC, Name LIMIT 2')).toEqual(['Gamma', 'beta']);
  });

  it('hides deleted rows from query and shows them with IsDeleted to queryAll', () => {
    const gamma = control.query({ soql: "SELECT Id FROM Opportunity WHERE Name = 'Gamma'" })[0] as Rec;
    control.deleteRecord({ type: 'Opportunity', id: String(gamma['Id']) });
    expect(names('SELECT Name FROM Opportunity ORDER BY Name')).toEqual(['Alpha', 'beta']);
    const all = control.query({ soql: 'SELECT Name, IsDeleted FROM Opportunity WHERE IsDeleted = true', includeDeleted: true });
    expect(all).toEqual([expect.objectContaining({ Name: 'Gamma', IsDeleted: true })]);
  });

  it('formats dateTimes as .000+0000 and dates as YYYY-MM-DD', () => {
    const [r] = control.query({ soql: "SELECT CloseDate, CreatedDate FROM Opportunity WHERE Name = 'Alpha'" }) as Rec[];
    expect(r?.['CloseDate']).toBe('2024-06-30');
    expect(String(r?.['CreatedDate'])).toMatch(/^2024-03-10T12:00:\d{2}\.000\+0000$/);
  });

  it('reports unknown fields, relationships and objects with the real codes and messages', () => {
    const field = soqlError('SELECT Id, Amount__c FROM Opportunity');
    expect([field.errorCode, field.detail]).toEqual([
      'INVALID_FIELD',
      "No such column 'Amount__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    ]);
    expect(soqlError('SELECT Foo.Name FROM Opportunity').errorCode).toBe('INVALID_FIELD');
    expect(soqlError('SELECT Id FROM Opportunities').errorCode).toBe('INVALID_TYPE');
    expect(soqlError('SELECT Id, (SELECT Id FROM Contacts) FROM Opportunity').errorCode).toBe('INVALID_TYPE');
  });

  it('refuses literals of the wrong type for the field', () => {
    expect(soqlError("SELECT Id FROM Opportunity WHERE CloseDate = '2024-01-01'").detail).toBe(
      "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    );
    expect(soqlError('SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01').errorCode).toBe('INVALID_FIELD');
    expect(soqlError("SELECT Id FROM Opportunity WHERE IsClosed = 'false'").errorCode).toBe('INVALID_FIELD');
    expect(soqlError("SELECT Id FROM Opportunity WHERE Id = 'nope'").errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(soqlError("SELECT Id FROM Opportunity WHERE Description = 'x'").detail).toBe("field 'Description' can not be filtered in a query call");
  });

  it('finds child rows by their parent lookup, honouring the rest of the WHERE', () => {
    const [alpha] = control.query({ soql: "SELECT Id FROM Opportunity WHERE Name = 'Alpha'" }) as Rec[];
    const roles = control.query({ soql: `SELECT Contact.LastName FROM OpportunityContactRole WHERE OpportunityId IN ('${String(alpha?.['Id'])}') AND IsPrimary = true` });
    expect(roles).toEqual([expect.objectContaining({ Contact: expect.objectContaining({ LastName: 'Chen' }) })]);
    expect(control.query({ soql: `SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${String(alpha?.['Id'])}' AND IsPrimary = false` })).toEqual([]);
  });

  it('finds rows by a 15-character id and by external id', () => {
    const [alpha] = control.query({ soql: "SELECT Id FROM Opportunity WHERE Name = 'Alpha'" }) as Rec[];
    const id15 = String(alpha?.['Id']).slice(0, 15);
    expect(names(`SELECT Name FROM Opportunity WHERE Id = '${id15}'`)).toEqual(['Alpha']);
    expect(names("SELECT Name FROM Opportunity WHERE Referral_Id__c IN ('ref-1', 'REF-2')")).toEqual(['Gamma']);
  });
});
