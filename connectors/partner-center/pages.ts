/**
 * Walks an OData collection page by page, parsing each item on its own so one malformed referral
 * is reported and skipped while the rest of the page goes through.
 */
import type { Referral } from '../../src/domain/referral.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { PcContext } from './context.js';
import { parseReferral, rawReferralId } from './parse.js';
import { nextPageUrl } from './urls.js';
import { wireListSchema } from './wire.js';

export interface ReferralPage {
  items: Referral[];
  /** Whether the server said there is more after this page. */
  more: boolean;
}

export function parseItems(ctx: PcContext, raw: readonly unknown[]): Referral[] {
  const items: Referral[] = [];
  for (const entry of raw) {
    try {
      items.push(parseReferral(entry));
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      ctx.logger.warn({ referralId: rawReferralId(entry), err: error.toLog() }, 'skipping a malformed referral from Partner Center');
      ctx.reportInvalid({ id: rawReferralId(entry), error });
    }
  }
  return items;
}

/** Pages of one listing, following `@odata.nextLink` through the configured base URL. */
export async function* walkPages(ctx: PcContext, args: { url: URL; correlationId: string; signal?: AbortSignal }): AsyncGenerator<ReferralPage> {
  let url: URL | null = args.url;
  const seenTokens = new Set<string>();
  while (url !== null) {
    const res = await ctx.request({ method: 'GET', url, correlationId: args.correlationId, ...(args.signal ? { signal: args.signal } : {}) });
    const list = wireListSchema.safeParse(res.json);
    if (!list.success) {
      throw new ConnectorError({ kind: 'invalid', system: 'partnerCenter', vendorCode: 'malformedResponse', correlationId: args.correlationId, message: 'list response has no value array' });
    }
    const link = list.data['@odata.nextLink'];
    let next: URL | null = null;
    if (typeof link === 'string' && link !== '') {
      next = nextPageUrl({ current: url, nextLink: link, baseUrl: ctx.options.baseUrl });
      if (next === null) ctx.logger.warn({ correlationId: args.correlationId }, 'could not follow an @odata.nextLink from Partner Center; stopping this listing');
      else if (seenTokens.has(next.search)) {
        throw new ConnectorError({ kind: 'transient', system: 'partnerCenter', vendorCode: 'pagingLoop', correlationId: args.correlationId, message: 'Partner Center returned the same next page twice' });
      } else seenTokens.add(next.search);
    }
    yield { items: parseItems(ctx, list.data.value), more: next !== null };
    url = next;
  }
}
