/**
 * Fault injection by configuration, per endpoint: latency, error statuses, timeouts, connection
 * resets, truncated and stalled bodies, and answers lost after the request was applied. Decisions draw on a
 * seeded random so a fault run can be replayed; `nth` picks exact requests for deterministic tests.
 */
import { z } from 'zod';
import { createRandom, type Random } from './random.js';

const rate = z.number().min(0).max(1);

/** The shape `PUT /_control/faults` accepts: an array of rules, unknown keys refused. */
export const faultRulesSchema = z.array(
  z.strictObject({
    method: z.string().min(1).optional(),
    path: z
      .string()
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression source')
      .optional(),
    nth: z.array(z.number().int().min(1)).min(1).optional(),
    latencyMs: z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) }).optional(),
    errorRate: rate.optional(),
    errorStatus: z.union([z.literal(429), z.literal(500), z.literal(503)]).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    timeoutRate: rate.optional(),
    resetRate: rate.optional(),
    truncateRate: rate.optional(),
    stallRate: rate.optional(),
    lostAnswerRate: rate.optional(),
    lostAnswerAs: z.enum(['reset', 'timeout']).optional(),
  }),
);

export interface FaultRule {
  method?: string;
  /** RegExp source matched against the request path. */
  path?: string;
  /**
   * Only these requests among those matching `method` and `path` (1-based, counted from when the
   * rules were set) are subject to the rule; the others fall through to later rules. With a rate
   * of 1, `nth: [3]` faults exactly the third matching request.
   */
  nth?: number[];
  latencyMs?: { min: number; max: number };
  errorRate?: number;
  errorStatus?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  /** Never answers: the socket is held until the client gives up. */
  timeoutRate?: number;
  /** Destroys the socket without an answer. */
  resetRate?: number;
  /** Sends half of the body, then closes. */
  truncateRate?: number;
  /** Sends the headers and half of the body, then holds the socket until the client gives up. */
  stallRate?: number;
  /**
   * Applies the request (the write happens), then loses the answer: the client cannot tell
   * whether its write landed, as after a network failure on the way back.
   */
  lostAnswerRate?: number;
  /** How the answer is lost: the socket is destroyed (`reset`, default) or held until the client gives up (`timeout`). */
  lostAnswerAs?: 'reset' | 'timeout';
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'error'; status: 429 | 500 | 503; retryAfterSeconds: number | null }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'stall' }
  | { kind: 'lostAnswer'; as: 'reset' | 'timeout' };

export interface FaultDecision {
  delayMs: number;
  action: FaultAction;
}

/** One fault that fired, for tests that need to know which requests were hit. */
export interface FiredFault {
  method: string;
  path: string;
  /** Which matching request of its rule this was (1-based). */
  n: number;
  action: Exclude<FaultAction['kind'], 'none'>;
}

interface ActiveRule {
  rule: FaultRule;
  pathRe: RegExp | null;
  nth: ReadonlySet<number> | null;
  matched: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private fired: FiredFault[] = [];
  private readonly random: Random;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.random = createRandom(seed);
    this.set(rules);
  }

  /** Replaces every rule; match counts and the fired log start again. */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({
      rule,
      pathRe: rule.path ? new RegExp(rule.path) : null,
      nth: rule.nth ? new Set(rule.nth) : null,
      matched: 0,
    }));
    this.fired = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The faults that fired since the rules were set, oldest first. */
  log(): readonly FiredFault[] {
    return this.fired;
  }

  /**
   * Every rule whose method and path match counts the request; the first of them whose `nth`
   * admits it decides. No such rule means no fault.
   */
  decide(method: string, path: string): FaultDecision {
    let match: ActiveRule | undefined;
    for (const active of this.rules) {
      const { rule, pathRe } = active;
      if ((rule.method && rule.method.toUpperCase() !== method) || (pathRe && !pathRe.test(path))) continue;
      active.matched += 1;
      if (!match && (!active.nth || active.nth.has(active.matched))) match = active;
    }
    if (!match) return { delayMs: 0, action: { kind: 'none' } };
    const decision = this.roll(match.rule);
    if (decision.action.kind !== 'none') this.fired.push({ method, path, n: match.matched, action: decision.action.kind });
    return decision;
  }

  private roll(rule: FaultRule): FaultDecision {
    const delayMs = rule.latencyMs ? this.random.int(rule.latencyMs.min, rule.latencyMs.max) : 0;
    const roll = (rate: number | undefined): boolean => rate !== undefined && rate > 0 && this.random.next() < rate;
    if (roll(rule.timeoutRate)) return { delayMs, action: { kind: 'timeout' } };
    if (roll(rule.resetRate)) return { delayMs, action: { kind: 'reset' } };
    if (roll(rule.errorRate)) {
      return {
        delayMs,
        action: { kind: 'error', status: rule.errorStatus ?? 503, retryAfterSeconds: rule.retryAfterSeconds ?? null },
      };
    }
    if (roll(rule.truncateRate)) return { delayMs, action: { kind: 'truncate' } };
    if (roll(rule.stallRate)) return { delayMs, action: { kind: 'stall' } };
    if (roll(rule.lostAnswerRate)) return { delayMs, action: { kind: 'lostAnswer', as: rule.lostAnswerAs ?? 'reset' } };
    return { delayMs, action: { kind: 'none' } };
  }
}

/** Reads a `PUT /_control/faults` body, or says what is wrong with it and where. */
export function parseFaultRules(body: unknown): { ok: true; rules: FaultRule[] } | { ok: false; message: string } {
  const parsed = faultRulesSchema.safeParse(body);
  if (parsed.success) return { ok: true, rules: parsed.data as FaultRule[] };
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
  return { ok: false, message: `fault rules refused: ${problems.join('; ')} (expected an array of rules, see sandbox/shared/faults.ts)` };
}
