/**
 * Settings of the Salesforce emulator. Where Salesforce's documentation leaves a fact open (two
 * readings), the option selects the reading, and the default is named in the comment.
 */
export interface SalesforceEmulatorOptions {
  /** API versions served (`/services/data/vXX.X`); others get 404. Default 42.0 to 62.0. */
  apiVersions?: string[];
  /** Daily API request allocation (Salesforce Developer Limits and Allocations Quick Reference). Default 100,000. */
  dailyApiLimit?: number;
  /** Access-token lifetime on the sandbox clock (then 401 INVALID_SESSION_ID). Default 2 hours. */
  sessionTtlMs?: number;
  /** Records per sObject Collections call (Salesforce REST API Developer Guide, "sObject Collections"). Default 200. */
  maxBatchSize?: number;
  /** Share of seeded opportunities with Sync_With_Partner_Center__c = true. Default 0.3. */
  participatingRate?: number;
  /** Consumer keys of the connected apps (JWT `iss`, client credentials). Default ['cosell-sandbox']. */
  clientIds?: string[];
  /** Consumer secret of every client id (client credentials, refresh, token signature). */
  clientSecret?: string;
  /** PEM public key or certificate uploaded to the connected apps (JWT signature, Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"). */
  jwtPublicKeyPem?: string;
  /** Accept a JWT whose client has no key registered (structure and claims still checked). Default false. */
  allowUnsignedJwt?: boolean;
  /**
   * JWT `aud` values accepted besides the emulator's own origin (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"). Default
   * login.salesforce.com and test.salesforce.com. Some guides say the full token URL works too (two
   * readings): `acceptTokenUrlAudience` (default true) accepts `<audience>/services/oauth2/token`.
   */
  jwtAudiences?: string[];
  acceptTokenUrlAudience?: boolean;
  /** Refresh-token rotation on the connected app (Salesforce Help, "OAuth 2.0 Refresh Token Flow for Renewed Sessions"). Default false. */
  rotateRefreshTokens?: boolean;
  /** Idle lifetime of a query cursor (not documented; about 15 minutes). */
  cursorTtlMs?: number;
  maxOpenCursors?: number;
  /** Path of queryAll cursors in nextRecordsUrl (`query` or `queryAll`; "Query" does not say). Default 'query'; both are served. */
  queryAllCursorPath?: 'query' | 'queryAll';
  /** HTTP status of ENTITY_IS_DELETED on a single-row write (not documented: 400 or 404). Default 404. */
  entityIsDeletedStatus?: 400 | 404;
  /** First API version whose upsert-update answers 200 with a body rather than 204 (the exact cut-over is not documented). Default 46. */
  upsertBodyFromVersion?: number;
  /**
   * 'absent' starts the org without the custom fields the default mapping uses on Opportunity,
   * Lead and Account (an org before `cosell-sync crm setup`); the Tooling API creates them.
   * Default 'present'.
   */
  customFields?: 'present' | 'absent';
  /** Get Updated / Get Deleted refuse a start older than 30 / 15 days (the error code is not documented). Default true. */
  enforceReplicationWindow?: boolean;
}

export type ResolvedOptions = Required<Omit<SalesforceEmulatorOptions, 'jwtPublicKeyPem' | 'jwtAudiences'>> & {
  jwtPublicKeyPem: string | undefined;
  jwtAudiences: string[];
};

function versions(from: number, to: number): string[] {
  const out: string[] = [];
  for (let v = from; v <= to; v += 1) out.push(`${v}.0`);
  return out;
}

export function resolveOptions(options: SalesforceEmulatorOptions = {}): ResolvedOptions {
  return {
    apiVersions: options.apiVersions ?? versions(42, 62),
    dailyApiLimit: options.dailyApiLimit ?? 100_000,
    sessionTtlMs: options.sessionTtlMs ?? 2 * 3_600_000,
    maxBatchSize: options.maxBatchSize ?? 200,
    participatingRate: options.participatingRate ?? 0.3,
    clientIds: options.clientIds ?? ['cosell-sandbox'],
    clientSecret: options.clientSecret ?? 'cosell-sandbox-secret',
    jwtPublicKeyPem: options.jwtPublicKeyPem,
    allowUnsignedJwt: options.allowUnsignedJwt ?? false,
    jwtAudiences: options.jwtAudiences ?? ['https://login.salesforce.com', 'https://test.salesforce.com'],
    acceptTokenUrlAudience: options.acceptTokenUrlAudience ?? true,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
    cursorTtlMs: options.cursorTtlMs ?? 15 * 60_000,
    maxOpenCursors: options.maxOpenCursors ?? 50,
    queryAllCursorPath: options.queryAllCursorPath ?? 'query',
    entityIsDeletedStatus: options.entityIsDeletedStatus ?? 404,
    upsertBodyFromVersion: options.upsertBodyFromVersion ?? 46,
    enforceReplicationWindow: options.enforceReplicationWindow ?? true,
    customFields: options.customFields ?? 'present',
  };
}
