/**
 * Issues and checks access tokens and id tokens. Time is the sandbox clock's, so a token expires
 * when the clock is advanced past `exp`, whatever the wall clock says.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../shared/clock.js';
import type { EntraUser } from './directory.js';
import { signJwt, verifyJwt, type SigningKey } from './jwt.js';
import { normaliseAudience } from './scopes.js';
import type { AccessTokenClaims } from './types.js';

const VERIFIED_CACHE_SIZE = 1000;

export type GrantKind = 'client_credentials' | 'refresh_token' | 'device_code' | 'password' | 'authorization_code';

/** What the control API reports about a token it issued (never the token itself). */
export interface IssuedToken {
  uti: string;
  grant: GrantKind;
  clientId: string;
  upn: string | null;
  audience: string;
  issuedAt: string;
  expiresAt: string;
}

export class TokenIssuer {
  private readonly issued: IssuedToken[] = [];
  private readonly verifiedTokens = new Map<string, AccessTokenClaims>();

  constructor(
    private readonly deps: { clock: SandboxClock; key: SigningKey; tenantId: string; issuerBase: () => string; expiresInSeconds: number },
  ) {}

  get signingKey(): SigningKey {
    return this.deps.key;
  }

  get expiresInSeconds(): number {
    return this.deps.expiresInSeconds;
  }

  issuer(): string {
    return `${this.deps.issuerBase()}/${this.deps.tenantId}/v2.0`;
  }

  accessToken(args: { grant: GrantKind; clientId: string; audience: string; user?: EntraUser; permissions: string[]; roles?: string[] }): string {
    const iat = Math.floor(this.deps.clock.now().getTime() / 1000);
    const exp = iat + this.deps.expiresInSeconds;
    const uti = randomUUID();
    const claims: AccessTokenClaims = {
      aud: args.audience,
      iss: this.issuer(),
      tid: this.deps.tenantId,
      oid: args.user?.oid ?? args.clientId,
      ...(args.user ? { upn: args.user.upn, scp: scpFor(args.permissions) } : { roles: args.roles ?? [] }),
      appid: args.clientId,
      azp: args.clientId,
      iat,
      nbf: iat,
      exp,
      ver: '2.0',
      uti,
    };
    this.issued.push({
      uti,
      grant: args.grant,
      clientId: args.clientId,
      upn: args.user?.upn ?? null,
      audience: args.audience,
      issuedAt: new Date(iat * 1000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
    });
    return signJwt(this.deps.key, claims);
  }

  /** An OIDC id token for the client (msal-node reads the account from it). */
  idToken(args: { clientId: string; user: EntraUser; nonce?: string | null }): string {
    const iat = Math.floor(this.deps.clock.now().getTime() / 1000);
    return signJwt(this.deps.key, {
      aud: args.clientId,
      iss: this.issuer(),
      iat,
      nbf: iat,
      exp: iat + 3600,
      name: args.user.name,
      oid: args.user.oid,
      preferred_username: args.user.upn,
      sub: args.user.oid,
      tid: this.deps.tenantId,
      ver: '2.0',
      ...(args.nonce ? { nonce: args.nonce } : {}),
      ...(args.user.groups ? { groups: args.user.groups } : {}),
    });
  }

  /** The token's claims if this issuer signed it, it is unexpired on the sandbox clock and it is for `audience`. */
  validate(token: string, audience: string): AccessTokenClaims | null {
    const claims = this.verified(token);
    if (!claims || typeof claims.exp !== 'number' || typeof claims.aud !== 'string') return null;
    const now = this.deps.clock.now().getTime() / 1000;
    if (claims.exp <= now || claims.nbf > now + 300) return null;
    return normaliseAudience(claims.aud) === normaliseAudience(audience) ? claims : null;
  }

  /**
   * Signature check, remembered per token: every emulated API call presents one, and the RSA
   * verify would otherwise dominate a simple GET. Expiry and audience are still checked each time.
   */
  private verified(token: string): AccessTokenClaims | null {
    const known = this.verifiedTokens.get(token);
    if (known) return known;
    const claims = verifyJwt<AccessTokenClaims>(this.deps.key, token);
    if (claims) {
      if (this.verifiedTokens.size >= VERIFIED_CACHE_SIZE) this.verifiedTokens.clear();
      this.verifiedTokens.set(token, claims);
    }
    return claims;
  }

  list(): readonly IssuedToken[] {
    return this.issued;
  }
}

/** `.default` stands for the permissions configured on the app; the emulator grants user_impersonation. */
function scpFor(permissions: readonly string[]): string {
  const named = permissions.filter((p) => p !== '.default');
  return (named.length > 0 ? named : ['user_impersonation']).join(' ');
}
