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

const entraApp = {
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  authority: httpUrl.default('https://login.microsoftonline.com'),
};

const clientSecretAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('clientSecret'), ...entraApp }).transform((auth, zctx) => {
    const secret = secretAt({ ctx, issues: zctx.issues, secret: 'dynamics.auth.secret', input: auth, required: true });
    return secret === null ? z.NEVER : { ...auth, secret };
  });

const certificateAuth = (ctx: LoadContext) =>
  z
    .strictObject({
      mode: z.literal('certificate'),
      ...entraApp,
      /** SHA-256 thumbprint of the certificate registered on the app (hex). */
      thumbprintSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex characters' }),
      privateKeyFile: z.string().min(1).optional(),
      /** Public certificate chain (PEM), sent as x5c for subject-name/issuer auth when set. */
      certificateFile: existingFile(ctx).optional(),
    })
    .transform((auth, zctx) => {
      const { privateKeyFile, ...rest } = auth;
      const privateKey =
        privateKeyFile === undefined
          ? secretAt({
              ctx,
              issues: zctx.issues,
              secret: 'dynamics.auth.privateKey',
              check: checkPrivateKey,
              input: auth,
              required: true,
              alternative: 'dynamics.auth.privateKeyFile',
            })
          : secretFromFile({ ctx, issues: zctx.issues, file: privateKeyFile, path: ['privateKeyFile'], input: auth, check: checkPrivateKey });
      return privateKey === null ? z.NEVER : { ...rest, privateKey };
    });

const staticTokenAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('staticToken') }).transform((auth, zctx) => {
    const accessToken = secretAt({
      ctx,
      issues: zctx.issues,
      secret: 'dynamics.auth.accessToken',
      input: auth,
      required: true,
    });
    return accessToken === null ? z.NEVER : { mode: auth.mode, accessToken };
  });

/** Dynamics 365 / Dataverse org, sign-in and mapping file. Absent section: Dynamics is not used. */
export const dynamicsSchema = (ctx: LoadContext) =>
  z.strictObject({
    url: httpUrl,
    apiVersion: z.string().regex(/^\d+\.\d+$/, { error: 'must look like "9.2"' }).default('9.2'),
    auth: z.discriminatedUnion('mode', [clientSecretAuth(ctx), certificateAuth(ctx), staticTokenAuth(ctx)], {
      error: modeError(['clientSecret', 'certificate', 'staticToken']),
    }),
    mapping: existingFile(ctx).prefault('mappings/dynamics.yaml'),
    // Dataverse service protection: 6,000 requests per user per 5 minutes, 52 concurrent.
    rateLimit: rateLimitSchema({ concurrency: 8, intervalCap: 6000, intervalMs: 300_000 }),
    timeoutMs: positiveInt.default(30_000),
    inboundLeadsAs: inboundLeadsAs.prefault('Lead'),
  });

export type DynamicsConfig = z.output<ReturnType<typeof dynamicsSchema>>;
