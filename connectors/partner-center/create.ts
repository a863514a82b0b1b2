/**
 * Creates without duplicates. A POST is not idempotent and Partner Center documents no
 * idempotency key, so when an attempt's outcome is unknown (timeout, reset, a gateway 5xx) the
 * referral is looked up before any new POST; a found referral is returned as `existed`.
 */
import { randomUUID } from 'node:crypto';
import type { DealType, Referral, ReferralDraft } from '../../src/domain/referral.js';
import { isConnectorError } from '../errors.js';
import { decideRetry } from '../shared/retry.js';
import type { CreatedReferral, ReferralRef } from '../types.js';
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
  // Create returns the full referral ("Referrals API response codes" lists both 200 and 201); an empty body is looked up.
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

/** The Microsoft-side referral among an engagement's referrals (it carries the `msft` target). */
export const pickMicrosoftSide = (referrals: readonly Referral[], ownId: string): Referral | null =>
  referrals.find((r) => r.id !== ownId && isMicrosoftSide(r)) ?? null;

/**
 * POSTs the partner's own referral for a deal type; in single-referral mode a co-sell's one POST
 * also invites Microsoft. An answer lost within this call is looked up before any new POST; across
 * processes, the engine decides (it looks the referral up while its link is still `creating`).
 */
export async function createReferral(ctx: PcContext, args: { draft: ReferralDraft; dealType: DealType }): Promise<CreatedReferral> {
  const correlationId = ctx.newCorrelationId();
  const ext = args.draft.externalReferenceId;
  const plan = planCreate({ draft: args.draft, dealType: args.dealType, solutionId: ctx.options.solutionId, coSellMode: ctx.options.coSellMode });
  const lookup = (): Promise<Referral | null> => findByExternalReferenceId(ctx, ext, correlationId);
  const created = await postIdempotent(ctx, { body: plan.primary, correlationId, lookup });
  // Debug: the engine logs every referral it shares, with its CRM record, at info.
  ctx.logger.debug({ correlationId, referralId: created.referral.id, engagementId: created.referral.engagementId, dealType: args.dealType.kind, existed: created.existed }, 'referral created in Partner Center');
  return created;
}

/** The Microsoft-side referral of `own`'s engagement, or null when none was made yet. */
export async function findMicrosoftSide(ctx: PcContext, own: ReferralRef): Promise<Referral | null> {
  return pickMicrosoftSide(await listEngagement(ctx, own.engagementId), own.id);
}

/**
 * POSTs the connected Microsoft-side referral of a co-sell into `own`'s engagement (two-referral
 * mode). An answer lost within this call is looked up in the engagement before any new POST.
 */
export async function inviteMicrosoft(
  ctx: PcContext,
  args: { own: ReferralRef; draft: ReferralDraft; dealType: Extract<DealType, { kind: 'coSell' }> },
): Promise<Referral> {
  const correlationId = ctx.newCorrelationId();
  const plan = planCreate({ draft: args.draft, dealType: args.dealType, solutionId: ctx.options.solutionId, coSellMode: 'twoReferrals' });
  if (plan.microsoftSide === null) throw new Error('a co-sell in two-referral mode always has a Microsoft side');
  const lookup = async (): Promise<Referral | null> => pickMicrosoftSide(await listEngagement(ctx, args.own.engagementId, correlationId), args.own.id);
  const { referral } = await postIdempotent(ctx, { body: plan.microsoftSide(args.own.engagementId), correlationId, lookup });
  ctx.logger.info({ correlationId, referralId: args.own.id, microsoftSideId: referral.id, engagementId: args.own.engagementId }, 'Microsoft invited to co-sell');
  return referral;
}
