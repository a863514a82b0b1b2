/** Builds the Salesforce side (connector + mapping) from the configuration. */
import { createSalesforceConnector, type SalesforceOptionsInput } from '../../connectors/salesforce/index.js';
import type { SalesforceConfig } from '../config/index.js';
import type { CrmSide } from '../engine/types.js';
import { accountDunsField } from './duns-field.js';
import { loadMapping } from './load-mapping.js';
import type { SideDeps } from './side-deps.js';
import { salesforceSignInHint } from './sign-in-hints.js';

function authFrom(auth: SalesforceConfig['auth']): SalesforceOptionsInput['auth'] {
  switch (auth.mode) {
    case 'jwt':
      return { kind: 'jwt', clientId: auth.clientId, username: auth.username, privateKeyPem: auth.privateKey.reveal() };
    case 'clientCredentials':
      return { kind: 'clientCredentials', clientId: auth.clientId, clientSecret: auth.clientSecret.reveal() };
    case 'refreshToken':
      return {
        kind: 'refreshToken',
        clientId: auth.clientId,
        refreshToken: auth.refreshToken.reveal(),
        ...(auth.clientSecret ? { clientSecret: auth.clientSecret.reveal() } : {}),
      };
    case 'staticToken':
      return { kind: 'accessToken', accessToken: auth.accessToken.reveal() };
  }
}

export function buildSalesforceSide(args: SideDeps & { config: SalesforceConfig }): CrmSide {
  const { config: sf, retry, logger, clock, store, ca } = args;
  const mapping = loadMapping(sf.mapping, 'salesforce');
  const connector = createSalesforceConnector(
    {
      auth: authFrom(sf.auth),
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
    { logger, clock, store, signInHint: salesforceSignInHint(sf.auth), ...(args.onApiCall ? { onApiCall: args.onApiCall } : {}) },
  );
  return { system: 'salesforce', connector, mapping };
}
