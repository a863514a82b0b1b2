/**
 * The tenant's users and app registrations, and the refresh tokens and device codes handed out.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface EntraUser {
  upn: string;
  oid: string;
  name: string;
  /** Only for the password (ROPC) grant; absent users cannot sign in that way. */
  password?: string;
  /** Group object ids, sent in the id token's `groups` claim. */
  groups?: string[];
}

export interface EntraClient {
  clientId: string;
  /** Absent: a public client (device code) that sends no secret. */
  clientSecret?: string;
  /** App roles granted for client-credentials tokens. */
  roles?: string[];
  /**
   * "Allow public client flows" in the app registration: device code without a secret. Default:
   * on for an app without a secret; off refuses it with AADSTS7000218 as Entra does.
   */
  publicClientFlows?: boolean;
}

export interface RefreshGrant {
  token: string;
  upn: string;
  clientId: string;
  audience: string;
  permissions: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface DeviceCodeGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  upn: string | null;
}

export class Directory {
  private readonly users = new Map<string, EntraUser>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private readonly deviceCodes = new Map<string, DeviceCodeGrant>();

  constructor(users: readonly Partial<EntraUser>[]) {
    for (const user of users) if (user.upn) this.user(user.upn, user);
  }

  /** The user with this UPN, created on first mention (a sandbox tenant admits anyone). */
  user(upn: string, details: Partial<EntraUser> = {}): EntraUser {
    const key = upn.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { upn, oid: details.oid ?? randomUUID(), name: details.name ?? upn.split('@')[0] ?? upn };
      if (details.password !== undefined) user.password = details.password;
      if (details.groups !== undefined) user.groups = [...details.groups];
      this.users.set(key, user);
    }
    return user;
  }

  /** A known user, without creating one. */
  find(upn: string): EntraUser | undefined {
    return this.users.get(upn.toLowerCase());
  }

  list(): EntraUser[] {
    return [...this.users.values()];
  }

  firstUser(): EntraUser | undefined {
    return this.users.values().next().value;
  }

  issueRefresh(grant: Omit<RefreshGrant, 'token' | 'revoked'>): RefreshGrant {
    // Entra refresh tokens are opaque; long random strings stand in for them.
    const record: RefreshGrant = { ...grant, token: `0.SB${randomBytes(48).toString('base64url')}`, revoked: false };
    this.refreshGrants.set(record.token, record);
    return record;
  }

  refresh(token: string): RefreshGrant | undefined {
    return this.refreshGrants.get(token);
  }

  /** Revokes every refresh token of the user; returns how many. */
  revokeUser(upn: string): number {
    let count = 0;
    for (const grant of this.refreshGrants.values()) {
      if (grant.upn.toLowerCase() === upn.toLowerCase() && !grant.revoked) {
        grant.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  addDeviceCode(grant: DeviceCodeGrant): void {
    this.deviceCodes.set(grant.deviceCode, grant);
  }

  deviceCode(deviceCode: string): DeviceCodeGrant | undefined {
    return this.deviceCodes.get(deviceCode);
  }

  byUserCode(userCode: string): DeviceCodeGrant | undefined {
    const wanted = userCode.toUpperCase();
    for (const grant of this.deviceCodes.values()) if (grant.userCode === wanted) return grant;
    return undefined;
  }

  pendingDeviceCodes(): DeviceCodeGrant[] {
    return [...this.deviceCodes.values()].filter((g) => g.state === 'pending');
  }
}
