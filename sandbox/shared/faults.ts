/**
 * Fault injection by configuration, per endpoint: latency, error statuses, timeouts, connection
 * resets and truncated bodies. Decisions draw on a seeded random so a fault run can be replayed.
 */
import { createRandom, type Random } from './random.js';

export interface FaultRule {
  method?: string;
  /** RegExp source matched against the request path. */
  path?: string;
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
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'error'; status: 429 | 500 | 503; retryAfterSeconds: number | null }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  | { kind: 'truncate' };

export interface FaultDecision {
  delayMs: number;
  action: FaultAction;
}

export class FaultInjector {
  private rules: { rule: FaultRule; pathRe: RegExp | null }[] = [];
  private readonly random: Random;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.random = createRandom(seed);
    this.set(rules);
  }

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, pathRe: rule.path ? new RegExp(rule.path) : null }));
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The first matching rule decides; no rule means no fault. */
  decide(method: string, path: string): FaultDecision {
    const match = this.rules.find(
      ({ rule, pathRe }) => (!rule.method || rule.method.toUpperCase() === method) && (!pathRe || pathRe.test(path)),
    );
    if (!match) return { delayMs: 0, action: { kind: 'none' } };
    const { rule } = match;
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
    return { delayMs, action: { kind: 'none' } };
  }
}
