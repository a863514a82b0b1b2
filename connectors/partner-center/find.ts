/**
 * Finding a referral by its `externalReferenceId` (the CRM record id). Filtering on it is not
 * documented (Partner Center docs, "Get a list of referrals"), so a 400 switches to a bounded scan of the most
 * recently created referrals. Matches are always checked here too, in case a server ignores an
 * unknown filter and returns everything.
 */
import type { Referral } from '../../src/domain/referral.js';
import { isConnectorError } from '../errors.js';
import type { PcContext } from './context.js';
import { walkPages } from './pages.js';
import { odataString, referralsUrl } from './urls.js';

async function byServerFilter(ctx: PcContext, externalReferenceId: string, correlationId: string): Promise<Referral | null> {
  const url = referralsUrl(ctx.options.baseUrl, '', { $filter: `externalReferenceId eq ${odataString(externalReferenceId)}` });
  let seen = 0;
  for await (const page of walkPages(ctx, { url, correlationId })) {
    const hit = page.items.find((r) => r.externalReferenceId === externalReferenceId);
    if (hit !== undefined) return hit;
    seen += page.items.length;
    // A server that ignored the filter would page through everything; stop at the scan bound.
    if (seen >= ctx.options.recentScanLimit) return null;
  }
  return null;
}

async function byRecentScan(ctx: PcContext, externalReferenceId: string, correlationId: string): Promise<Referral | null> {
  const url = referralsUrl(ctx.options.baseUrl, '', { $orderby: 'createdDateTime desc', $top: String(ctx.options.pageSize) });
  let seen = 0;
  for await (const page of walkPages(ctx, { url, correlationId })) {
    const hit = page.items.find((r) => r.externalReferenceId === externalReferenceId);
    if (hit !== undefined) return hit;
    seen += page.items.length;
    if (seen >= ctx.options.recentScanLimit) break;
  }
  return null;
}

/** The partner's referral carrying `externalReferenceId`, or null. */
export async function findByExternalReferenceId(ctx: PcContext, externalReferenceId: string, correlationId = ctx.newCorrelationId()): Promise<Referral | null> {
  const modes = await ctx.capabilities.get();
  if (modes.externalReferenceId === 'server') {
    try {
      return await byServerFilter(ctx, externalReferenceId, correlationId);
    } catch (error) {
      if (!isConnectorError(error) || error.status !== 400) throw error;
      await ctx.capabilities.fallBack('externalReferenceId');
    }
  }
  return byRecentScan(ctx, externalReferenceId, correlationId);
}
