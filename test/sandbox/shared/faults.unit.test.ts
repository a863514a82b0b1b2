import { describe, expect, it } from '@jest/globals';
import { FaultInjector, parseFaultRules } from '../../../sandbox/shared/faults.js';

describe('fault rules', () => {
  it('faults exactly the Nth matching request when the rule names it', () => {
    const faults = new FaultInjector([{ method: 'POST', path: '^/things$', nth: [2, 4], lostAnswerRate: 1 }]);
    const kinds = [1, 2, 3, 4, 5].map(() => faults.decide('POST', '/things').action.kind);
    expect(kinds).toEqual(['none', 'lostAnswer', 'none', 'lostAnswer', 'none']);
    expect(faults.log().map((f) => f.n)).toEqual([2, 4]);
  });

  it('counts only requests matching method and path, and lets the others through to later rules', () => {
    const faults = new FaultInjector([
      { method: 'PATCH', path: '^/things/', nth: [1], lostAnswerRate: 1, lostAnswerAs: 'timeout' },
      { path: '^/things', errorRate: 1, errorStatus: 503 },
    ]);
    expect(faults.decide('GET', '/things/1').action).toEqual({ kind: 'error', status: 503, retryAfterSeconds: null });
    expect(faults.decide('PATCH', '/things/1').action).toEqual({ kind: 'lostAnswer', as: 'timeout' });
    expect(faults.decide('PATCH', '/things/1').action.kind).toBe('error');
  });

  it('starts counting again when the rules are replaced', () => {
    const faults = new FaultInjector();
    faults.set([{ nth: [1], lostAnswerRate: 1 }]);
    expect(faults.decide('POST', '/a').action.kind).toBe('lostAnswer');
    expect(faults.decide('POST', '/a').action.kind).toBe('none');
    faults.set([{ nth: [1], lostAnswerRate: 1 }]);
    expect(faults.log()).toEqual([]);
    expect(faults.decide('POST', '/a').action.kind).toBe('lostAnswer');
  });

  it('loses about the given share of answers at a rate, replayably from the seed', () => {
    const run = (): string[] => {
      const faults = new FaultInjector([{ lostAnswerRate: 0.3 }], 9);
      return Array.from({ length: 1000 }, () => faults.decide('POST', '/x').action.kind);
    };
    const first = run();
    const lost = first.filter((k) => k === 'lostAnswer').length;
    expect(lost).toBeGreaterThan(230);
    expect(lost).toBeLessThan(370);
    expect(run()).toEqual(first);
  });

  it('refuses a rule it does not understand, saying where', () => {
    const bad = parseFaultRules([{ path: '^/x', lostAnswerRate: 2 }, { lostAnswerAs: 'drop' }, { nth: [0] }, { pth: 'typo' }]);
    expect(bad.ok).toBe(false);
    const message = bad.ok ? '' : bad.message;
    for (const where of ['0.lostAnswerRate', '1.lostAnswerAs', '2.nth.0', '3']) expect(message).toContain(where);
    expect(parseFaultRules({ path: 'x' }).ok).toBe(false);
    expect(parseFaultRules([{ path: '(' }])).toMatchObject({ ok: false });
    expect(parseFaultRules([{ method: 'POST', path: '^/x', nth: [3], lostAnswerRate: 1, lostAnswerAs: 'timeout' }])).toEqual({
      ok: true,
      rules: [{ method: 'POST', path: '^/x', nth: [3], lostAnswerRate: 1, lostAnswerAs: 'timeout' }],
    });
  });
});
