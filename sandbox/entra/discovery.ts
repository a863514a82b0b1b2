/**
 * The metadata msal-node reads before it asks for a token: the tenant's OpenID configuration,
 * the signing keys, and AAD instance discovery.
 */
export function openIdConfiguration(args: { base: string; tenant: string; issuer: string }): object {
  const root = `${args.base}/${args.tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: args.issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${args.base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** AAD instance discovery: this host is its own cloud, with no aliases. */
export function instanceDiscovery(args: { base: string; authorizationEndpoint: string | null }): object {
  const host = new URL(args.base).host;
  let tenant = 'common';
  if (args.authorizationEndpoint) {
    try {
      tenant = new URL(args.authorizationEndpoint).pathname.split('/')[1] ?? 'common';
    } catch {
      tenant = 'common';
    }
  }
  return {
    tenant_discovery_endpoint: `${args.base}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
