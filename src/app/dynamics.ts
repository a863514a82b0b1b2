/** Builds the Dynamics 365 (Dataverse) side from the configuration. */
import { readFileSync } from 'node:fs';
import { createDynamicsConnector, type DynamicsAuthOptions } from '../../connectors/dynamics/index.js';
import type { DynamicsConfig } from '../config/index.js';
import type { CrmSide } from '../engine/types.js';
import { accountDunsField } from './duns-field.js';
import { loadMapping } from './load-mapping.js';
import type { SideDeps } from './side-deps.js';
import { dynamicsSignInHint } from './sign-in-hints.js';

function authFrom(auth: DynamicsConfig['auth']): DynamicsAuthOptions {
  switch (auth.mode) {
    case 'clientSecret':
      return { kind: 'clientSecret', tenantId: auth.tenantId, clientId: auth.clientId, authority: auth.authority, clientSecret: auth.secret.reveal() };
    case 'certificate':
      return {
        kind: 'certificate',
        tenantId: auth.tenantId,
        clientId: auth.clientId,
        authority: auth.authority,
        thumbprintSha256: auth.thumbprintSha256,
        privateKeyPem: auth.privateKey.reveal(),
        ...(auth.certificateFile ? { certificatePem: readFileSync(auth.certificateFile, 'utf8') } : {}),
      };
    case 'staticToken':
      return { kind: 'staticToken', accessToken: auth.accessToken.reveal() };
  }
}

/**
 * Dataverse calls go through dynamics-web-api, which trusts the process's CAs only: a sandbox or
 * private CA reaches it through NODE_EXTRA_CA_CERTS (`cosell-sync sandbox` writes it into
 * sandbox.env), not through the configured `sandbox.caFile`.
 */
export function buildDynamicsConnector(args: Omit<SideDeps, 'ca'> & { config: DynamicsConfig }): CrmSide {
  const { config, retry, logger, clock, store } = args;
  const mapping = loadMapping(config.mapping, 'dynamics');
  const connector = createDynamicsConnector(
    {
      url: config.url,
      apiVersion: config.apiVersion,
      auth: authFrom(config.auth),
      rateLimit: config.rateLimit,
      retry,
      timeoutMs: config.timeoutMs,
      inboundLeadsAs: config.inboundLeadsAs,
      accountDunsField: accountDunsField(mapping, 'parentaccountid'),
    },
    { logger, clock, store, signInHint: dynamicsSignInHint(config.auth), ...(args.onApiCall ? { onApiCall: args.onApiCall } : {}) },
  );
  return { system: 'dynamics', connector, mapping };
}
