/**
 * Options of the Salesforce connector, parsed once at start-up. Every problem is
 * reported with its path; nothing in the connector reads `process.env`.
 */
import { z } from 'zod';
import { salesforceDescriptor } from './descriptor.js';
import { rateLimitOptions, retryOptions } from '../shared/option-schemas.js';

const url = z.string().regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL');

const authSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('jwt'),
    clientId: z.string().min(1),
    /** The integration user's Salesforce username (`sub`). */
    username: z.string().min(1),
    privateKeyPem: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
    /**
     * `aud` claim. Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration": login.salesforce.com /
     * test.salesforce.com, not My Domain; some guides also use the full token URL, so it can be set.
     * Default: the login URL.
     */
    audience: z.string().min(1).optional(),
    /** Lifetime of the assertion; Salesforce allows ~3 minutes of clock skew. */
    assertionTtlSeconds: z.number().int().min(30).max(3600).default(180),
  }),
  z.object({ kind: z.literal('clientCredentials'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  z.object({
    kind: z.literal('refreshToken'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    refreshToken: z.string().min(1),
  }),
  z.object({ kind: z.literal('accessToken'), accessToken: z.string().min(1) }),
]);

export const salesforceOptionsSchema = z
  .object({
    auth: authSchema,
    /** Token host: login/test.salesforce.com, or My Domain (required for client credentials). */
    loginUrl: url.default('https://login.salesforce.com'),
    /** REST host. Required with a static access token; otherwise taken from the token response. */
    instanceUrl: url.optional(),
    /** jsforce defaults to the old 50.0, so it is always set. */
    apiVersion: z
      .string()
      .regex(/^\d+\.0$/, 'must look like "60.0"')
      .refine((v) => Number(v) >= salesforceDescriptor.minApiVersion, 'collection upsert needs 46.0 or later')
      .default('60.0'),
    timeoutMs: z.number().int().positive().default(120_000),
    rateLimit: rateLimitOptions({ concurrency: 4, intervalCap: 25, intervalMs: 1000 }),
    retry: retryOptions,
    /** Share of the daily API allocation left for the partner's other integrations. */
    apiBudgetReservePercent: z.number().min(0).max(100).default(10),
    /**
     * How long a budget pause lasts before one call probes the usage again. The allocation is a
     * rolling 24 hours (Salesforce Developer Limits and Allocations Quick Reference), so polling beats waiting for a calendar day boundary.
     */
    apiBudgetPollMs: z.number().int().positive().default(15 * 60_000),
    /** Where inbound leads go: a Lead record, or an Opportunity for orgs that do not use leads. */
    inboundLeadsAs: z.enum(['lead', 'opportunity']).default('lead'),
    /** PEM of a private CA (sandbox orgs behind a proxy); plain http needs none. */
    ca: z.string().optional(),
    /** Rows per query page (`Sforce-Query-Options: batchSize`). */
    queryBatchSize: z
      .number()
      .int()
      .min(salesforceDescriptor.queryBatchSize.min)
      .max(salesforceDescriptor.queryBatchSize.max)
      .default(2000),
    /**
     * How far before the watermark each read starts, to catch rows stamped before the last read
     * but committed after it (docs/change-watermarks.md). Rows already emitted are skipped by (Id, stamp).
     */
    readOverlapMs: z.number().int().nonnegative().default(60_000),
    /** Bound on the (Id, stamp) pairs a cursor remembers inside the overlap window. */
    cursorSeenLimit: z.number().int().positive().default(2000),
    /**
     * Account field holding a DUNS number, matched before name + postal code and written on the
     * accounts made for inbound referrals; null: none (the mapping names no DUNS field).
     */
    accountDunsField: z.string().min(1).nullable().default('DUNS__c'),
    /** `Sforce-Call-Options: client=...` so CDC `changeOrigin` can tell our own writes. */
    callOptionsClient: z.string().min(1).default('cosell-sync'),
  })
  .refine((o) => o.auth.kind !== 'accessToken' || o.instanceUrl !== undefined, {
    message: 'instanceUrl is required with a static access token',
    path: ['instanceUrl'],
  });

export type SalesforceOptions = z.output<typeof salesforceOptionsSchema>;
export type SalesforceOptionsInput = z.input<typeof salesforceOptionsSchema>;
export type SalesforceAuthOptions = SalesforceOptions['auth'];

/** Parses options once; a problem names its path (`auth.privateKeyPem: must be a PEM private key`). */
export function parseSalesforceOptions(input: unknown): SalesforceOptions {
  const parsed = salesforceOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid Salesforce options: ${problems.join('; ')}`);
}
