import { randomBytes } from 'node:crypto';
import type { OrgClock } from '../model/org.js';

export interface Session {
  token: string;
  userId: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
}

interface RefreshGrant {
  userId: string;
  clientId: string;
  family: string;
}

/**
 * Access tokens and refresh tokens. A session lives `ttlMs` on the sandbox clock, then REST calls
 * get 401 INVALID_SESSION_ID (Salesforce REST API Developer Guide, "Status Codes and Error Responses"). Refresh tokens follow Salesforce Help, "OAuth 2.0 Refresh Token Flow for Renewed Sessions": with
 * rotation on, each use returns a new one, and reusing a spent one revokes the whole family.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly spent = new Map<string, string>();
  private readonly revokedFamilies = new Set<string>();

  constructor(
    private readonly clock: OrgClock,
    private readonly orgId: string,
    private readonly ttlMs: number,
  ) {}

  issue({ userId, clientId }: { userId: string; clientId: string }): Session {
    const issuedAt = this.clock.now().getTime();
    const token = `${this.orgId.slice(0, 15)}!AQ${randomBytes(48).toString('base64url')}`;
    const session = { token, userId, clientId, issuedAt, expiresAt: issuedAt + this.ttlMs };
    this.sessions.set(token, session);
    return session;
  }

  /** The live session of a token; an expired one is forgotten. */
  check(token: string): Session | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (this.clock.now().getTime() >= session.expiresAt) {
      this.sessions.delete(token);
      return undefined;
    }
    return session;
  }

  expireAll(): void {
    this.sessions.clear();
  }

  issueRefreshToken({ userId, clientId, family }: { userId: string; clientId: string; family?: string }): string {
    const token = `5Aep861${randomBytes(40).toString('base64url')}`;
    this.refresh.set(token, { userId, clientId, family: family ?? token });
    return token;
  }

  /**
   * Spends a refresh token. With rotation, returns the grant and the token that replaces it;
   * a token already spent revokes its family.
   */
  redeemRefreshToken({ token, clientId, rotate }: { token: string; clientId: string; rotate: boolean }): { userId: string; next?: string } | undefined {
    const spentFamily = this.spent.get(token);
    if (spentFamily !== undefined) {
      this.revokedFamilies.add(spentFamily);
      return undefined;
    }
    const grant = this.refresh.get(token);
    if (!grant || grant.clientId !== clientId || this.revokedFamilies.has(grant.family)) return undefined;
    if (!rotate) return { userId: grant.userId };
    this.refresh.delete(token);
    this.spent.set(token, grant.family);
    return { userId: grant.userId, next: this.issueRefreshToken({ ...grant }) };
  }
}
