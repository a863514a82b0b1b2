/**
 * From the effective configuration to the option inputs the connectors parse themselves. This is
 * the composition root's side of the seam: the one place secrets are revealed to a connector.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

import type { PartnerCenterOptionsInput } from '../../../connectors/partner-center/index.js';
import { partnerCenterFacts } from '../../../connectors/partner-center/index.js';
import { defaultRetryPolicy } from '../../../connectors/shared/retry.js';
import type { SalesforceOptionsInput } from '../../../connectors/salesforce/index.js';
import type { Config, PartnerCenterConfig, SalesforceConfig } from '../../config/index.js';

/** The sandbox CA (PEM) when the sandbox is enabled; null otherwise, so production trusts public roots only. */
export function sandboxCaPem(config: Pick<Config, 'sandbox'>): string | null {
  return config.sandbox.enabled && config.sandbox.caFile !== null ? readFileSync(config.sandbox.caFile, 'utf8') : null;
}

/** `{ ca }` for a connector's options when there is a sandbox CA to trust, else nothing. */
const sandboxCa = (config: Pick<Config, 'sandbox'>): { ca?: string } => {
  const pem = sandboxCaPem(config);
  return pem === null ? {} : { ca: pem };
};

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

/**
 * Webhook registration client options: the configuration names the full registration URL, the
 * client wants the origin it appends `/webhooks/v1/registration` to.
 */
export function webhookRegistrationOptionsFrom(config: Pick<Config, 'partnerCenter' | 'sandbox'>): {
  baseUrl: string;
  timeoutMs: number;
  ca?: string;
} {
  const url = config.partnerCenter.webhookRegistrationUrl.replace(/\/+$/, '');
  const suffix = '/webhooks/v1/registration';
  return {
    baseUrl: url.endsWith(suffix) ? url.slice(0, -suffix.length) : url,
    timeoutMs: config.partnerCenter.timeoutMs,
    ...sandboxCa(config),
  };
}

/**
 * What webhook verification needs from the configuration: the roots a signing certificate must
 * chain to (the configured CA file, else Node's bundled public roots; plus the sandbox CA when
 * the sandbox is enabled) and the hosts certificates may come from.
 */
export function webhookVerificationFrom(config: Pick<Config, 'partnerCenter' | 'sandbox'>): {
  path: string;
  trustedRoots: readonly string[];
  hostAllowList: readonly string[];
} {
  const webhooks = config.partnerCenter.webhooks;
  const roots = webhooks.trustedRootCaFile === undefined ? [...rootCertificates] : [readFileSync(webhooks.trustedRootCaFile, 'utf8')];
  const sandbox = sandboxCaPem(config);
  return {
    path: webhooks.path,
    trustedRoots: sandbox === null ? roots : [...roots, sandbox],
    hostAllowList: webhooks.certificateHostAllowList,
  };
}
