/**
 * Idempotent create (reference §8). POST is not idempotent and has no documented idempotency
 * key, so when an attempt's outcome is unknown (timeout, reset, a gateway 5xx) the referral is
 * looked up before any new POST; a found referral is returned as `existed` and nothing is sent.
 */
import { randomUUID } from 'node:crypto';
import type { DealType, Referral, ReferralDraft } from '../../src/domain/referral.js';
import { isConnectorError } from '../errors.js';
import { decideRetry } from '../shared/retry.js';
import type { CreatedReferral } from '../types.js';
import type { PcContext } from './context.js';
import { findByExternalReferenceId } from './find.js';
import { listEngagement } from './list.js';
import { parseReferral } from './parse.js';
import { isMicrosoftSide, planCreate } from './to-wire.js';
import { referralsUrl } from './urls.js';
import type { WireReferralCreate } from './wire.js';

async function postOnce(ctx: PcContext, args: { body: WireReferralCreate; correlationId: string; requestId: string }): Promise<Referral | null> {
  const res = await ctx.request({
    method: 'POST',
    url: referralsUrl(ctx.options.baseUrl),
    body: args.body,
    correlationId: args.correlationId,
    requestId: args.requestId,
    // The loop below decides about unknown outcomes; the generic loop must not repeat a POST blindly.
    policy: { ...ctx.options.retry, retryUnknownOutcome: false },
  });
  // Create returns the full referral (200 or 201, ref §1 UNCERTAIN); an empty body is looked up.
  return res.json === null ? null : parseReferral(res.json);
}

/** POSTs until it has a referral, checking `lookup` after every attempt whose outcome is unknown. */
async function postIdempotent(
  ctx: PcContext,
  args: { body: WireReferralCreate; correlationId: string; lookup: () => Promise<Referral | null> },
): Promise<{ referral: Referral; existed: boolean }> {
  const requestId = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await postOnce(ctx, { ...args, requestId });
      if (created !== null) return { referral: created, existed: false };
      const found = await args.lookup();
      if (found !== null) return { referral: found, existed: false };
      throw new Error('Partner Center accepted a create but returned no referral and none can be found');
    } catch (error) {
      if (!isConnectorError(error) || !error.outcomeUnknown) throw error;
      ctx.logger.warn({ correlationId: args.correlationId, attempt, err: error.toLog() }, 'create outcome unknown; looking for the referral before trying again');
      const found = await args.lookup();
      if (found !== null) {
        ctx.logger.info({ correlationId: args.correlationId, referralId: found.id }, 'an earlier create attempt had succeeded; not posting again');
        return { referral: found, existed: true };
      }
      const decision = decideRetry({ error, attempt, policy: { ...ctx.options.retry, retryUnknownOutcome: true } });
      if (!decision.retry) throw error;
      await ctx.clock.sleep(decision.waitMs);
    }
  }
}

const findMicrosoftSide = (referrals: readonly Referral[], ownId: string): Referral | null =>
  referrals.find((r) => r.id !== ownId && isMicrosoftSide(r)) ?? null;

/**
 * Creates a referral for a deal type; for a co-sell in two-referral mode, also the connected
 * Microsoft-side referral. `pending` holds external ids whose earlier call failed part-way in
 * this process, so a repeated call looks before it posts.
 */
export async function createReferral(
  ctx: PcContext,
  pending: Set<string>,
  args: { draft: ReferralDraft; dealType: DealType },
): Promise<CreatedReferral> {
  const correlationId = ctx.newCorrelationId();
  const ext = args.draft.externalReferenceId;
  const plan = planCreate({ draft: args.draft, dealType: args.dealType, solutionId: ctx.options.solutionId, coSellMode: ctx.options.coSellMode });
  const lookup = (): Promise<Referral | null> => findByExternalReferenceId(ctx, ext, correlationId);
  const earlier = pending.has(ext) ? await lookup() : null;
  pending.add(ext);
  const primary = earlier !== null ? { referral: earlier, existed: true } : await postIdempotent(ctx, { body: plan.primary, correlationId, lookup });
  let microsoftSide: Referral | null = null;
  if (plan.microsoftSide !== null) {
    const engagementId = primary.referral.engagementId;
    const lookSide = async (): Promise<Referral | null> => findMicrosoftSide(await listEngagement(ctx, engagementId, correlationId), primary.referral.id);
    microsoftSide = primary.existed ? await lookSide() : null;
    if (microsoftSide === null) {
      microsoftSide = (await postIdempotent(ctx, { body: plan.microsoftSide(engagementId), correlationId, lookup: lookSide })).referral;
    }
  }
  pending.delete(ext);
  ctx.logger.info({ correlationId, referralId: primary.referral.id, engagementId: primary.referral.engagementId, dealType: args.dealType.kind, existed: primary.existed }, 'referral created in Partner Center');
  return { referral: primary.referral, microsoftSide, existed: primary.existed };
}
