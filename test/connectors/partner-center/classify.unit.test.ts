import { describe, expect, it } from '@jest/globals';
import { classifyResponse, readVendorError } from '../../../connectors/partner-center/classify.js';

const now = new Date('2024-03-07T07:00:00Z');
const classify = (status: number, body = '', method = 'GET', headers: Record<string, string> = {}) =>
  classifyResponse({ status, headers, body, method, now, correlationId: 'c-1' });

describe('reading vendor error bodies', () => {
  it.each([
    ['Partner API', '{"error":{"code":"invalidRequest","message":"Country is required","target":"referral"}}', { code: 'invalidRequest', message: 'Country is required' }],
    ['CSP', '{"code":2000,"description":"Registration not found","data":[],"source":"PartnerCenter.Webhooks"}', { code: '2000', message: 'Registration not found' }],
    ['throttling', '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}', { code: undefined, message: 'Rate limit is exceeded. Try again in 57 seconds.' }],
    ['plain text', 'Bad Gateway', { code: undefined, message: 'Bad Gateway' }],
    ['empty', '', { code: undefined, message: undefined }],
  ])('reads the %s shape', (_name, body, expected) => {
    expect(readVendorError(body)).toEqual(expected);
  });
});

describe('classifying statuses', () => {
  it.each([
    [200, null],
    [204, null],
    [400, 'invalid'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'notFound'],
    [409, 'conflict'],
    [410, 'notFound'],
    [412, 'conflict'],
    [413, 'invalid'],
    [429, 'rateLimited'],
    [500, 'transient'],
    [503, 'rateLimited'],
    [504, 'transient'],
  ])('%i is %s', (status, kind) => {
    expect(classify(status)?.kind ?? null).toBe(kind);
  });

  it('marks a gateway failure of a write as outcome unknown, not of a read', () => {
    expect(classify(504, '', 'POST')?.outcomeUnknown).toBe(true);
    expect(classify(504, '', 'GET')?.outcomeUnknown).toBe(false);
    expect(classify(503, '', 'POST', { 'retry-after': '2' })).toMatchObject({ outcomeUnknown: false, retryAfterMs: 2000 });
  });

  it('names a 412 preconditionFailed even when the body is empty', () => {
    expect(classify(412)).toMatchObject({ kind: 'conflict', vendorCode: 'preconditionFailed', correlationId: 'c-1' });
  });
});
