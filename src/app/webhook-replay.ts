/**
 * Which signed webhook events are acted on. Partner Center's payload carries no event id, so an
 * event is known by a digest of its signed body: only Microsoft can make a new one, and a copy
 * replayed by whoever captured it is the same bytes. An event older than the replay window is
 * ignored outright (the reconciliation poll reads every change anyway), so the store need only
 * remember an event until it would be too old.
 */
import { createHash } from 'node:crypto';

export type EventAge = { kind: 'tooOld' } | { kind: 'inWindow'; forgetAfterMs: number };

/**
 * `changedAt` is the payload's ResourceChangeUtcDate. An event without a readable one (a
 * `test-created` check may lack it) is judged by when it arrived.
 */
export function judgeEventAge(args: { changedAt: string | null; nowMs: number; windowMs: number }): EventAge {
  const changedMs = args.changedAt === null ? Number.NaN : Date.parse(args.changedAt);
  if (Number.isNaN(changedMs)) return { kind: 'inWindow', forgetAfterMs: args.nowMs + args.windowMs };
  if (changedMs < args.nowMs - args.windowMs) return { kind: 'tooOld' };
  // Dated ahead of this clock (skew): remembered until it would be too old by its own date.
  return { kind: 'inWindow', forgetAfterMs: Math.max(args.nowMs, changedMs) + args.windowMs };
}

/** The identity of an event: SHA-256 of the exact bytes Partner Center signed. */
export const webhookEventId = (rawBody: string): string => createHash('sha256').update(rawBody, 'utf8').digest('hex');
