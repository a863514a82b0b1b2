/**
 * OAuth grants for a server daemon (Salesforce Help: "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration",
 * "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration", "OAuth 2.0 Refresh Token Flow
 * for Renewed Sessions"): JWT bearer, client credentials, refresh token,
 * and a static access token for development. Tokens never reach a log.
 */
import { createPrivateKey, sign } from 'node:crypto';
import type { Clock } from '../../src/core/clock.js';
import { ConnectorError, isConnectorError, type SignInHint } from '../errors.js';
import { isTlsTrustCode, tlsTrustError } from './classify-error.js';
import type { SalesforceAuthOptions } from './options.js';
import { postForm, type TransportSettings } from './transport.js';
import { parseTokenResponse } from './wire/token.js';

export interface TokenGrant {
  accessToken: string;
  /** The REST host the token belongs to (absent from some responses). */
  instanceUrl: string | null;
}

export interface Authenticator {
  /** False for a static access token: a 401 then is final. */
  readonly canRefresh: boolean;
  /** Runs the grant (initial login and every refresh). Throws an `auth` or `transient` ConnectorError. */
  fetchToken(): Promise<TokenGrant>;
}

const base64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

/** Signs the RS256 assertion of the JWT bearer flow (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration") with node:crypto. */
export function signJwtAssertion(args: {
  clientId: string;
  username: string;
  audience: string;
  privateKeyPem: string;
  now: Date;
  ttlSeconds: number;
}): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(
    JSON.stringify({
      iss: args.clientId,
      sub: args.username,
      aud: args.audience,
      // A number, not a string: some JWT tools send a string, a number is always accepted.
      exp: Math.floor(args.now.getTime() / 1000) + args.ttlSeconds,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), createPrivateKey(args.privateKeyPem));
  return `${header}.${claims}.${base64url(signature)}`;
}

function grantForm(auth: SalesforceAuthOptions, loginUrl: string, clock: Clock): Record<string, string> {
  switch (auth.kind) {
    case 'jwt':
      return {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwtAssertion({
          clientId: auth.clientId,
          username: auth.username,
          audience: auth.audience ?? new URL(loginUrl).origin,
          privateKeyPem: auth.privateKeyPem,
          now: clock.now(),
          ttlSeconds: auth.assertionTtlSeconds,
        }),
      };
    case 'clientCredentials':
      return { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
    case 'refreshToken':
      return {
        grant_type: 'refresh_token',
        refresh_token: auth.refreshToken,
        client_id: auth.clientId,
        ...(auth.clientSecret === undefined ? {} : { client_secret: auth.clientSecret }),
      };
    case 'accessToken':
      throw new Error('a static access token has no grant');
  }
}

/** A refused sign-in with what to change appended (the key or variable the hint names). */
function withHint(error: unknown, hint: SignInHint | undefined): unknown {
  if (!isConnectorError(error) || error.kind !== 'auth') return error;
  const extra = hint?.(error.vendorCode) ?? null;
  if (extra === null) return error;
  return new ConnectorError({
    kind: error.kind,
    system: error.system,
    message: `${error.message}; ${extra}`,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    cause: error,
  });
}

export function createAuthenticator(args: {
  auth: SalesforceAuthOptions;
  loginUrl: string;
  instanceUrl: string | undefined;
  settings: TransportSettings;
  clock: Clock;
  signInHint?: SignInHint | undefined;
}): Authenticator {
  const { auth, loginUrl, settings, clock } = args;
  if (auth.kind === 'accessToken') {
    return {
      canRefresh: false,
      fetchToken: () => Promise.resolve({ accessToken: auth.accessToken, instanceUrl: args.instanceUrl ?? null }),
    };
  }
  const tokenUrl = `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  return {
    canRefresh: true,
    async fetchToken() {
      let response;
      try {
        response = await postForm({ url: tokenUrl, form: grantForm(auth, loginUrl, clock), settings });
      } catch (cause) {
        const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : 'NETWORK';
        if (isTlsTrustCode(code)) throw tlsTrustError({ code, cause });
        throw new ConnectorError({ kind: 'transient', system: 'salesforce', vendorCode: code, message: `token endpoint unreachable (${code})`, cause });
      }
      try {
        return parseTokenResponse(response);
      } catch (error) {
        throw withHint(error, args.signInHint);
      }
    },
  };
}
