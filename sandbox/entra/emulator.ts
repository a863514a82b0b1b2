/**
 * The Entra ID (Azure AD) token endpoint emulator: what msal-node needs for
 * client credentials, device code and refresh, plus a `tokenValidator` the other emulators use.
 */
import type { SandboxClock } from '../shared/clock.js';
import type { FaultRule } from '../shared/faults.js';
import { Router, startEmulatorServer, type EmuRequest, type EmulatorServer } from '../shared/http.js';
import { AuthCodes } from './auth-codes.js';
import { Directory, type EntraClient, type EntraUser } from './directory.js';
import { instanceDiscovery, openIdConfiguration } from './discovery.js';
import { Grants } from './grants.js';
import { createSigningKey, jwks } from './jwt.js';
import { TokenIssuer, type IssuedToken } from './token-issuer.js';
import type { TokenValidator } from './types.js';

export interface EntraEmulatorArgs {
  clock: SandboxClock;
  /** The tenant id put in `tid` and the issuer. */
  tenantId?: string;
  /** Known users; anyone named when a device code is approved is added. */
  users?: Partial<EntraUser>[];
  /** Registered apps; absent admits any client id and secret. */
  clients?: EntraClient[];
  /** Access token lifetime (`expires_in`), on the sandbox clock. Default 3600. */
  expiresInSeconds?: number;
  /** How often msal polls the device-code grant. Default 5; tests use 0 or 1. */
  deviceCodeIntervalSeconds?: number;
  deviceCodeLifetimeSeconds?: number;
  refreshLifetimeSeconds?: number;
  /** Approve every device code at once as this user (demos). */
  autoApproveDeviceCodesAs?: string;
  /** The password (ROPC) grant: refused for MFA by default, as Partner Center enforces MFA (Partner Center docs, "Referrals API authentication"). */
  passwordGrant?: 'mfaRequired' | 'allowed';
  /** The authorization endpoint signs this user in at once instead of showing the account picker. */
  signInAs?: string;
}

export interface EntraControl {
  /** The person enters the user code and signs in as `upn` (default: the first known user). */
  approveDeviceCode(args: { userCode: string; upn?: string }): boolean;
  declineDeviceCode(args: { userCode: string }): boolean;
  pendingDeviceCodes(): { userCode: string; clientId: string; scope: string }[];
  /** Password change / MFA reset: the user's refresh tokens fail with invalid_grant (AADSTS50173). */
  revokeUser(args: { upn: string }): number;
  issuedTokens(): readonly IssuedToken[];
  /** `<base>/<tenantId>`, the authority to give msal-node. */
  authority(): string;
  setBaseUrl(url: string): void;
  /** Who the authorization endpoint signs in without asking (null: show the account picker). */
  setSignInAs(upn: string | null): void;
}

export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-5ad0b0c1e57a';
const DEFAULT_USER = 'referral.admin@partner.example';

/** The Entra emulator without a server; `control.setBaseUrl` must name where it is reachable. */
export function createEntraEmulator(args: EntraEmulatorArgs): { router: Router; tokenValidator: TokenValidator; control: EntraControl } {
  const tenantId = args.tenantId ?? DEFAULT_TENANT_ID;
  let base = 'https://login.microsoftonline.com';
  const directory = new Directory(args.users && args.users.length > 0 ? args.users : [{ upn: DEFAULT_USER }]);
  let signInAs = args.signInAs ?? null;
  const authCodes = new AuthCodes({ clock: args.clock, directory, signInAs: () => signInAs });
  const issuer = new TokenIssuer({ clock: args.clock, key: createSigningKey(), tenantId, issuerBase: () => base, expiresInSeconds: args.expiresInSeconds ?? 3600 });
  const grants = new Grants({
    clock: args.clock,
    directory,
    issuer,
    authCodes,
    settings: {
      clients: args.clients ? new Map(args.clients.map((c) => [c.clientId, c])) : null,
      deviceCodeIntervalSeconds: args.deviceCodeIntervalSeconds ?? 5,
      deviceCodeLifetimeSeconds: args.deviceCodeLifetimeSeconds ?? 900,
      refreshLifetimeSeconds: args.refreshLifetimeSeconds ?? 90 * 86_400,
      get verificationUri() {
        return `${base}/devicelogin`;
      },
      autoApproveAs: args.autoApproveDeviceCodesAs ?? null,
      passwordGrant: args.passwordGrant ?? 'mfaRequired',
    },
  });
  const tokenValidator: TokenValidator = (token, audience) => issuer.validate(token, audience);
  const control: EntraControl = {
    approveDeviceCode: ({ userCode, upn }) => grants.approve(userCode, upn ?? directory.firstUser()?.upn ?? DEFAULT_USER),
    declineDeviceCode: ({ userCode }) => grants.decline(userCode),
    pendingDeviceCodes: () => directory.pendingDeviceCodes().map(({ userCode, clientId, scope }) => ({ userCode, clientId, scope })),
    revokeUser: ({ upn }) => directory.revokeUser(upn),
    issuedTokens: () => issuer.list(),
    authority: () => `${base}/${tenantId}`,
    setBaseUrl: (url) => {
      base = url.replace(/\/$/, '');
    },
    setSignInAs: (upn) => {
      signInAs = upn;
    },
  };
  const router = buildRouter({ grants, control, issuer, authCodes, signingKeys: () => jwks(issuer.signingKey), base: () => base });
  return { router, tokenValidator, control };
}

function buildRouter(deps: {
  grants: Grants;
  control: EntraControl;
  issuer: TokenIssuer;
  authCodes: AuthCodes;
  signingKeys: () => object;
  base: () => string;
}): Router {
  const { grants, control } = deps;
  const form = (req: EmuRequest): URLSearchParams => {
    const params = new URLSearchParams(req.text());
    // msal-node puts client-request-id and friends in the query; the body wins on a clash.
    for (const [name, value] of req.query) if (!params.has(name)) params.set(name, value);
    return params;
  };
  const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  const router = new Router();
  router.add('POST', '/:tenant/oauth2/v2.0/token', (req) => ({ status: 200, headers: noStore, body: grants.token(form(req)) }), 'entra.token');
  // The v1 endpoint of the docs' ROPC sample ("Referrals API authentication"): `resource=` instead of a scope.
  router.add(
    'POST',
    '/:tenant/oauth2/token',
    (req) => {
      const params = form(req);
      const resource = params.get('resource');
      const scopes = (params.get('scope') ?? '').split(/\s+/).filter((s) => s !== '' && s !== 'openid');
      if (resource && scopes.length === 0) params.set('scope', `${resource.replace(/\/+$/, '')}/.default openid`);
      return { status: 200, headers: noStore, body: grants.token(params) };
    },
    'entra.token-v1',
  );
  router.add('GET', '/:tenant/oauth2/v2.0/authorize', (req) => deps.authCodes.authorize(req.query, req.params.tenant ?? 'common'), 'entra.authorize');
  // The account picker posts its choice back here.
  router.add('POST', '/:tenant/oauth2/v2.0/authorize', (req) => deps.authCodes.authorize(new URLSearchParams(req.text()), req.params.tenant ?? 'common'), 'entra.authorize');
  router.add('POST', '/:tenant/oauth2/v2.0/devicecode', (req) => ({ status: 200, headers: noStore, body: grants.deviceCode(form(req)) }), 'entra.devicecode');
  router.add(
    'GET',
    '/:tenant/v2.0/.well-known/openid-configuration',
    (req) => ({ status: 200, body: openIdConfiguration({ base: deps.base(), tenant: req.params.tenant ?? 'common', issuer: deps.issuer.issuer() }) }),
    'entra.openid-configuration',
  );
  router.add('GET', '/:tenant/discovery/v2.0/keys', () => ({ status: 200, body: deps.signingKeys() }), 'entra.keys');
  router.add(
    'GET',
    '/common/discovery/instance',
    (req) => ({ status: 200, body: instanceDiscovery({ base: deps.base(), authorizationEndpoint: req.query.get('authorization_endpoint') }) }),
    'entra.instance-discovery',
  );
  router.add('GET', '/devicelogin', () => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'Sandbox sign-in: approve the code through /_control/entra/device-codes/approve.' }));
  router.add('GET', '/_control/entra/device-codes', () => ({ status: 200, body: control.pendingDeviceCodes() }));
  router.add('POST', '/_control/entra/device-codes/approve', (req) => {
    const body = req.json<{ userCode?: string; upn?: string }>();
    const approved = control.approveDeviceCode({ userCode: body.userCode ?? '', ...(body.upn ? { upn: body.upn } : {}) });
    return { status: approved ? 200 : 404, body: { approved } };
  });
  router.add('POST', '/_control/entra/device-codes/decline', (req) => {
    const declined = control.declineDeviceCode({ userCode: req.json<{ userCode?: string }>().userCode ?? '' });
    return { status: declined ? 200 : 404, body: { declined } };
  });
  router.add('POST', '/_control/entra/users/revoke', (req) => ({ status: 200, body: { revoked: control.revokeUser({ upn: req.json<{ upn?: string }>().upn ?? '' }) } }));
  router.add('GET', '/_control/entra/tokens', () => ({ status: 200, body: control.issuedTokens() }));
  return router;
}

export interface StartEntraArgs extends EntraEmulatorArgs {
  tls?: { key: string; cert: string };
  port?: number;
  faults?: FaultRule[];
}

/** Starts the Entra emulator on 127.0.0.1; `control.authority()` is then the authority for msal-node. */
export async function startEntraEmulator(
  args: StartEntraArgs,
): Promise<{ server: EmulatorServer; tokenValidator: TokenValidator; control: EntraControl }> {
  const { router, tokenValidator, control } = createEntraEmulator(args);
  const server = await startEmulatorServer({
    name: 'entra',
    router,
    clock: args.clock,
    ...(args.tls ? { tls: args.tls } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.faults ? { faults: args.faults } : {}),
    errorBody: (status) => ({ body: { error: 'temporarily_unavailable', error_description: `AADSTS90033: Injected HTTP ${status}.`, error_codes: [90033] } }),
  });
  control.setBaseUrl(server.url);
  return { server, tokenValidator, control };
}
