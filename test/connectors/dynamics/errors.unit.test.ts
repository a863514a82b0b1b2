/** Classification into the closed set of kinds (STYLE.md 6): code first, status second. */
import { describe, expect, it } from '@jest/globals';
import { kindOf, transportError } from '../../../connectors/dynamics/classify-error.js';
import { NoAnswerError } from '../../../connectors/dynamics/http.js';

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

  it('marks a write whose answer was lost as outcome-unknown, but not one that never connected', () => {
    const lost = transportError({ error: new NoAnswerError('socket hang up', 'ECONNRESET'), op: 'createRecords', correlationId: 'c', write: true });
    const refused = transportError({ error: new NoAnswerError('connect ECONNREFUSED', 'ECONNREFUSED'), op: 'createRecords', correlationId: 'c', write: true });
    expect(lost).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(refused).toMatchObject({ kind: 'transient', outcomeUnknown: false });
  });
});
