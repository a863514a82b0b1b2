import { createHmac } from 'node:crypto';
import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { checkJwtAssertion } from '../auth/jwt.js';
import type { SfContext } from './context.js';
import { JSON_TYPE, api, sfResponse } from './respond.js';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function oauthError(ctx: SfContext, error: string, description: string): EmuResponse {
  // Token errors are {error, error_description} with HTTP 400 (OAuth 2.0).
  return { status: 400, headers: { 'Content-Type': JSON_TYPE, 'Sforce-Limit-Info': ctx.budget.header() }, body: { error, error_description: description } };
}

function clientCredentialsOf(req: EmuRequest, form: URLSearchParams): { id: string | null; secret: string | null } {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Basic\s+/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

/**
 * `POST /services/oauth2/token` (Salesforce Help): JWT bearer ("OAuth 2.0 JWT Bearer Flow for
 * Server-to-Server Integration"), client credentials ("OAuth 2.0 Client Credentials Flow for
 * Server-to-Server Integration", runs as the integration user) and refresh token ("OAuth 2.0 Refresh
 * Token Flow for Renewed Sessions"); the answer carries the token response fields with `instance_url` pointing back at this emulator and `id` ending in `/<orgId>/<userId>`.
 */
export function addTokenRoutes(router: Router, ctx: SfContext): void {
  router.add('POST', '/services/oauth2/token', (req) => token(ctx, req), 'POST /services/oauth2/token');
  router.add(
    'GET',
    '/id/:orgId/:userId',
    api(ctx, (_req, call) => identity(ctx, call.userId), { versioned: false }),
    'GET /id/:orgId/:userId',
  );
}

function token(ctx: SfContext, req: EmuRequest): EmuResponse {
  const form = new URLSearchParams(req.text());
  const grant = form.get('grant_type');
  const base = req.url.origin;
  const { options } = ctx;
  let userId: string;
  let clientId: string;
  let refreshToken: string | undefined;
  if (grant === JWT_GRANT) {
    const assertion = form.get('assertion');
    if (!assertion) return oauthError(ctx, 'invalid_request', 'assertion is required');
    // The emulator is the sandbox's login host, so its own origin is always an audience.
    const audiences = [...options.jwtAudiences, base];
    if (options.acceptTokenUrlAudience) audiences.push(...audiences.map((a) => `${a}/services/oauth2/token`));
    const check = checkJwtAssertion({
      assertion,
      isClient: (id) => options.clientIds.includes(id),
      keysFor: (id) => ctx.jwtKeys.get(id) ?? [],
      audiences,
      now: ctx.clock.now().getTime(),
      allowUnsigned: options.allowUnsignedJwt,
    });
    if (!check.ok) return oauthError(ctx, check.error, check.description);
    const user = ctx.org.table('User')?.idsByUnique('Username', check.username)[0];
    if (user === undefined) return oauthError(ctx, 'invalid_grant', 'user hasn\'t approved this consumer');
    userId = user;
    clientId = check.clientId;
  } else if (grant === 'client_credentials') {
    const creds = clientCredentialsOf(req, form);
    if (!creds.id || !options.clientIds.includes(creds.id)) return oauthError(ctx, 'invalid_client_id', 'client identifier invalid');
    if (creds.secret !== options.clientSecret) return oauthError(ctx, 'invalid_client', 'invalid client credentials');
    userId = ctx.integrationUserId;
    clientId = creds.id;
  } else if (grant === 'refresh_token') {
    const creds = clientCredentialsOf(req, form);
    if (!creds.id || !options.clientIds.includes(creds.id)) return oauthError(ctx, 'invalid_client_id', 'client identifier invalid');
    if (creds.secret !== null && creds.secret !== options.clientSecret) return oauthError(ctx, 'invalid_client', 'invalid client credentials');
    const redeemed = ctx.sessions.redeemRefreshToken({
      token: form.get('refresh_token') ?? '',
      clientId: creds.id,
      rotate: options.rotateRefreshTokens,
    });
    if (!redeemed) return oauthError(ctx, 'invalid_grant', 'expired access/refresh token');
    userId = redeemed.userId;
    clientId = creds.id;
    refreshToken = redeemed.next;
  } else {
    return oauthError(ctx, 'unsupported_grant_type', 'grant type not supported');
  }
  const session = ctx.sessions.issue({ userId, clientId });
  const id = `${base}/id/${ctx.org.orgId}/${userId}`;
  const issuedAt = String(session.issuedAt);
  const body: Record<string, string> = {
    access_token: session.token,
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature: createHmac('sha256', options.clientSecret).update(id + issuedAt).digest('base64'),
    scope: 'api',
  };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  // Token calls do not spend the allocation, but carry the header like every JSON answer.
  return sfResponse(ctx, 200, body);
}

function identity(ctx: SfContext, userId: string): EmuResponse {
  const user = ctx.org.table('User')?.get(userId);
  return sfResponse(ctx, 200, {
    id: `/id/${ctx.org.orgId}/${userId}`,
    user_id: userId,
    organization_id: ctx.org.orgId,
    username: user?.['Username'] ?? null,
    display_name: user?.['Name'] ?? null,
    email: user?.['Email'] ?? null,
    active: true,
    user_type: 'STANDARD',
  });
}
