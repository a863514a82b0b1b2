/**
 * What an operator changes when a vendor refuses a sign-in, by the vendor's error code: the
 * configuration key or environment variable (and file) to fix. The connectors keep the vendor's
 * own words; these hints are appended to them, so every failed sign-in says what and where.
 */
import type { SignInHint } from '../../connectors/errors.js';
import type { Config } from '../config/index.js';
import { SECRET_ENV } from '../config/secret-names.js';

const env = (secret: keyof typeof SECRET_ENV): string => `${SECRET_ENV[secret]} (or ${SECRET_ENV[secret]}_FILE)`;

type Rules = { codes: readonly string[]; hint: string }[];

function fromRules(rules: Rules, otherwise: string): SignInHint {
  return (code) => rules.find((r) => code !== undefined && r.codes.includes(code))?.hint ?? otherwise;
}

/** Entra errors every confidential app can meet (app, tenant, resource). */
function entraApp(section: 'dynamics' | 'graph'): Rules {
  return [
    { codes: ['AADSTS700016', 'unauthorized_client'], hint: `check ${section}.auth.clientId (the app registration's Application (client) ID) and ${section}.auth.tenantId` },
    { codes: ['AADSTS90002', 'AADSTS900023'], hint: `check ${section}.auth.tenantId (the Directory (tenant) ID)` },
  ];
}

export function salesforceSignInHint(auth: NonNullable<Config['salesforce']>['auth']): SignInHint {
  const clientId = { codes: ['invalid_client_id'], hint: 'check salesforce.auth.clientId: the consumer key of the external client app' };
  switch (auth.mode) {
    case 'jwt':
      return fromRules(
        [
          clientId,
          {
            codes: ['invalid_grant'],
            hint: `check salesforce.auth.username, that the user is pre-authorised for the app (Admin approved users), and that ${env('salesforce.auth.privateKey')} or salesforce.auth.privateKeyFile is the key of the certificate uploaded to the app`,
          },
        ],
        `check salesforce.auth.clientId, salesforce.auth.username and ${env('salesforce.auth.privateKey')} or salesforce.auth.privateKeyFile`,
      );
    case 'clientCredentials':
      return fromRules(
        [
          clientId,
          { codes: ['invalid_client'], hint: `set ${env('salesforce.auth.clientSecret')} to the consumer secret of the app` },
          { codes: ['invalid_grant'], hint: 'the app needs the client credentials flow enabled with a run-as user, and salesforce.loginUrl must be the My Domain URL' },
        ],
        `check salesforce.auth.clientId and ${env('salesforce.auth.clientSecret')}`,
      );
    case 'refreshToken':
      return fromRules(
        [clientId, { codes: ['invalid_grant'], hint: `${env('salesforce.auth.refreshToken')} is expired or revoked: issue a new one` }],
        `check salesforce.auth.clientId and ${env('salesforce.auth.refreshToken')}`,
      );
    case 'staticToken':
      return () => `set a fresh ${env('salesforce.auth.accessToken')}`;
  }
}

export function dynamicsSignInHint(auth: NonNullable<Config['dynamics']>['auth']): SignInHint {
  switch (auth.mode) {
    case 'clientSecret':
      return fromRules(
        [
          { codes: ['AADSTS7000215'], hint: `set ${env('dynamics.auth.secret')} to the client secret's Value (not its Secret ID)` },
          { codes: ['AADSTS7000222'], hint: `the client secret has expired: add a new one to the app registration and set ${env('dynamics.auth.secret')}` },
          { codes: ['AADSTS500011'], hint: 'check dynamics.url: the environment URL, e.g. https://contoso.crm.dynamics.com' },
          ...entraApp('dynamics'),
        ],
        `check dynamics.auth.tenantId, dynamics.auth.clientId and ${env('dynamics.auth.secret')}`,
      );
    case 'certificate':
      return fromRules(
        [
          {
            codes: ['AADSTS700027', 'AADSTS700024'],
            hint: `${env('dynamics.auth.privateKey')} or dynamics.auth.privateKeyFile, and dynamics.auth.thumbprintSha256, must belong to a certificate uploaded to the app registration`,
          },
          { codes: ['AADSTS500011'], hint: 'check dynamics.url: the environment URL, e.g. https://contoso.crm.dynamics.com' },
          ...entraApp('dynamics'),
        ],
        `check dynamics.auth.tenantId, dynamics.auth.clientId, dynamics.auth.thumbprintSha256 and ${env('dynamics.auth.privateKey')}`,
      );
    case 'staticToken':
      return () => `set a fresh ${env('dynamics.auth.accessToken')}`;
  }
}

export function graphSignInHint(): SignInHint {
  return fromRules(
    [
      { codes: ['AADSTS7000215'], hint: `set ${env('graph.auth.secret')} to the client secret's Value (not its Secret ID)` },
      { codes: ['AADSTS7000222'], hint: `the client secret has expired: add a new one and set ${env('graph.auth.secret')}` },
      ...entraApp('graph'),
    ],
    `check graph.auth.tenantId, graph.auth.clientId, ${env('graph.auth.secret')} and the app's Mail.Send application permission`,
  );
}

export function partnerCenterSignInHint(): SignInHint {
  return fromRules(
    [
      { codes: ['AADSTS7000218'], hint: 'turn on "Allow public client flows" in the app registration named by partnerCenter.auth.clientId (Authentication blade)' },
      { codes: ['AADSTS65001', 'consent_required'], hint: 'an administrator must grant consent to the Partner Center API permission (user_impersonation) of the app registration' },
      { codes: ['AADSTS700016', 'unauthorized_client'], hint: 'check partnerCenter.auth.clientId and partnerCenter.auth.tenantId' },
      { codes: ['AADSTS90002'], hint: 'check partnerCenter.auth.tenantId' },
      { codes: ['AADSTS50076', 'AADSTS50079'], hint: 'the Referral Admin must complete multi-factor sign-in in the browser' },
    ],
    'check partnerCenter.auth.tenantId and partnerCenter.auth.clientId, then run `cosell-sync auth login` again',
  );
}
