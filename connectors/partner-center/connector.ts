/**
 * The Partner Center connector: composes transport, tokens, rate limit, retry and the operation
 * modules behind the `PartnerCenterConnector` contract the engine depends on.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { StateStore } from '../../src/store/types.js';
import { isConnectorError } from '../errors.js';
import type { ApiCallObserver } from '../shared/api-calls.js';
import { RateLimiter } from '../shared/rate-limit.js';
import type { ConnectorHealth, PartnerCenterConnector } from '../types.js';
import type { TokenProvider } from './auth/token-provider.js';
import { FilterCapabilities } from './capabilities.js';
import type { InvalidItem, PcContext } from './context.js';
import { createReferral, findMicrosoftSide, inviteMicrosoft } from './create.js';
import { findByExternalReferenceId } from './find.js';
import { createHttpTransport } from './http.js';
import type { HttpTransport } from './http.js';
import { listChanged, listEngagement } from './list.js';
import { parsePartnerCenterOptions } from './options.js';
import type { PartnerCenterOptionsInput } from './options.js';
import { parseReferral } from './parse.js';
import { createRequester } from './request.js';
import { updateReferral } from './update.js';
import { referralsUrl } from './urls.js';

/** What the composition root hands the connector. */
export interface PartnerCenterDeps {
  logger: Logger;
  clock: Clock;
  tokens: TokenProvider;
  /** Remembers filter fallbacks across restarts when given. */
  store?: StateStore;
  /** Told of every request sent (metrics). */
  onApiCall?: ApiCallObserver;
  /** Told about every referral skipped because Partner Center sent it malformed. */
  onInvalidItem?: (item: InvalidItem) => void;
  /** Replaces the node:https transport (tests that inject faults below HTTP). */
  transport?: HttpTransport;
  /**
   * The `MS-CorrelationId` of the next operation; the engine passes its run id here so one sync
   * run shares one correlation id. Default: a new GUID per operation.
   */
  correlationId?: () => string;
}

/** Builds the connector; options are validated here and a bad value throws with its path. */
export function createPartnerCenterConnector(options: PartnerCenterOptionsInput, deps: PartnerCenterDeps): PartnerCenterConnector {
  const opts = parsePartnerCenterOptions(options);
  const logger = deps.logger.child({ connector: 'partnerCenter' });
  const transport = deps.transport ?? createHttpTransport({ system: 'partnerCenter', ...(opts.ca === undefined ? {} : { ca: opts.ca }) });
  const limiter = new RateLimiter(opts.rateLimit, deps.clock);
  const ctx: PcContext = {
    options: opts,
    logger,
    clock: deps.clock,
    request: createRequester({ transport, tokens: deps.tokens, limiter, clock: deps.clock, logger, policy: opts.retry, timeoutMs: opts.timeoutMs, ...(deps.onApiCall ? { onApiCall: deps.onApiCall } : {}) }),
    capabilities: new FilterCapabilities(opts.filters, { store: deps.store, logger }),
    newCorrelationId: deps.correlationId ?? (() => randomUUID()),
    reportInvalid: (item) => deps.onInvalidItem?.(item),
  };
  return {
    listChanged: (args) => listChanged(ctx, args),
    async getReferral(id, options = {}) {
      const correlationId = ctx.newCorrelationId();
      try {
        const res = await ctx.request({
          method: 'GET',
          url: referralsUrl(opts.baseUrl, `/${encodeURIComponent(id)}`),
          correlationId,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        return parseReferral(res.json);
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'notFound') return null;
        throw error;
      }
    },
    listEngagement: (engagementId) => listEngagement(ctx, engagementId),
    findByExternalReferenceId: (externalReferenceId) => findByExternalReferenceId(ctx, externalReferenceId),
    createReferral: (args) => createReferral(ctx, args),
    invitesMicrosoftSeparately: opts.coSellMode === 'twoReferrals',
    findMicrosoftSide: (own) => findMicrosoftSide(ctx, own),
    inviteMicrosoft: (args) => inviteMicrosoft(ctx, args),
    updateReferral: (args) => updateReferral(ctx, args),
    health(): ConnectorHealth {
      const auth = deps.tokens.health();
      if (auth.state !== 'ok') return auth;
      const pausedMs = limiter.pausedForMs();
      if (pausedMs > 0) {
        return { state: 'paused', detail: 'Partner Center asked us to slow down (429)', pausedUntil: new Date(deps.clock.now().getTime() + pausedMs).toISOString() };
      }
      return { state: 'ok', detail: null, pausedUntil: null };
    },
    async close() {
      await limiter.onIdle();
      transport.close();
    },
  };
}
