import { ConnectorError } from '../../errors.js';
import type { ConnectorHealth } from '../../types.js';
import type { TokenAudience, TokenProvider } from './token-provider.js';

/**
 * A fixed bearer token per audience, for development and the sandbox. A refresh cannot produce a
 * new token, so a forced refresh returns the same one and a second 401 surfaces as `auth`.
 */
export function createStaticTokenProvider(args: { tokens: Partial<Record<TokenAudience, string>> }): TokenProvider {
  const healthy: ConnectorHealth = { state: 'ok', detail: null, pausedUntil: null };
  return {
    getToken: (audience) => {
      const token = args.tokens[audience];
      if (token === undefined || token === '') {
        return Promise.reject(
          new ConnectorError({ kind: 'auth', system: 'partnerCenter', message: `no static token configured for the ${audience} audience` }),
        );
      }
      return Promise.resolve(token);
    },
    health: () => healthy,
  };
}
