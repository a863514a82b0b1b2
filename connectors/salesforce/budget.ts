/**
 * The daily API budget reserve (Salesforce REST API Developer Guide, "Limits"; Salesforce Developer
 * Limits and Allocations Quick Reference): every response carries
 * `Sforce-Limit-Info: api-usage=USED/MAX`; once what is left falls to the reserve kept for the
 * partner's other integrations, the connector pauses instead of spending it.
 */

export interface ApiUsage {
  used: number;
  limit: number;
}

/** Pure: whether this usage has reached the reserve. A limit of 0 (unknown) never pauses. */
export function reserveReached(args: { usage: ApiUsage; reservePercent: number }): boolean {
  const { usage, reservePercent } = args;
  if (usage.limit <= 0 || reservePercent <= 0) return false;
  const left = usage.limit - usage.used;
  return left <= (usage.limit * reservePercent) / 100;
}

/**
 * Parses `Sforce-Limit-Info: api-usage=123/15000` with jsforce's own pattern (it keeps the same
 * numbers in `conn.limitInfo`; reading the header per call attributes them to the right call).
 * A `per-app-api-usage` part (seen on some responses, undocumented) is ignored, as jsforce does.
 */
export function parseLimitInfoHeader(value: string | undefined): ApiUsage | null {
  const match = value === undefined ? null : /(?:^|[^-])api-usage=(\d+)\/(\d+)/.exec(value);
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : null;
}
