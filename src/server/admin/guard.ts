/**
 * The admin listener's gate: security headers on every answer, then decide.ts's rules (Host
 * allow-list, cross-site refusal, bearer token or page session, CSRF token), and the sign-in and
 * sign-out routes of the page.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Logger } from '../../logging/index.js';
import { cookieHeader, readCookies, SESSION_COOKIE, SIGN_IN_COOKIE } from './cookies.js';
import { decideAccess, decideCsrf, type Verdict } from './decide.js';
import { escapeHtml, pageShell, SECURITY_HEADERS } from './page-style.js';
import type { AdminSession, SessionStore } from './sessions.js';
import { renderSignIn } from './sign-in-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The page session this request came with, once the guard let it in (null for bearer and public requests). */
    adminSession: AdminSession | null;
  }
}

/** Sign-in through an identity provider: adds its routes under /auth/... and reports the signed-in user. */
export interface ExternalSignIn {
  /**
   * `signIn` starts the page session. `landing: 'page'` answers with a page that moves on to the
   * status page itself: after a chain of redirects from another site the browser would not send
   * the SameSite=Strict cookie on a redirect, but does on this page's own navigation.
   */
  register(app: FastifyInstance, signIn: (reply: FastifyReply, request: FastifyRequest, user: string, landing: 'redirect' | 'page') => FastifyReply): void;
}

export interface AdminGuardOptions {
  token: string;
  allowedHosts: ReadonlySet<string>;
  sessions: SessionStore;
  sessionTtlMs: number;
  logger: Logger;
  entra: ExternalSignIn | null;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
/** Constant-time comparison of two strings of any length. */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const SIGN_IN_TTL_SECONDS = 10 * 60;

export function installAdminGuard(app: FastifyInstance, options: AdminGuardOptions): void {
  const log = options.logger.child({ component: 'adminGuard' });
  app.decorateRequest('adminSession', null);
  // The page's forms post URL-encoded bodies; JSON clients are parsed by fastify itself.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const via = new WeakMap<FastifyRequest, 'public' | 'signIn' | 'bearer' | 'session'>();

  const refuse = (request: FastifyRequest, reply: FastifyReply, verdict: Extract<Verdict, { kind: 'refuse' }>) => {
    log.warn({ method: request.method, path: request.url.split('?')[0], status: verdict.status, reason: verdict.error, ip: request.ip }, 'admin request refused');
    if (verdict.status === 401) reply.header('www-authenticate', 'Bearer realm="cosell-sync admin"');
    return reply.code(verdict.status).send({ error: verdict.error });
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    const authorization = header(request, 'authorization');
    const bearerValue = authorization !== undefined && /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : undefined;
    const session = options.sessions.get(readCookies(header(request, 'cookie')).get(SESSION_COOKIE));
    const verdict = decideAccess(
      {
        method: request.method,
        path: request.url.split('?')[0] ?? '/',
        host: header(request, 'host'),
        origin: header(request, 'origin'),
        secFetchSite: header(request, 'sec-fetch-site'),
        contentType: header(request, 'content-type'),
        bearer: bearerValue === undefined ? 'absent' : sameSecret(bearerValue, options.token) ? 'valid' : 'invalid',
        session,
        wantsHtml: (header(request, 'accept') ?? '').includes('text/html'),
      },
      options.allowedHosts,
    );
    if (verdict.kind === 'refuse') return refuse(request, reply, verdict);
    if (verdict.kind === 'toSignIn') return reply.code(303).header('location', '/signin').send();
    via.set(request, verdict.via);
    if (verdict.via === 'session') request.adminSession = session;
    return undefined;
  });

  app.addHook('preHandler', async (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined | null;
    const fromBody = typeof body === 'object' && body !== null && typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined;
    const verdict = decideCsrf({
      method: request.method,
      via: via.get(request) ?? 'public',
      sessionCsrf: request.adminSession?.csrf ?? null,
      presented: fromBody ?? header(request, 'x-csrf-token'),
      equal: sameSecret,
    });
    if (verdict.kind === 'refuse') return refuse(request, reply, verdict);
    return undefined;
  });

  const secure = (request: FastifyRequest): boolean => request.protocol === 'https';
  const startSession = (reply: FastifyReply, request: FastifyRequest, user: string, landing: 'redirect' | 'page'): FastifyReply => {
    const session = options.sessions.create(user);
    log.info({ user, ip: request.ip }, 'signed in to the status page');
    reply.header('set-cookie', cookieHeader({ name: SESSION_COOKIE, value: session.id, maxAgeSeconds: options.sessionTtlMs / 1000, secure: secure(request) }));
    reply.header('set-cookie', cookieHeader({ name: SIGN_IN_COOKIE, value: '', maxAgeSeconds: 0, secure: secure(request) }));
    if (landing === 'redirect') return reply.code(303).header('location', '/').send();
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .send(pageShell('cosell-sync: signed in', `<meta http-equiv="refresh" content="0;url=/"><p>Signed in as ${escapeHtml(user)}. <a href="/">Continue to the status page</a></p>`));
  };

  const signInForm = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string) => {
    const csrf = randomBytes(24).toString('base64url');
    return reply
      .code(status)
      .header('set-cookie', cookieHeader({ name: SIGN_IN_COOKIE, value: csrf, maxAgeSeconds: SIGN_IN_TTL_SECONDS, secure: secure(request) }))
      .type('text/html; charset=utf-8')
      .send(renderSignIn({ csrf, entra: options.entra !== null, ...(error === undefined ? {} : { error }) }));
  };

  app.get('/signin', async (request, reply) => {
    if (options.sessions.get(readCookies(header(request, 'cookie')).get(SESSION_COOKIE)) !== null) return reply.code(303).header('location', '/').send();
    return signInForm(request, reply, 200);
  });

  app.post<{ Body: { token?: unknown; _csrf?: unknown } | undefined }>('/signin', async (request, reply) => {
    const expected = readCookies(header(request, 'cookie')).get(SIGN_IN_COOKIE);
    const presented = typeof request.body?._csrf === 'string' ? request.body._csrf : undefined;
    if (expected === undefined || presented === undefined || !sameSecret(expected, presented)) {
      log.warn({ ip: request.ip }, 'a sign-in post without the sign-in form token was refused');
      return signInForm(request, reply, 403, 'The sign-in form expired or did not come from this page; try again.');
    }
    const token = typeof request.body?.token === 'string' ? request.body.token.trim() : '';
    if (!sameSecret(token, options.token)) {
      log.warn({ ip: request.ip }, 'a sign-in with a wrong admin token was refused');
      return signInForm(request, reply, 401, 'That is not the admin token.');
    }
    return startSession(reply, request, 'admin token', 'redirect');
  });

  app.post('/signout', async (request, reply) => {
    if (request.adminSession !== null) options.sessions.delete(request.adminSession.id);
    return reply.code(303).header('set-cookie', cookieHeader({ name: SESSION_COOKIE, value: '', maxAgeSeconds: 0, secure: secure(request) })).header('location', '/signin').send();
  });

  options.entra?.register(app, startSession);
}
