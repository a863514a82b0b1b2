import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import {
  existingFile,
  modeError,
  httpUrl,
  inboundLeadsAs,
  positiveInt,
  rateLimitSchema,
  secretAt,
  secretFromFile,
} from './common.js';
import { checkPrivateKey } from './key-checks.js';

const jwtAuth = (ctx: LoadContext) =>
  z
    .strictObject({
      mode: z.literal('jwt'),
      clientId: z.string().min(1),
      username: z.string().min(1),
      privateKeyFile: z.string().min(1).optional(),
    })
    .transform((auth, zctx) => {
      const privateKey =
        auth.privateKeyFile === undefined
          ? secretAt({
              ctx,
              issues: zctx.issues,
              secret: 'salesforce.auth.privateKey',
              check: checkPrivateKey,
              input: auth,
              required: true,
              alternative: 'salesforce.auth.privateKeyFile',
            })
          : secretFromFile({ ctx, issues: zctx.issues, file: auth.privateKeyFile, path: ['privateKeyFile'], input: auth, check: checkPrivateKey });
      return privateKey === null ? z.NEVER : { mode: auth.mode, clientId: auth.clientId, username: auth.username, privateKey };
    });

const clientCredentialsAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('clientCredentials'), clientId: z.string().min(1) }).transform((auth, zctx) => {
    const clientSecret = secretAt({
      ctx,
      issues: zctx.issues,
      secret: 'salesforce.auth.clientSecret',
      input: auth,
      required: true,
    });
    return clientSecret === null ? z.NEVER : { ...auth, clientSecret };
  });

const refreshTokenAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('refreshToken'), clientId: z.string().min(1) }).transform((auth, zctx) => {
    const common = { ctx, issues: zctx.issues, input: auth };
    const refreshToken = secretAt({ ...common, secret: 'salesforce.auth.refreshToken', required: true });
    // Apps that require the secret on the refresh grant need it; PKCE-style apps do not.
    const clientSecret = secretAt({ ...common, secret: 'salesforce.auth.clientSecret', required: false });
    return refreshToken === null ? z.NEVER : { ...auth, refreshToken, clientSecret };
  });

const staticTokenAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('staticToken') }).transform((auth, zctx) => {
    const accessToken = secretAt({
      ctx,
      issues: zctx.issues,
      secret: 'salesforce.auth.accessToken',
      input: auth,
      required: true,
    });
    return accessToken === null ? z.NEVER : { mode: auth.mode, accessToken };
  });

/** Salesforce org, sign-in, mapping file and API budget. Absent section: Salesforce is not used. */
export const salesforceSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      instanceUrl: httpUrl.optional(),
      loginUrl: httpUrl.default('https://login.salesforce.com'),
      apiVersion: z.string().regex(/^\d{2,3}\.0$/, { error: 'must look like "60.0"' }).default('60.0'),
      auth: z.discriminatedUnion(
        'mode',
        [jwtAuth(ctx), clientCredentialsAuth(ctx), refreshTokenAuth(ctx), staticTokenAuth(ctx)],
        { error: modeError(['jwt', 'clientCredentials', 'refreshToken', 'staticToken']) },
      ),
      mapping: existingFile(ctx).prefault('mappings/salesforce.yaml'),
      apiBudgetReservePercent: z.number().min(0).max(100).default(20),
      rateLimit: rateLimitSchema({ concurrency: 5, intervalCap: 25, intervalMs: 1000 }),
      timeoutMs: positiveInt.default(30_000),
      inboundLeadsAs: inboundLeadsAs.prefault('Lead'),
    })
    .superRefine((sf, zctx) => {
      // A bare token carries no instance URL; every other grant returns one.
      if (sf.auth.mode === 'staticToken' && sf.instanceUrl === undefined) {
        zctx.addIssue({ code: 'custom', message: 'required when auth.mode is staticToken', path: ['instanceUrl'] });
      }
    });

export type SalesforceConfig = z.output<ReturnType<typeof salesforceSchema>>;
