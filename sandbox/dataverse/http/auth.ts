/**
 * Bearer-token check (Dataverse developer guide, "Authenticate to Microsoft Dataverse with the Web API"): a missing or unknown token gets 401 with an empty
 * body and `WWW-Authenticate: Bearer authorization_uri=..., resource_id=...` (the exact text is not documented).
 */

/** Says whether a bearer token is valid for the audience (the Entra emulator provides one). */
export type TokenValidator = (token: string, audience: string) => boolean | Promise<boolean>;

export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
  return match ? (match[1] as string) : null;
}

export class TokenCheck {
  private readonly tokens: Set<string>;

  constructor(
    private readonly validator: TokenValidator | undefined,
    staticTokens: readonly string[],
  ) {
    this.tokens = new Set(staticTokens);
  }

  register(token: string): void {
    this.tokens.add(token);
  }

  async accepts(token: string | null, audience: string): Promise<boolean> {
    if (!token) return false;
    if (this.tokens.has(token)) return true;
    return this.validator ? await this.validator(token, audience) : false;
  }
}

export function unauthorized(args: { authorityUrl: string; tenantId: string; resource: string }): { status: number; headers: Record<string, string> } {
  const authority = args.authorityUrl.replace(/\/$/, '');
  return {
    status: 401,
    headers: { 'WWW-Authenticate': `Bearer authorization_uri=${authority}/${args.tenantId}/oauth2/authorize, resource_id=${args.resource}/` },
  };
}

/**
 * The caller a token stands for, so service-protection counters survive token renewal (limits
 * are per user, "Service protection API limits"): the JWT `oid`, `appid` or `sub` claim when the token is a JWT, else the token.
 */
export function callerKey(token: string): string {
  const payload = token.split('.')[1];
  if (!payload) return token;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const id = claims['oid'] ?? claims['appid'] ?? claims['azp'] ?? claims['sub'];
    return typeof id === 'string' ? id : token;
  } catch {
    return token;
  }
}
