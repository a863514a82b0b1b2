import { describe, expect, it } from '@jest/globals';
import { parseSoql } from '../../../sandbox/salesforce/soql/parser.js';
import { SoqlError, formatSoqlMessage, tokenize } from '../../../sandbox/salesforce/soql/tokenizer.js';

function parseError(soql: string): SoqlError {
  try {
    parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL tokenizer', () => {
  it('reads date and dateTime literals in every accepted form', () => {
    const kinds = tokenize('2024-01-01 2024-01-01T00:00:00Z 2024-01-01T00:00:00+00:00 2024-01-01T00:00:00.000+0000 -12.5 42').map((t) => [t.kind, t.text]);
    expect(kinds).toEqual([
      ['date', '2024-01-01'],
      ['datetime', '2024-01-01T00:00:00Z'],
      ['datetime', '2024-01-01T00:00:00+00:00'],
      ['datetime', '2024-01-01T00:00:00.000+0000'],
      ['number', '-12.5'],
      ['number', '42'],
      ['eof', ''],
    ]);
  });

  it('decodes backslash escapes in strings and rejects unknown ones', () => {
    expect(tokenize("'O\\'Brien \\\\ x'")[0]?.value).toBe("O'Brien \\ x");
    expect(() => tokenize("'bad \\q'")).toThrow(SoqlError);
    expect(() => tokenize("'unterminated")).toThrow(SoqlError);
  });
});

describe('SOQL parser', () => {
  it('parses the sync query: parent paths, two child subqueries, WHERE, ORDER BY, LIMIT', () => {
    const q = parseSoql(
      'SELECT Id, Name, Account.Name, Owner.Email, (SELECT Id, Contact.Email, IsPrimary FROM OpportunityContactRoles), ' +
        '(SELECT User.Email, TeamMemberRole FROM OpportunityTeamMembers WHERE TeamMemberRole != null ORDER BY CreatedDate LIMIT 5) ' +
        "FROM Opportunity WHERE SystemModstamp >= 2024-01-01T00:00:00Z AND StageName IN ('Prospecting', 'Qualification') " +
        'AND Referral_Id__c != null AND IsClosed = false ORDER BY SystemModstamp ASC, Id ASC LIMIT 2000',
    );
    expect(q.from).toBe('Opportunity');
    expect(q.select.map((s) => (s.kind === 'field' ? s.path.join('.') : `(${s.relationship})`))).toEqual([
      'Id',
      'Name',
      'Account.Name',
      'Owner.Email',
      '(OpportunityContactRoles)',
      '(OpportunityTeamMembers)',
    ]);
    const team = q.select[5];
    expect(team?.kind === 'subquery' ? [team.limit, team.orderBy.length, team.where?.kind] : undefined).toEqual([5, 1, 'compare']);
    expect(q.where?.kind).toBe('and');
    expect(q.where?.kind === 'and' ? q.where.items.map((i) => i.kind) : []).toEqual(['compare', 'in', 'compare', 'compare']);
    expect(q.orderBy.map((o) => [o.field.path.join('.'), o.descending])).toEqual([
      ['SystemModstamp', false],
      ['Id', false],
    ]);
    expect(q.limit).toBe(2000);
  });

  it('reads NOT, NOT IN, LIKE, parentheses and the literal kinds', () => {
    const q = parseSoql(
      "SELECT Id FROM Lead WHERE NOT (Status = 'Open - Not Contacted' OR Company LIKE 'Contoso%') AND Email NOT IN ('a@b.c') AND IsConverted = TRUE AND CreatedDate > LAST_N_DAYS:30 AND Phone = NULL",
    );
    expect(q.where?.kind).toBe('and');
    const items = q.where?.kind === 'and' ? q.where.items : [];
    expect(items[0]?.kind).toBe('not');
    expect(items[1]?.kind === 'in' ? items[1].negated : undefined).toBe(true);
    expect(items[2]?.kind === 'compare' ? items[2].value.kind : undefined).toBe('boolean');
    expect(items[3]?.kind === 'compare' ? items[3].value : undefined).toMatchObject({ kind: 'relativeDate', text: 'LAST_N_DAYS:30' });
    expect(items[4]?.kind === 'compare' ? items[4].value.kind : undefined).toBe('null');
  });

  it('defaults NULLS FIRST for ASC and NULLS LAST for DESC, and honours explicit NULLS', () => {
    const q = parseSoql('SELECT Id FROM Opportunity ORDER BY Amount DESC, CloseDate, Name ASC NULLS LAST, Type DESC NULLS FIRST');
    expect(q.orderBy.map((o) => [o.descending, o.nullsLast])).toEqual([
      [true, true],
      [false, false],
      [false, true],
      [true, false],
    ]);
  });

  it('parses COUNT() queries', () => {
    const q = parseSoql("SELECT COUNT() FROM Opportunity WHERE Referral_Id__c = 'R-1'");
    expect(q.count).toBe(true);
    expect(q.select).toEqual([]);
  });

  it('refuses AND and OR mixed without parentheses, as SOQL does', () => {
    const error = parseError("SELECT Id FROM Lead WHERE Status = 'a' AND Company = 'b' OR Email = 'c'");
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.detail).toBe("unexpected token: 'OR'");
  });

  it('reports malformed queries with the row and column Salesforce shows', () => {
    const soql = 'SELECT Id FRM Opportunity';
    const error = parseError(soql);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(formatSoqlMessage(soql, error)).toBe("\nSELECT Id FRM Opportunity\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'");
  });

  it.each([
    'SELECT FROM Opportunity',
    'SELECT Id FROM',
    'SELECT Id FROM Opportunity WHERE',
    'SELECT Id FROM Opportunity LIMIT x',
    "SELECT Id FROM Opportunity WHERE Name IN 'a'",
    'SELECT Id FROM Opportunity ORDER Name',
    'SELECT Id, FROM Opportunity',
  ])('rejects %s as MALFORMED_QUERY', (soql) => {
    expect(parseError(soql).errorCode).toBe('MALFORMED_QUERY');
  });
});
