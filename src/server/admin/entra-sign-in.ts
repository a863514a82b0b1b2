/**
 * Sign-in to the status page through Entra ID: OIDC authorization code with PKCE through
 * msal-node's ConfidentialClientApplication. The state (bound to a cookie of this browser) and the
 * nonce are checked; then the account must be on `allowedUsers` or in one of `allowedGroups`.
 */
import { randomBytes } from 'node:crypto';

import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { createMsalHttpsNetwork } from '../../../connectors/shared/msal-https-network.js';
import type { Config } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../logging/index.js';
import { readCookies } from './cookies.js';
import type { ExternalSignIn } from './guard.js';
import { escapeHtml, pageShell } from './page-style.js';

type EntraConfig = NonNullable<Config['server']['auth']['entra']>;

const SCOPES = ['openid', 'profile', 'email'];
const STATE_COOKIE = 'cosell_oidc';
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 500;

interface Pending {
  nonce: string;
  verifier: string;
  expiresAt: number;
}

/** Who the id token says signed in, and whether the configuration lets them in. */
export function admitted(claims: Record<string, unknown>, config: Pick<EntraConfig, 'allowedUsers' | 'allowedGroups'>): { user: string; allowed: boolean } {
  const names = ['preferred_username', 'upn', 'email', 'oid'].flatMap((key) => (typeof claims[key] === 'string' ? [String(claims[key]).toLowerCase()] : []));
  const groups = Array.isArray(claims['groups']) ? claims['groups'].filter((g): g is string => typeof g === 'string') : [];
  const allowedUsers = new Set(config.allowedUsers.map((u) => u.toLowerCase()));
  const allowed = names.some((name) => allowedUsers.has(name)) || groups.some((group) => config.allowedGroups.includes(group));
  return { user: names[0] ?? '(unnamed account)', allowed };
}

export function entraSignIn(args: { config: EntraConfig; logger: Logger; clock: Clock; ca?: string | null }): ExternalSignIn {
  const { config } = args;
  const log = args.logger.child({ component: 'entraSignIn' });
  const network = createMsalHttpsNetwork({ timeoutMs: 15_000, ca: args.ca ?? null });
  const authorityHost = new URL(config.authority).host;
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      authority: `${config.authority.replace(/\/+$/, '')}/${config.tenantId}`,
      clientSecret: config.clientSecret.reveal(),
      // Without this msal asks login.microsoftonline.com for instance discovery of any other host.
      ...(authorityHost === 'login.microsoftonline.com' ? {} : { knownAuthorities: [authorityHost] }),
    },
    system: { networkClient: network },
  });
  const crypto = new CryptoProvider();
  const pending = new Map<string, Pending>();

  const failure = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(pageShell('cosell-sync: sign-in failed', `<h1>Sign-in failed</h1><p class="bad" role="alert">${escapeHtml(message)}</p><p><a href="/signin">Back to sign-in</a></p>`));

  const take = (state: string): Pending | null => {
    const found = pending.get(state);
    pending.delete(state);
    return found !== undefined && found.expiresAt > args.clock.now().getTime() ? found : null;
  };

  return {
    register(app: FastifyInstance, signIn) {
      app.addHook('onClose', async () => network.close());
      app.get('/auth/entra', async (request: FastifyRequest, reply: FastifyReply) => {
        const now = args.clock.now().getTime();
        for (const [state, entry] of pending) if (entry.expiresAt <= now || pending.size >= MAX_PENDING) pending.delete(state);
        const { verifier, challenge } = await crypto.generatePkceCodes();
        const state = randomBytes(24).toString('base64url');
        const nonce = randomBytes(24).toString('base64url');
        pending.set(state, { nonce, verifier, expiresAt: now + PENDING_TTL_MS });
        const url = await msal.getAuthCodeUrl({ scopes: SCOPES, redirectUri: config.redirectUri, state, nonce, codeChallenge: challenge, codeChallengeMethod: 'S256', responseMode: 'query', prompt: 'select_account' });
        // Lax, not Strict: it must come back with Entra's redirect, a navigation from another site.
        const secure = request.protocol === 'https' ? '; Secure' : '';
        return reply.code(302).header('set-cookie', `${STATE_COOKIE}=${state}; Path=/auth/entra; HttpOnly; SameSite=Lax; Max-Age=${PENDING_TTL_MS / 1000}${secure}`).header('location', url).send();
      });

      app.get<{ Querystring: Record<string, string | undefined> }>('/auth/entra/callback', async (request, reply) => {
        const { code, state, error } = request.query;
        const cookieState = readCookies(request.headers.cookie).get(STATE_COOKIE);
        const entry = state !== undefined && state === cookieState ? take(state) : null;
        if (entry === null) return failure(reply, 400, 'This sign-in was not started from this browser, or it took too long. Start again.');
        if (error !== undefined) {
          log.warn({ error, detail: request.query['error_description']?.slice(0, 300) }, 'Entra ID refused the sign-in');
          return failure(reply, 401, `Entra ID refused the sign-in (${error}).`);
        }
        if (code === undefined) return failure(reply, 400, 'Entra ID sent no authorization code.');
        let claims: Record<string, unknown>;
        try {
          const result = await msal.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: config.redirectUri, codeVerifier: entry.verifier, nonce: entry.nonce });
          claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
        } catch (cause) {
          log.warn({ err: { message: cause instanceof Error ? cause.message.slice(0, 300) : String(cause) } }, 'the Entra ID authorization code could not be redeemed');
          return failure(reply, 401, 'The sign-in could not be completed with Entra ID; try again.');
        }
        if (claims['nonce'] !== entry.nonce) {
          log.warn({}, 'an Entra ID id token with the wrong nonce was refused');
          return failure(reply, 401, 'The sign-in answer does not belong to this sign-in; start again.');
        }
        const { user, allowed } = admitted(claims, config);
        if (!allowed) {
          log.warn({ user }, 'an Entra ID account that is not allowed tried to sign in');
          return failure(reply, 403, `${user} may not use this status page: an operator adds the account to server.auth.entra.allowedUsers, or a group of it to allowedGroups.`);
        }
        reply.header('set-cookie', `${STATE_COOKIE}=; Path=/auth/entra; HttpOnly; SameSite=Lax; Max-Age=0`);
        return signIn(reply, request, user, 'page');
      });
    },
  };
}
