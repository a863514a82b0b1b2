/**
 * Behaviour switches of the Dataverse emulator. Where the reference marks a fact UNCERTAIN the
 * option offers both readings; the default is the more likely one.
 */

export interface ServiceProtectionLimits {
  /** Requests per user per window before 429 0x80072322 (§8.4 default 6,000 per 5 minutes). */
  requestsPerWindow?: number;
  /** Combined execution time per user per window before 429 0x80072321 (§8.4 default 1,200 s). */
  executionTimeMsPerWindow?: number;
  /** Concurrent requests per user before an immediate 429 0x80072326 (§8.4 default 52). */
  concurrentRequests?: number;
  windowMs?: number;
  /**
   * Sandbox-clock time each request is taken to execute: it counts towards the execution-time
   * budget and keeps the request "concurrent" for that long. Default 0 (measured time only).
   */
  simulatedExecutionMs?: number;
  /** Base Retry-After; continued pressure lengthens it (§8.4). Default: time until the window frees. */
  retryAfterSeconds?: number;
}

export interface DataverseOptions {
  /** Per table logical name; tables left out keep their default (§5.1). */
  changeTrackingEnabled?: Record<string, boolean>;
  /** Cap of `Prefer: odata.maxpagesize` and the default page size (§2.3: 5,000). */
  maxPageSize?: number;
  serviceProtection?: ServiceProtectionLimits;
  /** When true every delta token is treated as expired (§10.7). */
  deltaTokenExpired?: boolean;
  /** Days a delta token stays valid (§5.6: default 7, `expirechangetrackingindays`). */
  changeTrackingRetentionDays?: number;
  /** UNCERTAIN (§5.6): HTTP status of an expired delta token. Default 400. */
  expiredDeltaStatus?: number;
  /** UNCERTAIN (§3.2): whether `"nav@odata.bind": null` clears a lookup (true) or is refused (false). */
  bindNullClearsLookup?: boolean;
  /** UNCERTAIN (§3.4): upsert with return=representation answers 201 on create ('created-201') or always 200. */
  upsertRepresentationStatus?: 'created-201' | 'always-200';
  /** UNCERTAIN (§7.3): whether reopening an opportunity clears actualvalue / actualclosedate. */
  reopenClearsActuals?: boolean;
  /** UNCERTAIN (§6): a failed change set answers one error part ('single') or a part per operation run. */
  changesetFailureParts?: 'single' | 'per-operation';
  /**
   * 'absent' starts the org without the `cosell_` columns and the alternate keys on them (an org
   * before `cosell-sync crm setup`); the Web API metadata endpoints create them. Default 'present'.
   */
  customColumns?: 'present' | 'absent';
  /** Bearer tokens accepted when no tokenValidator is given (§10.11). */
  staticTokens?: string[];
  /** Tenant in the `WWW-Authenticate` authorization_uri of a 401 (§1). */
  tenantId?: string;
  /** Authority base in that header; the Entra emulator's URL in the sandbox. */
  authorityUrl?: string;
  /** Token audience passed to the validator; default: the emulator's origin (§1: aud = environment URL). */
  audience?: string;
}

export type ResolvedOptions = Required<Omit<DataverseOptions, 'serviceProtection' | 'changeTrackingEnabled' | 'audience'>> &
  Pick<DataverseOptions, 'serviceProtection' | 'changeTrackingEnabled' | 'audience'>;

export const MAX_PAGE_SIZE = 5000;

export function resolveOptions(options: DataverseOptions = {}): ResolvedOptions {
  return {
    maxPageSize: Math.min(options.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    deltaTokenExpired: options.deltaTokenExpired ?? false,
    changeTrackingRetentionDays: options.changeTrackingRetentionDays ?? 7,
    expiredDeltaStatus: options.expiredDeltaStatus ?? 400,
    bindNullClearsLookup: options.bindNullClearsLookup ?? true,
    upsertRepresentationStatus: options.upsertRepresentationStatus ?? 'created-201',
    reopenClearsActuals: options.reopenClearsActuals ?? false,
    changesetFailureParts: options.changesetFailureParts ?? 'single',
    customColumns: options.customColumns ?? 'present',
    staticTokens: options.staticTokens ?? [],
    tenantId: options.tenantId ?? '00000000-0000-0000-0000-000000000000',
    authorityUrl: options.authorityUrl ?? 'https://login.microsoftonline.com',
    ...(options.serviceProtection ? { serviceProtection: options.serviceProtection } : {}),
    ...(options.changeTrackingEnabled ? { changeTrackingEnabled: options.changeTrackingEnabled } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
}
