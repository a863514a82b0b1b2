import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { existingFile, httpUrl, modeError, positiveInt, rateLimitSchema, secretAt } from './common.js';
import { checkCacheKey } from './key-checks.js';

const deviceCodeAuth = z.strictObject({
  mode: z.literal('deviceCode'),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  authority: httpUrl.default('https://login.microsoftonline.com'),
  scopes: z.array(z.string().min(1)).min(1).default(['https://api.partner.microsoft.com/user_impersonation']),
});

const staticTokenAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('staticToken') }).transform((auth, zctx) => {
    const token = secretAt({ ctx, issues: zctx.issues, secret: 'partnerCenter.auth.token', input: auth, required: true });
    return token === null ? z.NEVER : { mode: auth.mode, token };
  });

const webhooksSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      enabled: z.boolean().default(false),
      path: z.string().startsWith('/', { error: 'must start with "/"' }).default('/webhooks/partner-center'),
      /**
       * Hosts the signing certificate (`x-ms-certificate-url`) may be fetched from: exact, or
       * `.example.com` (also written `*.example.com`) for sub-domains. Which hosts Microsoft uses
       * is not documented ("Partner Center webhooks"), so it is data.
       */
      certificateHostAllowList: z
        .array(z.string().min(1).transform((host) => (host.startsWith('*.') ? host.slice(1) : host)))
        .min(1)
        .default(['.microsoft.com']),
      trustedRootCaFile: existingFile(ctx).optional(),
      /**
       * A signed event dated (ResourceChangeUtcDate) earlier than this before now is ignored, and
       * one seen before within it too; both answered 200 so Partner Center stops delivering them.
       */
      replayWindowMs: positiveInt.default(60 * 60 * 1000),
      /** Bounds on signing-certificate downloads: a deadline for each, and how many may run at once. */
      certificateDownload: z
        .strictObject({ timeoutMs: z.number().int().min(100).max(30_000).default(5_000), concurrency: z.number().int().min(1).max(16).default(2) })
        .prefault({}),
    })
    .prefault({});

/** Partner Center referrals API, its sign-in and its webhooks. */
export const partnerCenterSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      baseUrl: httpUrl.default('https://api.partner.microsoft.com/v1.0/engagements/referrals'),
      webhookRegistrationUrl: httpUrl.default('https://api.partnercenter.microsoft.com/webhooks/v1/registration'),
      auth: z.discriminatedUnion('mode', [deviceCodeAuth, staticTokenAuth(ctx)], {
        error: modeError(['deviceCode', 'staticToken']),
      }),
      // No published limits for the referrals API ("API throttling guidance" gives none): modest defaults.
      rateLimit: rateLimitSchema({ concurrency: 4, intervalCap: 20, intervalMs: 1000 }),
      timeoutMs: positiveInt.default(30_000),
      // Null: each co-sell targets the deal's own first solution (the connector decides, one rule).
      solutionId: z.string().min(1).nullable().default(null),
      // Two readings of Microsoft's documentation ("Create a referral"): a co-sell is a separate
      // Microsoft-side referral (`twoReferrals`, the default) or one referral (`singleReferral`).
      coSellMode: z.enum(['twoReferrals', 'singleReferral']).default('twoReferrals'),
      filters: z
        .strictObject({
          // Filtering on externalReferenceId is undocumented ("Get a list of referrals"): `scan`, the default,
          // lists and matches locally; `server` filters.
          externalReferenceId: z.enum(['server', 'scan']).default('scan'),
          // `updatedDateTime` filters appear only in the 2019 docs: `clientSide`, the default, orders and stops
          // locally; `server` filters.
          updatedDateTime: z.enum(['server', 'clientSide']).default('clientSide'),
        })
        .prefault({}),
      webhooks: webhooksSchema(ctx),
    })
    .transform((pc, zctx) => {
      // The device-code token cache holds refresh tokens, so it is only ever stored encrypted.
      const tokenCacheKey = secretAt({
        ctx,
        issues: zctx.issues,
        secret: 'partnerCenter.tokenCacheKey',
        input: pc,
        required: pc.auth.mode === 'deviceCode',
        check: checkCacheKey,
      });
      return { ...pc, tokenCacheKey };
    });

export type PartnerCenterConfig = z.output<ReturnType<typeof partnerCenterSchema>>;
