import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { httpUrl, modeError, secretAt } from './common.js';

export const NOTIFICATION_EVENTS = ['newInboundReferral', 'referralExpiring', 'needsAttention'] as const;

const clientSecretAuth = (ctx: LoadContext) =>
  z
    .strictObject({
      mode: z.literal('clientSecret'),
      tenantId: z.string().min(1),
      clientId: z.string().min(1),
      authority: httpUrl.default('https://login.microsoftonline.com'),
    })
    .transform((auth, zctx) => {
      const secret = secretAt({ ctx, issues: zctx.issues, secret: 'graph.auth.secret', input: auth, required: true });
      return secret === null ? z.NEVER : { ...auth, secret };
    });

const staticTokenAuth = (ctx: LoadContext) =>
  z.strictObject({ mode: z.literal('staticToken') }).transform((auth, zctx) => {
    const accessToken = secretAt({
      ctx,
      issues: zctx.issues,
      secret: 'graph.auth.accessToken',
      input: auth,
      required: true,
    });
    return accessToken === null ? z.NEVER : { mode: auth.mode, accessToken };
  });

/** Notifications by mail through Microsoft Graph. Absent section: no notifications. */
export const graphSchema = (ctx: LoadContext) =>
  z.strictObject({
    // The origin: the Graph client adds the version (v1.0) itself.
    baseUrl: httpUrl.default('https://graph.microsoft.com'),
    auth: z.discriminatedUnion('mode', [clientSecretAuth(ctx), staticTokenAuth(ctx)], {
      error: modeError(['clientSecret', 'staticToken']),
    }),
    sender: z.email({ error: 'not an e-mail address' }),
    recipients: z.array(z.email({ error: 'not an e-mail address' })).min(1),
    events: z.array(z.enum(NOTIFICATION_EVENTS)).default([...NOTIFICATION_EVENTS]),
  });

export type GraphConfig = z.output<ReturnType<typeof graphSchema>>;
