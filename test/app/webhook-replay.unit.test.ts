import { describe, expect, it } from '@jest/globals';

import { judgeEventAge, webhookEventId } from '../../src/app/webhook-replay.js';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const HOUR = 3_600_000;

describe('which webhook events are young enough to act on', () => {
  it.each([
    ['changed a minute ago', '2026-12-07T11:59:00.0000000+00:00', { kind: 'inWindow', forgetAfterMs: NOW + HOUR }],
    ['changed exactly one window ago', '2026-12-07T11:00:00.000Z', { kind: 'inWindow', forgetAfterMs: NOW + HOUR }],
    ['changed longer ago than the window', '2026-12-07T10:59:59.999Z', { kind: 'tooOld' }],
    ['dated ahead of this clock: remembered until too old by its own date', '2026-12-07T12:30:00.000Z', { kind: 'inWindow', forgetAfterMs: NOW + HOUR + 30 * 60_000 }],
    ['without a date: judged by its arrival', null, { kind: 'inWindow', forgetAfterMs: NOW + HOUR }],
    ['with a date that does not parse: judged by its arrival', 'yesterday', { kind: 'inWindow', forgetAfterMs: NOW + HOUR }],
  ])('an event %s', (_name, changedAt, expected) => {
    expect(judgeEventAge({ changedAt, nowMs: NOW, windowMs: HOUR })).toEqual(expected);
  });

  it('knows an event by its exact signed bytes', () => {
    expect(webhookEventId('{"EventName":"referral-updated"}')).toBe(webhookEventId('{"EventName":"referral-updated"}'));
    expect(webhookEventId('{"EventName":"referral-updated"}')).not.toBe(webhookEventId('{"EventName": "referral-updated"}'));
  });
});
