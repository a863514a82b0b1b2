/**
 * The v2 token and device-code endpoints: client credentials, refresh token and the device-code
 * grant (`urn:ietf:params:oauth:grant-type:device_code`, authorization_pending until approved).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../shared/clock.js';
import type { AuthCodes } from './auth-codes.js';
import type { Directory, EntraClient, EntraUser } from './directory.js';
import { oauthError } from './errors.js';
import { readScopes, type ScopeRequest } from './scopes.js';
import type { GrantKind, TokenIssuer } from './token-issuer.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface GrantSettings {
  /** Registered apps; null admits any client id (and, for client credentials, any secret). */
  clients: ReadonlyMap<string, EntraClient> | null;
  deviceCodeIntervalSeconds: number;
  deviceCodeLifetimeSeconds: number;
  refreshLifetimeSeconds: number;
  verificationUri: string;
  /** Approve every new device code at once as this user (demos); null waits for the control API. */
  autoApproveAs: string | null;
  /**
   * Partner Center docs, "Referrals API authentication": Microsoft enforces MFA for Partner Center API access, which the password (ROPC)
   * grant cannot satisfy. 'mfaRequired' refuses it with AADSTS50076; 'allowed' issues tokens.
   */
  passwordGrant: 'mfaRequired' | 'allowed';
}

export class Grants {
  constructor(
    private readonly deps: { clock: SandboxClock; directory: Directory; issuer: TokenIssuer; settings: GrantSettings; authCodes: AuthCodes },
  ) {}

  /** POST /{tenant}/oauth2/v2.0/devicecode */
  deviceCode(form: URLSearchParams): object {
    // A code is handed out even to an app without public client flows; redeeming it is refused.
    const clientId = this.client(form, false, false);
    const scopes = this.scopes(form.get('scope'));
    const { settings, directory } = this.deps;
    const userCode = randomCode(9);
    const deviceCode = `DAQABAAEAAA${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.nowMs() + settings.deviceCodeLifetimeSeconds * 1000;
    directory.addDeviceCode({ deviceCode, userCode, clientId, scope: scopes.requested.join(' '), expiresAt, state: 'pending', upn: null });
    if (settings.autoApproveAs) this.approve(userCode, settings.autoApproveAs);
    return {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: settings.verificationUri,
      expires_in: settings.deviceCodeLifetimeSeconds,
      interval: settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${settings.verificationUri} and enter the code ${userCode} to authenticate.`,
    };
  }

  /** The person signs in at the verification page and approves (control API). */
  approve(userCode: string, upn: string): boolean {
    const grant = this.deps.directory.byUserCode(userCode);
    if (!grant || grant.state !== 'pending') return false;
    grant.state = 'approved';
    grant.upn = this.deps.directory.user(upn).upn;
    return true;
  }

  decline(userCode: string): boolean {
    const grant = this.deps.directory.byUserCode(userCode);
    if (!grant || grant.state !== 'pending') return false;
    grant.state = 'declined';
    return true;
  }

  /** POST /{tenant}/oauth2/v2.0/token */
  token(form: URLSearchParams): object {
    const grantType = form.get('grant_type');
    switch (grantType) {
      case 'client_credentials':
        return this.clientCredentials(form);
      case 'refresh_token':
        return this.refreshToken(form);
      // msal-node sends the short 'device_code'; RFC 8628 clients send the URN. Entra takes both.
      case DEVICE_CODE_GRANT:
      case 'device_code':
        return this.deviceCodeToken(form);
      case 'password':
        return this.passwordToken(form);
      case 'authorization_code':
        return this.authorizationCodeToken(form);
      default:
        throw this.error('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
    }
  }

  private clientCredentials(form: URLSearchParams): object {
    const clientId = this.client(form, true);
    const scopes = this.scopes(form.get('scope'));
    if (!scopes.permissions.every((p) => p === '.default')) {
      throw this.error('invalid_scope', 1002012, 'Client credential flows must have a scope value with /.default suffixed to the resource identifier.');
    }
    const roles = this.deps.settings.clients?.get(clientId)?.roles ?? [];
    const accessToken = this.deps.issuer.accessToken({ grant: 'client_credentials', clientId, audience: scopes.audience, permissions: [], roles });
    return { token_type: 'Bearer', expires_in: this.deps.issuer.expiresInSeconds, ext_expires_in: this.deps.issuer.expiresInSeconds, access_token: accessToken };
  }

  private deviceCodeToken(form: URLSearchParams): object {
    const clientId = this.client(form, false);
    const grant = this.deps.directory.deviceCode(form.get('device_code') ?? '');
    if (!grant || grant.clientId !== clientId) throw this.error('invalid_grant', 70000, "The provided value for the input parameter 'device_code' is not valid.");
    if (grant.state === 'redeemed') throw this.error('invalid_grant', 54005, 'The device code was already redeemed.');
    if (this.nowMs() >= grant.expiresAt) throw this.error('expired_token', 70020, 'The provided value for the input parameter device_code is expired.');
    if (grant.state === 'declined') throw this.error('authorization_declined', 70000, 'The user declined the sign-in request.');
    if (grant.state === 'pending' || !grant.upn) throw this.error('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    grant.state = 'redeemed';
    return this.userTokens({ clientId, user: this.deps.directory.user(grant.upn), scopes: this.scopes(form.get('scope') ?? grant.scope), form, grant: 'device_code' });
  }

  /** A web app's sign-in: the code from the authorization endpoint, redeemed once by a confidential client. */
  private authorizationCodeToken(form: URLSearchParams): object {
    const clientId = this.client(form, true);
    const redeemed = this.deps.authCodes.redeem(form, clientId);
    if (!redeemed.ok) throw this.error('invalid_grant', redeemed.aadsts, redeemed.message);
    return this.userTokens({ clientId, user: redeemed.user, scopes: this.scopes(form.get('scope') ?? redeemed.scope), form, grant: 'authorization_code', nonce: redeemed.nonce });
  }

  /** ROPC, as the docs' v1 sample does it ("Referrals API authentication"). */
  private passwordToken(form: URLSearchParams): object {
    const clientId = this.client(form, false);
    const user = this.deps.directory.find(form.get('username') ?? '');
    if (!user || user.password === undefined || user.password !== form.get('password')) {
      throw this.error('invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
    }
    const scopes = this.scopes(form.get('scope'));
    if (this.deps.settings.passwordGrant === 'mfaRequired') {
      throw this.error('invalid_grant', 50076, `Due to a configuration change made by your administrator, you must use multi-factor authentication to access '${scopes.audience}'.`);
    }
    return this.userTokens({ clientId, user, scopes, form, grant: 'password' });
  }

  private refreshToken(form: URLSearchParams): object {
    const clientId = this.client(form, false);
    const grant = this.deps.directory.refresh(form.get('refresh_token') ?? '');
    if (!grant || grant.clientId !== clientId) throw this.error('invalid_grant', 9002313, 'Invalid request. The refresh token is malformed or was not issued to this client.');
    // Password change or MFA reset: the user's refresh tokens stop working at once.
    if (grant.revoked) {
      throw this.error(
        'invalid_grant',
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      );
    }
    if (this.nowMs() >= grant.expiresAt) throw this.error('invalid_grant', 700082, 'The refresh token has expired due to inactivity.');
    const requested = form.get('scope');
    const scopes = requested ? this.scopes(requested) : { audience: grant.audience, permissions: grant.permissions, openid: true, offlineAccess: true, requested: [] };
    return this.userTokens({ clientId, user: this.deps.directory.user(grant.upn), scopes, form, grant: 'refresh_token' });
  }

  private userTokens(args: { clientId: string; user: EntraUser; scopes: ScopeRequest; form: URLSearchParams; grant: Exclude<GrantKind, 'client_credentials'>; nonce?: string | null }): object {
    const { issuer, directory, settings } = this.deps;
    const { clientId, user, scopes } = args;
    const expiresIn = issuer.expiresInSeconds;
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.requested.join(' '),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: issuer.accessToken({ grant: args.grant, clientId, audience: scopes.audience, user, permissions: scopes.permissions }),
    };
    if (scopes.offlineAccess || args.grant === 'refresh_token') {
      response.refresh_token = directory.issueRefresh({
        upn: user.upn,
        clientId,
        audience: scopes.audience,
        permissions: scopes.permissions,
        expiresAt: this.nowMs() + settings.refreshLifetimeSeconds * 1000,
      }).token;
    }
    if (scopes.openid || args.grant === 'refresh_token') response.id_token = issuer.idToken({ clientId, user, nonce: args.nonce ?? null });
    if (args.form.get('client_info') === '1') {
      response.client_info = Buffer.from(JSON.stringify({ uid: user.oid, utid: issuerTenant(issuer.issuer()) }), 'utf8').toString('base64url');
    }
    return response;
  }

  /** The client id, checked against the registry; `confidential` demands a valid secret. */
  private client(form: URLSearchParams, confidential: boolean, redeeming = true): string {
    const clientId = form.get('client_id');
    if (!clientId) throw this.error('invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const registered = this.deps.settings.clients;
    const client = registered?.get(clientId);
    if (registered && !client) throw this.error('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`);
    const secret = form.get('client_secret');
    const publicFlowsOff = redeeming && client !== undefined && (client.publicClientFlows ?? client.clientSecret === undefined) === false;
    if ((confidential || publicFlowsOff) && !secret && !form.get('client_assertion')) {
      throw this.error('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (secret && client?.clientSecret !== undefined && secret !== client.clientSecret) {
      throw this.error(
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    return clientId;
  }

  private scopes(raw: string | null): ScopeRequest {
    const result = readScopes(raw);
    if (!result.ok) throw this.error('invalid_scope', 28000, result.message);
    return result.value;
  }

  private error(code: Parameters<typeof oauthError>[0]['code'], aadsts: number, message: string) {
    return oauthError({ code, aadsts, message, at: this.deps.clock.now() });
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }
}

function randomCode(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(length)].map((b) => alphabet.charAt(b % alphabet.length)).join('');
}

function issuerTenant(issuer: string): string {
  return issuer.split('/').slice(-2, -1)[0] ?? '';
}
