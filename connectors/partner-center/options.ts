/**
 * Partner Center connector settings and vendor facts as data: validated once at start-up
 * so a bad value is reported with its path before any request is made.
 */
import { z } from 'zod';
import type { RetryPolicy } from '../shared/retry.js';
import type { RateLimitOptions } from '../shared/rate-limit.js';

/** Vendor facts of the Referrals API (Partner Center docs, "Get a list of referrals", "Referrals API response codes"). */
export const partnerCenterFacts = {
  referralsPath: '/v1.0/engagements/referrals',
  /** The 2018 docs capped pageSize at 100; the current docs state no `$top` maximum. */
  maxPageSize: 100,
  /** The server's error `message` is at most 1024 characters (Partner API docs, "Error codes"). */
  maxErrorMessageLength: 1024,
  microsoftLocationId: 'msft',
} as const;

/** Connector options with their defaults. */
export const partnerCenterOptionsSchema = z.object({
  /** Origin (and optional path prefix) of the Referrals API, e.g. `https://api.partner.microsoft.com`. */
  baseUrl: z.url(),
  timeoutMs: z.number().int().positive().default(30_000),
  rateLimit: z
    .object({
      concurrency: z.number().int().positive(),
      intervalCap: z.number().int().positive(),
      intervalMs: z.number().int().positive(),
    })
    .default({ concurrency: 4, intervalCap: 20, intervalMs: 1000 }),
  retry: z
    .object({
      maxAttempts: z.number().int().positive(),
      baseDelayMs: z.number().int().nonnegative(),
      maxDelayMs: z.number().int().nonnegative(),
      retryUnknownOutcome: z.boolean(),
    })
    .default({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000, retryUnknownOutcome: true }),
  /**
   * Two readings of Microsoft's documentation ("Create a referral"): a co-sell needs two POSTs (shared
   * referral plus the connected Microsoft-side referral), or one POST that also targets `msft`;
   * `twoReferrals` (the default) chooses the first, `singleReferral` the second.
   */
  coSellMode: z.enum(['twoReferrals', 'singleReferral']).default('twoReferrals'),
  /**
   * The partner's co-sell solution id, the SolutionProfile target of shared referrals; null: each
   * co-sell targets the first solution on the deal itself (a target uses the solution's own id).
   */
  solutionId: z.string().min(1).nullable().default(null),
  filters: z
    .object({
      /** Whether `$filter=externalReferenceId eq '...'` works (not documented in "Get a list of referrals") or a scan is needed. */
      externalReferenceId: z.enum(['server', 'scan']),
      /** Whether `$filter=updatedDateTime ge ...` works (listed only in the 2019 docs) or a client-side stop is needed. */
      updatedDateTime: z.enum(['server', 'clientSide']),
    })
    .default({ externalReferenceId: 'server', updatedDateTime: 'server' }),
  /** A PEM bundle to trust in addition to the system roots (the sandbox CA only). */
  ca: z.string().optional(),
  /** How many of the most recently created referrals a scan for an external id looks at. */
  recentScanLimit: z.number().int().positive().default(500),
  pageSize: z.number().int().positive().max(partnerCenterFacts.maxPageSize).default(100),
});

export type PartnerCenterOptionsInput = z.input<typeof partnerCenterOptionsSchema>;
export type PartnerCenterOptions = z.output<typeof partnerCenterOptionsSchema>;

/** Parses options, throwing one error that lists every problem with its path. */
export function parsePartnerCenterOptions(input: unknown): PartnerCenterOptions {
  const parsed = partnerCenterOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `partnerCenter.${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid Partner Center settings:\n${problems.join('\n')}`);
}

export const toRetryPolicy = (o: PartnerCenterOptions): RetryPolicy => ({ ...o.retry });
export const toRateLimit = (o: PartnerCenterOptions): RateLimitOptions => ({ ...o.rateLimit });
