/**
 * Options of the Dataverse connector, parsed once at start-up; every problem names
 * its path. Nothing in the connector reads `process.env`.
 */
import { z } from 'zod';
import { dataverseDescriptor } from './descriptor.js';
import { rateLimitOptions, retryOptions } from '../shared/option-schemas.js';

const url = z.string().regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL');
const entraApp = {
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  /** Entra authority host; the sandbox's Entra emulator in tests (served over TLS: msal refuses http). */
  authority: url.default('https://login.microsoftonline.com'),
};

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clientSecret'), ...entraApp, clientSecret: z.string().min(1) }),
  z.object({
    kind: z.literal('certificate'),
    ...entraApp,
    thumbprintSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters'),
    privateKeyPem: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
    /** PEM chain sent as x5c (subject name / issuer auth). */
    certificatePem: z.string().optional(),
  }),
  z.object({ kind: z.literal('staticToken'), accessToken: z.string().min(1) }),
]);

export const dynamicsOptionsSchema = z.object({
  auth: authSchema,
  /** Organisation URL (`https://contoso.crm.dynamics.com`); the token scope is `<url>/.default`. */
  url,
  apiVersion: z.string().regex(/^\d+\.\d+$/, 'must look like "9.2"').default('9.2'),
  timeoutMs: z.number().int().positive().default(30_000),
  // "Service protection API limits": 6,000 requests per user per 5 minutes, 52 concurrent.
  rateLimit: rateLimitOptions({ concurrency: 8, intervalCap: 6000, intervalMs: 300_000 }),
  retry: retryOptions,
  /** Where lead-kind records go: the lead table, or opportunities for orgs that do not use leads. */
  inboundLeadsAs: z.enum(['lead', 'opportunity']).default('lead'),
  /** Rows per page (`Prefer: odata.maxpagesize`). */
  pageSize: z.number().int().min(1).max(dataverseDescriptor.maxPageSize).default(500),
  /** Operations per `$batch` (at most 1,000; "Service protection API limits" suggests small batches). */
  batchSize: z.number().int().min(1).max(dataverseDescriptor.batchMaxOperations).default(100),
  /** Watermark fallback only: how far before the watermark each read starts (late commits). */
  readOverlapMs: z.number().int().nonnegative().default(60_000),
  /**
   * Account column holding a DUNS number, matched before name + postal code and written on the
   * accounts made for inbound referrals; null: none (the mapping names no DUNS column).
   */
  accountDunsField: z.string().min(1).nullable().default('cosell_duns'),
});

export type DynamicsOptions = z.output<typeof dynamicsOptionsSchema>;
export type DynamicsOptionsInput = z.input<typeof dynamicsOptionsSchema>;
export type DynamicsAuthOptions = DynamicsOptions['auth'];

/** Parses options once; a problem names its path (`auth.clientSecret: ...`). */
export function parseDynamicsOptions(input: unknown): DynamicsOptions {
  const parsed = dynamicsOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid Dynamics options: ${problems.join('; ')}`);
}
