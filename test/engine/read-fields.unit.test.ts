/**
 * Reads fitted to the org: a field that only stands in for another (a rule's field and its
 * `orFrom`) is left out of reads where the org lacks it; a field with no stand-in never is.
 */
import { describe, expect, it } from '@jest/globals';
import { absentStandIns } from '../../src/engine/read-fields.js';

const country = ['Account.BillingCountryCode', 'Account.BillingCountry'];

describe('which read fields an org can do without', () => {
  it('leaves out the code field of an org without State and Country picklists', () => {
    const has = (path: string): boolean => path !== 'Account.BillingCountryCode';
    expect([...absentStandIns([country], has)]).toEqual(['Account.BillingCountryCode']);
  });

  it('leaves out nothing where the org has every field', () => {
    expect(absentStandIns([country], () => true).size).toBe(0);
  });

  it('keeps a group the org has none of, so the read fails naming the field', () => {
    expect(absentStandIns([country], () => false).size).toBe(0);
  });
});
