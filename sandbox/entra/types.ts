/**
 * What other emulators need from the Entra emulator: a way to check a bearer token for an
 * audience. Kept apart so they import a type, not the token endpoint.
 */

/** Claims of an access token the Entra emulator issued (JWT payload, v2-style). */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  /** Present on delegated (user) tokens. */
  upn?: string;
  /** Delegated scopes, space-separated; `.default` grants the app's configured permissions. */
  scp?: string;
  /** Present on app-only (client credentials) tokens. */
  roles?: string[];
  appid: string;
  azp: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: '2.0';
  uti: string;
}

/**
 * Accepts a bearer token for `audience` (e.g. `https://api.partner.microsoft.com` or a Dataverse
 * org URL): its claims when it is genuine, unexpired on the sandbox clock, not revoked and meant
 * for that audience; otherwise null.
 */
export type TokenValidator = (token: string, audience: string) => AccessTokenClaims | null;
