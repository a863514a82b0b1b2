import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { resolvePath } from '../secret.js';
import { httpUrl, positiveInt, secretAt } from './common.js';

const port = z.number().int().min(0).max(65_535);

/** Sign-in to the status page through Entra ID (OIDC authorization code with PKCE); the client secret is COSELL_ADMIN_ENTRA_SECRET. */
const entraSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      tenantId: z.string().min(1),
      clientId: z.string().min(1),
      authority: httpUrl.default('https://login.microsoftonline.com'),
      /** Registered in the app registration as a Web redirect URI, e.g. `http://localhost:8787/auth/entra/callback`. */
      redirectUri: httpUrl,
      /** Who may sign in: user principal names (or e-mail / object id), case-insensitive. */
      allowedUsers: z.array(z.string().min(1)).default([]),
      /** ...or members of these groups (object ids; the app registration must emit the `groups` claim). */
      allowedGroups: z.array(z.string().min(1)).default([]),
    })
    .superRefine((entra, zctx) => {
      if (entra.allowedUsers.length === 0 && entra.allowedGroups.length === 0) {
        zctx.addIssue({ code: 'custom', message: 'name who may sign in: allowedUsers and/or allowedGroups (otherwise any account of the tenant could)' });
      }
    })
    .transform((entra, zctx) => {
      const clientSecret = secretAt({ ctx, issues: zctx.issues, secret: 'server.auth.entra.clientSecret', input: entra, required: true });
      return clientSecret === null ? z.NEVER : { ...entra, clientSecret };
    });

const authSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      /**
       * Where the generated admin token is kept when COSELL_ADMIN_TOKEN is not set. Default: `admin-token`
       * beside the SQLite store (`var/admin-token` for PostgreSQL or an in-memory store).
       */
      tokenFile: z
        .string()
        .min(1)
        .transform((path) => resolvePath(ctx.cwd, path))
        .optional(),
      /** How long a page sign-in lasts. */
      sessionHours: positiveInt.max(24 * 30).default(8),
      entra: entraSchema(ctx).nullable().default(null),
    })
    .prefault({})
    .transform((auth, zctx) => {
      const token = secretAt({ ctx, issues: zctx.issues, secret: 'server.auth.token', input: auth, required: false, check: (value) => (value.length < 16 ? 'too short: use at least 16 characters (e.g. `openssl rand -base64 32`)' : null) });
      return { ...auth, token };
    });

/**
 * The two listeners. The admin one (status page, JSON API, conflicts and failures, metrics,
 * health) stays on loopback unless told otherwise; the webhook receiver, which Partner Center must
 * reach, is a separate listener that serves nothing else.
 */
export const serverSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      /** The admin listener's address; anything but loopback is logged as a warning at start. */
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8787),
      /** How long a request may take to arrive whole (headers and body); a sender still trickling is cut off. */
      requestTimeoutMs: z.number().int().min(500).max(300_000).default(30_000),
      /**
       * Host names the admin listener answers to (DNS rebinding guard), besides loopback names and
       * `host` itself: add the name you reach it by when it is not on loopback.
       */
      allowedHosts: z.array(z.string().min(1).transform((h) => h.toLowerCase())).default([]),
      auth: authSchema(ctx),
      /** Partner Center webhooks (only when `partnerCenter.webhooks.enabled`). */
      webhooks: z
        .strictObject({
          host: z.string().min(1).default('0.0.0.0'),
          port: port.default(8788),
          /**
           * How long a post may take to arrive whole (headers and body); a sender still trickling
           * after that is cut off, so slow connections cannot hold the public listener.
           */
          requestTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
        })
        .prefault({}),
    })
    .prefault({});

export type ServerConfig = z.output<ReturnType<typeof serverSchema>>;
