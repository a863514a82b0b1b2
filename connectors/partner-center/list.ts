/**
 * Incremental listing by `updatedDateTime` (Partner Center docs, "Get a list of referrals"). Server mode filters with `ge` and
 * drops the ids the cursor has already seen at that instant (`gt` would skip a referral that
 * shares the last timestamp but sat on a page not yet committed). Client-side mode, for services
 * that reject the filter, reads newest first and stops at the cursor.
 */
import type { Referral } from '../../src/domain/referral.js';
import { isConnectorError } from '../errors.js';
import type { ChangePage } from '../types.js';
import type { PcContext } from './context.js';
import { advanceCursor, compareInstants, decodeCursor, encodeCursor, isAfterCursor } from './cursor.js';
import type { ReferralCursor } from './cursor.js';
import { walkPages } from './pages.js';
import { odataString, referralsUrl } from './urls.js';

type Emit = AsyncGenerator<ChangePage<Referral>>;

async function* ascending(ctx: PcContext, args: { cursor: ReferralCursor | null; filter: boolean; correlationId: string; signal?: AbortSignal }): Emit {
  const query: Record<string, string> = { $orderby: 'updatedDateTime asc', $top: String(ctx.options.pageSize) };
  if (args.filter && args.cursor !== null) query.$filter = `updatedDateTime ge ${args.cursor.t}`;
  let cursor = args.cursor;
  const url = referralsUrl(ctx.options.baseUrl, '', query);
  for await (const page of walkPages(ctx, { url, correlationId: args.correlationId, ...(args.signal ? { signal: args.signal } : {}) })) {
    const fresh = page.items.filter((r) => isAfterCursor(r, cursor));
    if (fresh.length === 0) continue;
    cursor = advanceCursor(cursor, fresh);
    if (cursor !== null) yield { items: fresh, deletedIds: [], cursor: encodeCursor(cursor) };
  }
}

/** Newest first until the cursor, then handed out oldest first (holds only what changed since). */
async function* descendingUntil(ctx: PcContext, args: { cursor: ReferralCursor; correlationId: string; signal?: AbortSignal }): Emit {
  const url = referralsUrl(ctx.options.baseUrl, '', { $orderby: 'updatedDateTime desc', $top: String(ctx.options.pageSize) });
  const fresh = new Map<string, Referral>();
  pages: for await (const page of walkPages(ctx, { url, correlationId: args.correlationId, ...(args.signal ? { signal: args.signal } : {}) })) {
    for (const r of page.items) {
      if (compareInstants(r.updatedDateTime, args.cursor.t) < 0) break pages;
      if (isAfterCursor(r, args.cursor)) fresh.set(r.id, r);
    }
  }
  const ordered = [...fresh.values()].sort((a, b) => compareInstants(a.updatedDateTime, b.updatedDateTime) || (a.id < b.id ? -1 : 1));
  let cursor: ReferralCursor | null = args.cursor;
  for (let i = 0; i < ordered.length; i += ctx.options.pageSize) {
    const items = ordered.slice(i, i + ctx.options.pageSize);
    cursor = advanceCursor(cursor, items);
    if (cursor !== null) yield { items, deletedIds: [], cursor: encodeCursor(cursor) };
  }
}

/** Referrals updated after `cursor`, oldest first, one page per yield. */
export async function* listChanged(ctx: PcContext, args: { cursor: string | null; signal?: AbortSignal }): Emit {
  const cursor = args.cursor === null ? null : decodeCursor(args.cursor);
  const correlationId = ctx.newCorrelationId();
  const signal = args.signal ? { signal: args.signal } : {};
  if (cursor === null) {
    yield* ascending(ctx, { cursor, filter: false, correlationId, ...signal });
    return;
  }
  const modes = await ctx.capabilities.get();
  if (modes.updatedDateTime === 'server') {
    let started = false;
    try {
      for await (const page of ascending(ctx, { cursor, filter: true, correlationId, ...signal })) {
        started = true;
        yield page;
      }
      return;
    } catch (error) {
      // Only a 400 before any page is the server refusing the filter; later errors are real.
      if (started || !isConnectorError(error) || error.status !== 400) throw error;
      await ctx.capabilities.fallBack('updatedDateTime');
    }
  }
  yield* descendingUntil(ctx, { cursor, correlationId, ...signal });
}

/** Every referral of an engagement (the partner's own and Microsoft's side). */
export async function listEngagement(ctx: PcContext, engagementId: string, correlationId = ctx.newCorrelationId()): Promise<Referral[]> {
  const url = referralsUrl(ctx.options.baseUrl, '', { $filter: `engagementId eq ${odataString(engagementId)}` });
  const out: Referral[] = [];
  for await (const page of walkPages(ctx, { url, correlationId })) out.push(...page.items.filter((r) => r.engagementId === engagementId));
  return out;
}
