/** Builds the Partner Center connector and its token provider from the configuration. */
import type { Logger } from 'pino';
import type { ApiCallObserver } from '../../connectors/shared/api-calls.js';
import type { RetryPolicy } from '../../connectors/shared/retry.js';
import {
  createDeviceCodeTokenProvider,
  createMsalNetworkClient,
  createPartnerCenterConnector,
  createStaticTokenProvider,
  parseCacheKey,
  type DeviceCodeTokenProvider,
  type TokenProvider,
} from '../../connectors/partner-center/index.js';
import type { PartnerCenterConnector } from '../../connectors/types.js';
import type { PartnerCenterConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { StateStore } from '../store/types.js';
import { partnerCenterSignInHint } from './sign-in-hints.js';

const REFERRALS_PATH = '/v1.0/engagements/referrals';

export interface PartnerCenterParts {
  connector: PartnerCenterConnector;
  tokens: TokenProvider;
  /** Present in device-code mode: `cosell-sync auth login` drives it. */
  login: DeviceCodeTokenProvider | null;
}

export function buildPartnerCenter(args: {
  config: PartnerCenterConfig;
  retry: RetryPolicy;
  logger: Logger;
  clock: Clock;
  store: StateStore;
  ca: string | null;
  onApiCall?: ApiCallObserver | undefined;
}): PartnerCenterParts {
  const { config, retry, logger, clock, store, ca } = args;
  let tokens: TokenProvider;
  let login: DeviceCodeTokenProvider | null = null;
  if (config.auth.mode === 'staticToken') {
    const token = config.auth.token.reveal();
    tokens = createStaticTokenProvider({ tokens: { referrals: token, webhooks: token } });
  } else {
    const key = config.tokenCacheKey;
    if (!key) throw new Error('partnerCenter.tokenCacheKey: set COSELL_TOKEN_CACHE_KEY for device-code sign-in');
    const authority = `${config.auth.authority.replace(/\/+$/, '')}/${config.auth.tenantId}`;
    login = createDeviceCodeTokenProvider(
      { clientId: config.auth.clientId, authority },
      // Our own network client in production too: it keeps Entra's words when msal drops them.
      { store, cacheKey: parseCacheKey(key.reveal()), logger, signInHint: partnerCenterSignInHint(), networkClient: createMsalNetworkClient(ca ? { ca } : {}) },
    );
    tokens = login;
  }
  // The config names the whole referrals URL (what operators see in the docs); the connector wants
  // the origin and any prefix before the documented path.
  const baseUrl = config.baseUrl.replace(/\/+$/, '').replace(new RegExp(`${REFERRALS_PATH}$`), '');
  const connector = createPartnerCenterConnector(
    {
      baseUrl,
      timeoutMs: config.timeoutMs,
      rateLimit: config.rateLimit,
      retry,
      coSellMode: config.coSellMode,
      solutionId: config.solutionId,
      filters: config.filters,
      ...(ca ? { ca } : {}),
    },
    { logger, clock, tokens, store, ...(args.onApiCall ? { onApiCall: args.onApiCall } : {}) },
  );
  return { connector, tokens, login };
}
