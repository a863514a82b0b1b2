/**
 * Behaviour switches of the Dataverse emulator. Where Microsoft's documentation allows two
 * readings the option offers both; the default is the more likely one.
 */

export interface ServiceProtectionLimits {
  /** Requests per user per window before 429 0x80072322 (Dataverse developer guide, "Service protection API limits": default 6,000 per 5 minutes). */
  requestsPerWindow?: number;
  /** Combined execution time per user per window before 429 0x80072321 (default 1,200 s). */
  executionTimeMsPerWindow?: number;
  /** Concurrent requests per user before an immediate 429 0x80072326 (default 52). */
  concurrentRequests?: number;
  windowMs?: number;
  /**
   * Sandbox-clock time each request is taken to execute: it counts towards the execution-time
   * budget and keeps the request "concurrent" for that long. Default 0 (measured time only).
   */
  simulatedExecutionMs?: number;
  /** Base Retry-After; continued pressure lengthens it. Default: time until the window frees. */
  retryAfterSeconds?: number;
}

export interface DataverseOptions {
  /** Per table logical name; tables left out keep their default ("Use change tracking to synchronize data with external systems"). */
  changeTrackingEnabled?: Record<string, boolean>;
  /** Cap of `Prefer: odata.maxpagesize` and the default page size ("Page results using the Web API": 5,000). */
  maxPageSize?: number;
  serviceProtection?: ServiceProtectionLimits;
  /** When true every delta token is treated as expired. */
  deltaTokenExpired?: boolean;
  /** Days a delta token stays valid ("Use change tracking to synchronize data with external systems": default 7, `expirechangetrackingindays`). */
  changeTrackingRetentionDays?: number;
  /** HTTP status of an expired delta token (not documented; the emulator chooses). Default 400. */
  expiredDeltaStatus?: number;
  /** Two readings of Microsoft's documentation ("Associate and disassociate table rows using the Web API"): whether `"nav@odata.bind": null` clears a lookup (true) or is refused (false). */
  bindNullClearsLookup?: boolean;
  /** Two readings of Microsoft's documentation ("Update and delete table rows using the Web API"): upsert with return=representation answers 201 on create ('created-201') or always 200. */
  upsertRepresentationStatus?: 'created-201' | 'always-200';
  /** Not documented (the "WinOpportunity Action" page does not say): whether reopening an opportunity clears actualvalue / actualclosedate. */
  reopenClearsActuals?: boolean;
  /** Two readings of Microsoft's documentation ("Execute batch operations using the Web API"): a failed change set answers one error part ('single') or a part per operation run. */
  changesetFailureParts?: 'single' | 'per-operation';
  /**
   * 'absent' starts the org without the `cosell_` columns and the alternate keys on them (an org
   * before `cosell-sync crm setup`); the Web API metadata endpoints create them. Default 'present'.
   */
  customColumns?: 'present' | 'absent';
  /** Bearer tokens accepted when no tokenValidator is given ("Authenticate to Microsoft Dataverse with the Web API"). */
  staticTokens?: string[];
  /** Tenant in the `WWW-Authenticate` authorization_uri of a 401 ("Authenticate to Microsoft Dataverse with the Web API"). */
  tenantId?: string;
  /** Authority base in that header; the Entra emulator's URL in the sandbox. */
  authorityUrl?: string;
  /** Token audience passed to the validator; default: the emulator's origin ("Authenticate to Microsoft Dataverse with the Web API": aud = environment URL). */
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
