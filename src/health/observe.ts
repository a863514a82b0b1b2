/**
 * Co-sell health's one hook into the sync: every page of referrals read from Partner Center is
 * recorded (referral-facts.ts) in the same store the engine writes, before it is applied.
 */
import type { Clock } from '../core/clock.js';
import type { Referral } from '../domain/referral.js';
import type { ReferralFacts } from '../store/health-types.js';
import type { StateStore } from '../store/types.js';
import { factsOf } from './referral-facts.js';

export async function recordReferrals(args: { store: StateStore; referrals: readonly Referral[]; clock: Clock }): Promise<void> {
  const now = args.clock.now().toISOString();
  const facts = args.referrals.map((r) => factsOf(r, now)).filter((f): f is ReferralFacts => f !== null);
  if (facts.length > 0) await args.store.noteReferrals(facts);
}
