/** Classification into the closed set of kinds : code first, status second. */
import { describe, expect, it } from '@jest/globals';
import { classifyError, kindOf } from '../../../connectors/dynamics/classify-error.js';

const now = new Date('2026-03-02T09:00:00Z');
const nodeError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('Dataverse error classification', () => {
  it.each([
    [412, '0x80060882', 'conflict'],
    [412, undefined, 'conflict'],
    [404, '0x80040217', 'notFound'],
    [429, '0x80072326', 'rateLimited'],
    [401, undefined, 'auth'],
    [403, '0x80040220', 'auth'],
    [400, '0x80044331', 'invalid'],
    [400, '0x0', 'invalid'],
    [404, '0x8006088a', 'invalid'],
    [503, undefined, 'transient'],
    [500, '0x80040216', 'transient'],
  ] as const)('HTTP %i with code %s is %s', (status, code, kind) => {
    expect(kindOf(status, code)).toBe(kind);
  });

  it('reads the code, status and Retry-After of an answer, and the nested code of a $batch part', () => {
    const answered = Object.assign(new Error('Number of requests exceeded the limit'), { status: 429, code: '0x80072322', headers: { 'retry-after': '7' } });
    expect(classifyError({ error: answered, op: 'getRecords', write: false, now })).toMatchObject({ kind: 'rateLimited', status: 429, vendorCode: '0x80072322', retryAfterMs: 7000 });
    const part = Object.assign(new Error(), { status: 400, error: { code: '0x80044331', message: 'The length of the name attribute exceeded the maximum allowed length of 300.' }, headers: {} });
    const classified = classifyError({ error: part, op: 'createRecords', write: true, now });
    expect(classified).toMatchObject({ kind: 'invalid', status: 400, vendorCode: '0x80044331' });
    expect(classified.message).toContain('exceeded the maximum allowed length');
  });

  it('marks a write whose answer was lost as outcome-unknown, but not one that never connected', () => {
    const lost = classifyError({ error: nodeError('socket hang up', 'ECONNRESET'), op: 'createRecords', correlationId: 'c', write: true, now });
    const refused = classifyError({ error: nodeError('connect ECONNREFUSED', 'ECONNREFUSED'), op: 'createRecords', correlationId: 'c', write: true, now });
    expect(lost).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(refused).toMatchObject({ kind: 'transient', outcomeUnknown: false });
  });

  it('names NODE_EXTRA_CA_CERTS when the server certificate is not trusted', () => {
    const error = classifyError({ error: nodeError('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), op: 'describe', write: false, now });
    expect(error).toMatchObject({ kind: 'invalid', vendorCode: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
  });
});
