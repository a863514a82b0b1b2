/**
 * Keys admins write when they put a secret into the YAML file, by the object they sit in, and
 * the secret each one is (a key path of `SECRET_ENV`). The schema never has such keys, so these
 * turn an "unknown key" into where the secret belongs.
 */
import type { SecretPath } from './secret-names.js';

export const SECRET_KEYS: Readonly<Record<string, Readonly<Record<string, SecretPath>>>> = {
  store: { url: 'store.url', connectionString: 'store.url', password: 'store.url' },
  partnerCenter: { tokenCacheKey: 'partnerCenter.tokenCacheKey', cacheKey: 'partnerCenter.tokenCacheKey' },
  'partnerCenter.auth': {
    token: 'partnerCenter.auth.token',
    accessToken: 'partnerCenter.auth.token',
    tokenCacheKey: 'partnerCenter.tokenCacheKey',
  },
  'salesforce.auth': {
    clientSecret: 'salesforce.auth.clientSecret',
    secret: 'salesforce.auth.clientSecret',
    consumerSecret: 'salesforce.auth.clientSecret',
    privateKey: 'salesforce.auth.privateKey',
    privateKeyPem: 'salesforce.auth.privateKey',
    key: 'salesforce.auth.privateKey',
    refreshToken: 'salesforce.auth.refreshToken',
    accessToken: 'salesforce.auth.accessToken',
    token: 'salesforce.auth.accessToken',
  },
  'dynamics.auth': {
    clientSecret: 'dynamics.auth.secret',
    secret: 'dynamics.auth.secret',
    privateKey: 'dynamics.auth.privateKey',
    privateKeyPem: 'dynamics.auth.privateKey',
    certificateKey: 'dynamics.auth.privateKey',
    accessToken: 'dynamics.auth.accessToken',
    token: 'dynamics.auth.accessToken',
  },
  'server.auth': { token: 'server.auth.token', adminToken: 'server.auth.token', bearerToken: 'server.auth.token' },
  'server.auth.entra': { clientSecret: 'server.auth.entra.clientSecret', secret: 'server.auth.entra.clientSecret' },
  'graph.auth': {
    clientSecret: 'graph.auth.secret',
    secret: 'graph.auth.secret',
    accessToken: 'graph.auth.accessToken',
    token: 'graph.auth.accessToken',
  },
};

/** Secret-looking keys that have no place at all, with why. */
export const NEEDLESS_SECRETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'partnerCenter.auth': {
    clientSecret: 'Partner Center sign-in needs no client secret: the device-code app registration is a public client',
    secret: 'Partner Center sign-in needs no client secret: the device-code app registration is a public client',
    password: 'Partner Center sign-in takes no password: `cosell-sync auth login` signs the Referral Admin in by device code',
  },
  'salesforce.auth': {
    password: 'Salesforce sign-in takes no password: use the JWT bearer flow (mode: jwt) with a private key in SALESFORCE_PRIVATE_KEY',
  },
};
