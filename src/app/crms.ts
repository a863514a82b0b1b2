/** Builds the CRM sides (connector + mapping) the configuration names. */
import type { Logger } from 'pino';
import type { ApiCallObserver } from '../../connectors/shared/api-calls.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { CrmSide } from '../engine/types.js';
import type { StateStore } from '../store/types.js';
import { accountDunsField } from './duns-field.js';
import { buildDynamicsConnector } from './dynamics.js';
import { loadMapping } from './load-mapping.js';
import { connectorRetryPolicy } from './retry-policy.js';
import { salesforceSignInHint } from './sign-in-hints.js';

export function buildCrmSides(args: { config: Config; logger: Logger; clock: Clock; store: StateStore; ca: string | null; onApiCall?: ApiCallObserver | undefined }): CrmSide[] {
  const { config, logger, clock, store, ca } = args;
  const onApiCall = args.onApiCall ? { onApiCall: args.onApiCall } : {};
  const sides: CrmSide[] = [];
  const retry = connectorRetryPolicy(config.sync);
  const sf = config.salesforce;
  if (sf) {
    const auth =
      sf.auth.mode === 'jwt'
        ? { kind: 'jwt' as const, clientId: sf.auth.clientId, username: sf.auth.username, privateKeyPem: sf.auth.privateKey.reveal() }
        : sf.auth.mode === 'clientCredentials'
          ? { kind: 'clientCredentials' as const, clientId: sf.auth.clientId, clientSecret: sf.auth.clientSecret.reveal() }
          : sf.auth.mode === 'refreshToken'
            ? {
                kind: 'refreshToken' as const,
                clientId: sf.auth.clientId,
                refreshToken: sf.auth.refreshToken.reveal(),
                ...(sf.auth.clientSecret ? { clientSecret: sf.auth.clientSecret.reveal() } : {}),
              }
            : { kind: 'accessToken' as const, accessToken: sf.auth.accessToken.reveal() };
    const mapping = loadMapping(sf.mapping, 'salesforce');
    const connector = createSalesforceConnector(
      {
        auth,
        loginUrl: sf.loginUrl,
        ...(sf.instanceUrl ? { instanceUrl: sf.instanceUrl } : {}),
        apiVersion: sf.apiVersion,
        timeoutMs: sf.timeoutMs,
        rateLimit: sf.rateLimit,
        retry,
        apiBudgetReservePercent: sf.apiBudgetReservePercent,
        inboundLeadsAs: sf.inboundLeadsAs,
        accountDunsField: accountDunsField(mapping, 'Account'),
        ...(ca ? { ca } : {}),
      },
      { logger, clock, store, signInHint: salesforceSignInHint(sf.auth), ...onApiCall },
    );
    sides.push({ system: 'salesforce', connector, mapping });
  }
  if (config.dynamics) sides.push(buildDynamicsConnector({ config: config.dynamics, retry, logger, clock, store, ...onApiCall }));
  return sides;
}
