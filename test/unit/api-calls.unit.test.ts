import { describe, expect, it } from '@jest/globals';
import { operationOf, report } from '../../connectors/shared/api-calls.js';

describe('vendor call operations (one metric series per kind of call)', () => {
  it('replaces record ids in paths, whatever their shape, and keeps the resource names', () => {
    expect(operationOf('get', '/v1.0/engagements/referrals/cc8ee8fe-5ec7-4647-bb5c-bab9d1ce26bc')).toBe('GET /v1.0/engagements/referrals/{id}');
    expect(operationOf('PATCH', '/v1.0/engagements/referrals/12345')).toBe('PATCH /v1.0/engagements/referrals/{id}');
    expect(operationOf('GET', '/services/data/v62.0/sobjects/Opportunity/0068d000000000FAAQ')).toBe('GET /services/data/v62.0/sobjects/Opportunity/{id}');
    expect(operationOf('GET', "/api/data/v9.2/opportunities(5f3e2a10-0000-4000-8000-000000000001)")).toBe('GET /api/data/v9.2/opportunities({id})');
    expect(operationOf('GET', '/v1.0/engagements/referrals')).toBe('GET /v1.0/engagements/referrals');
  });

  it('never lets a broken counter fail the call it counts', () => {
    expect(() =>
      report(() => {
        throw new Error('counter broke');
      }, { system: 'salesforce', operation: 'query', status: '200' }),
    ).not.toThrow();
  });
});
