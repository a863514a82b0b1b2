/**
 * From the effective configuration to the option inputs the connectors parse themselves. This is
 * the composition root's side of the seam: the one place secrets are revealed to a connector.
 */
import { readFileSync } from 'node:fs';

import type { PartnerCenterOptionsInput } from '../../../connectors/partner-center/index.js';
import { partnerCenterFacts } from '../../../connectors/partner-center/index.js';
import { defaultRetryPolicy } from '../../../connectors/shared/retry.js';
import type { SalesforceOptionsInput } from '../../../connectors/salesforce/index.js';
import type { Config, PartnerCenterConfig, SalesforceConfig } from '../../config/index.js';

/** The sandbox CA (PEM) when the sandbox is enabled; nothing otherwise, so production trusts system roots only. */
export function sandboxCa(config: Pick<Config, 'sandbox'>): { ca: string } | Record<string, never> {
  return config.sandbox.enabled && config.sandbox.caFile !== null ? { ca: readFileSync(config.sandbox.caFile, 'utf8') } : {};
}

const retryFrom = (config: Pick<Config, 'sync'>) => ({
  ...config.sync.retry,
  // Creates stay safe regardless: each connector looks for an unknown-outcome create before retrying it.
  retryUnknownOutcome: defaultRetryPolicy.retryUnknownOutcome,
});

/**
 * Partner Center connector options. The configuration names the full referrals URL (so an
 * operator can paste it); the connector wants the origin it appends `/v1.0/engagements/referrals` to.
 */
export function partnerCenterOptionsFrom(
  config: Pick<Config, 'partnerCenter' | 'sync' | 'sandbox'>,
): Omit<PartnerCenterOptionsInput, 'solutionId'> & { solutionId?: string } {
  const pc: PartnerCenterConfig = config.partnerCenter;
  const base = pc.baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base.endsWith(partnerCenterFacts.referralsPath) ? base.slice(0, -partnerCenterFacts.referralsPath.length) : base,
    timeoutMs: pc.timeoutMs,
    rateLimit: pc.rateLimit,
    retry: retryFrom(config),
    coSellMode: pc.coSellMode,
    // Left out when not configured, so the connector's own check names it as missing.
    ...(pc.solutionId === null ? {} : { solutionId: pc.solutionId }),
    filters: pc.filters,
    ...sandboxCa(config),
  };
}

function salesforceAuth(auth: SalesforceConfig['auth']): SalesforceOptionsInput['auth'] {
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
        ...(auth.clientSecret === null ? {} : { clientSecret: auth.clientSecret.reveal() }),
      };
    case 'staticToken':
      return { kind: 'accessToken', accessToken: auth.accessToken.reveal() };
  }
}

/** Salesforce connector options, or null when the configuration has no salesforce section. */
export function salesforceOptionsFrom(config: Pick<Config, 'salesforce' | 'sync' | 'sandbox'>): SalesforceOptionsInput | null {
  const sf = config.salesforce;
  if (sf === null) return null;
  return {
    auth: salesforceAuth(sf.auth),
    loginUrl: sf.loginUrl,
    ...(sf.instanceUrl === undefined ? {} : { instanceUrl: sf.instanceUrl }),
    apiVersion: sf.apiVersion,
    timeoutMs: sf.timeoutMs,
    rateLimit: sf.rateLimit,
    retry: retryFrom(config),
    apiBudgetReservePercent: sf.apiBudgetReservePercent,
    inboundLeadsAs: sf.inboundLeadsAs,
    ...sandboxCa(config),
  };
}
