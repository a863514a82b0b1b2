/**
 * Seeded, deterministic starting data: `count` referrals created
 * over the last 180 days, with statuses that fit their age (Partner Center docs, "Get a list of referrals": nothing stays New/Pending
 * past 14 days).
 */
import { ANSWER_WINDOW_MS, DAY_MS } from './build-referral.js';
import { DECLINE_REASONS, msxId } from './fake-data.js';
import { makeInbound, makeOutgoing, type FactoryDeps } from './factories.js';
import type { WireReferral, WireStatus, WireSubstatus } from './wire-types.js';
import type { JsonObject } from './validation.js';

const HISTORY_MS = 180 * DAY_MS;

type Outcome = { status: WireStatus; substatus: WireSubstatus; extra?: JsonObject };

export function seedReferrals(deps: FactoryDeps & { count: number; now: Date }): WireReferral[] {
  const { random, count, now } = deps;
  const end = now.getTime() - 60_000;
  const times = Array.from({ length: count }, () => end - Math.floor(random.next() * HISTORY_MS)).sort((a, b) => a - b);
  const made: WireReferral[] = [];
  let index = 0;
  while (made.length < count) {
    const at = new Date(times[Math.min(index, times.length - 1)] ?? end);
    index += 1;
    const age = now.getTime() - at.getTime();
    const roll = random.next();
    const remaining = count - made.length;
    if (roll < 0.45) {
      made.push(makeInbound(deps, random.bool(0.6) ? 'lead' : 'coSellInvite', { at, actor: 'seed', ...inboundOutcome(deps, age) }));
    } else if (roll < 0.8 || remaining < 2) {
      made.push(...makeOutgoing(deps, random.bool(0.5) ? 'private' : 'partnerLed', { at, actor: 'seed', ...outgoingOutcome(deps, age) }));
    } else {
      const own = outgoingOutcome(deps, age);
      const side = microsoftOutcome(deps, age);
      const ownOutcome = deps.options.coSellMode === 'singleReferral' ? singleReferralOutcome(own, side) : own;
      made.push(...makeOutgoing(deps, 'coSell', { at, actor: 'seed', ...ownOutcome, microsideStatus: side }));
    }
  }
  return made;
}

function inboundOutcome({ random }: FactoryDeps, age: number): Outcome {
  if (age < ANSWER_WINDOW_MS) return random.bool(0.7) ? { status: 'New', substatus: 'Pending' } : { status: 'Active', substatus: 'Accepted' };
  const roll = random.next();
  if (roll < 0.4) return { status: 'Active', substatus: 'Accepted' };
  if (roll < 0.65) return { status: 'Closed', substatus: 'Expired' };
  if (roll < 0.8) return { status: 'Closed', substatus: 'Declined', extra: { statusReason: 'Not a fit for our practice' } };
  return random.bool(0.5) ? { status: 'Closed', substatus: 'Won' } : { status: 'Closed', substatus: 'Lost', extra: { statusReason: 'Lost to competitor' } };
}

function outgoingOutcome({ random }: FactoryDeps, age: number): Outcome {
  if (age < 30 * DAY_MS) return { status: 'Active', substatus: 'Accepted' };
  const roll = random.next();
  if (roll < 0.6) return { status: 'Active', substatus: 'Accepted' };
  if (roll < 0.85) return { status: 'Closed', substatus: 'Won' };
  return { status: 'Closed', substatus: 'Lost', extra: { statusReason: 'Budget cut' } };
}

function microsoftOutcome({ random }: FactoryDeps, age: number): Outcome {
  if (age < ANSWER_WINDOW_MS) return { status: 'New', substatus: 'Pending' };
  const roll = random.next();
  if (roll < 0.6) return { status: 'Active', substatus: 'Accepted', extra: { trackingInfo: { microsoftMsxId: msxId(random) } } };
  if (roll < 0.9) return { status: 'Closed', substatus: 'Declined', extra: { statusReason: random.pick(DECLINE_REASONS) } };
  return { status: 'Closed', substatus: 'Expired' };
}

/** In the one-referral reading Microsoft's answer shows on the partner's own referral. */
function singleReferralOutcome(own: Outcome, side: Outcome): Outcome {
  if (side.substatus === 'Declined') return side;
  if (side.substatus === 'Accepted') return { ...own, extra: { ...own.extra, ...side.extra } };
  return own;
}
