/**
 * Every secret the configuration takes, by its key path in the effective configuration, with the
 * environment variable it comes from (`NAME`, or `NAME_FILE` naming a file that holds it).
 */
export const SECRET_ENV = {
  'store.url': 'COSELL_PG_URL',
  'partnerCenter.auth.token': 'COSELL_PC_TOKEN',
  'partnerCenter.tokenCacheKey': 'COSELL_TOKEN_CACHE_KEY',
  'salesforce.auth.privateKey': 'SALESFORCE_PRIVATE_KEY',
  'salesforce.auth.clientSecret': 'SALESFORCE_CLIENT_SECRET',
  'salesforce.auth.refreshToken': 'SALESFORCE_REFRESH_TOKEN',
  'salesforce.auth.accessToken': 'SALESFORCE_ACCESS_TOKEN',
  'dynamics.auth.secret': 'DYNAMICS_CLIENT_SECRET',
  'dynamics.auth.privateKey': 'DYNAMICS_CERTIFICATE_KEY',
  'dynamics.auth.accessToken': 'DYNAMICS_ACCESS_TOKEN',
  'graph.auth.secret': 'GRAPH_CLIENT_SECRET',
  'graph.auth.accessToken': 'GRAPH_ACCESS_TOKEN',
  'server.auth.token': 'COSELL_ADMIN_TOKEN',
  'server.auth.entra.clientSecret': 'COSELL_ADMIN_ENTRA_SECRET',
} as const;

export type SecretPath = keyof typeof SECRET_ENV;

export const isSecretPath = (path: string): path is SecretPath => Object.hasOwn(SECRET_ENV, path);
