/**
 * What the route modules share: the referral service, the simulation, the options and the
 * bearer-token check (Partner Center docs, "Referrals API authentication").
 */
import { randomUUID } from 'node:crypto';
import type { TokenValidator } from '../../entra/types.js';
import type { SandboxClock } from '../../shared/clock.js';
import { EmuHttpError, type EmuRequest } from '../../shared/http.js';
import { invalidRequest, partnerError } from '../errors.js';
import type { PartnerCenterOptions } from '../options.js';
import type { ReferralService } from '../referral-service.js';
import type { Simulation } from '../simulation.js';
import type { PresentedReferral, WireReferral } from '../wire-types.js';

/** "Referrals API authentication": the referrals API audience. */
export const REFERRALS_AUDIENCE = 'https://api.partner.microsoft.com';
/** "Partner Center webhooks": the CSP host audience the webhook registration API wants. */
export const CSP_AUDIENCE = 'https://api.partnercenter.microsoft.com';

export interface RouteContext {
  service: ReferralService;
  simulation: Simulation;
  options: PartnerCenterOptions;
  tokenValidator: TokenValidator;
  clock: SandboxClock;
}

/** The bearer token from `Authorization`, or null. */
export function bearerToken(req: EmuRequest): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}

/** Who is calling, by the roles of Partner Center docs, "Referrals API authentication": Referral Admin (everything) and Referral User (reads own team's deals). */
export interface Caller {
  upn: string | null;
  role: 'admin' | 'user';
}

/** Partner Center docs, "Referrals API authentication", "Referrals API response codes": no valid token for the audience -> 401 unauthenticated. */
export function requireToken(ctx: RouteContext, req: EmuRequest, audience: string): Caller {
  const token = bearerToken(req);
  const claims = token ? ctx.tokenValidator(token, audience) : null;
  if (claims && audience === REFERRALS_AUDIENCE && !claims.upn && !ctx.options.acceptAppOnlyTokens) {
    throw partnerError({ status: 403, code: 'accessDenied', message: 'The referrals API supports only user (App+User) tokens', target: 'Authorization' });
  }
  if (claims) {
    const upn = claims.upn ?? null;
    const isUser = upn !== null && ctx.options.referralUserUpns.some((u) => u.toLowerCase() === upn.toLowerCase());
    return { upn, role: isUser ? 'user' : 'admin' };
  }
  throw partnerError({
    status: 401,
    code: 'unauthenticated',
    message: token ? 'The access token is invalid, expired or for another audience' : 'An Authorization: Bearer token is required',
    target: 'Authorization',
    headers: { 'WWW-Authenticate': `Bearer realm="${audience}"` },
  });
}

/** Partner Center docs, "Partner Center REST and response headers": a request id, and the caller's correlation id echoed. */
export function responseHeaders(req: EmuRequest, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Request-ID': randomUUID(), ...extra };
  const correlation = req.headers['ms-correlationid'];
  if (typeof correlation === 'string') headers['MS-CorrelationId'] = correlation;
  return headers;
}

/** Partner Center docs, "Referral resources", `links`: computed from where the emulator is reachable. */
export function present(options: PartnerCenterOptions, referral: WireReferral): PresentedReferral {
  const base = `${options.baseUrl}/v1.0/engagements/referrals`;
  const related = encodeURIComponent(`engagementId eq '${referral.engagementId}'`);
  return {
    ...referral,
    links: {
      relatedReferrals: { uri: `${base}?$filter=${related}`, method: 'GET' },
      self: { uri: `${base}/${referral.id}`, method: 'GET' },
    },
  };
}

/** The JSON body; unreadable JSON is a 400 invalidRequest in the Partner API shape ("Referrals API response codes"). */
export function readJson(req: EmuRequest): unknown {
  try {
    return req.json();
  } catch (error) {
    if (error instanceof EmuHttpError) throw invalidRequest('The request body is not valid JSON', 'body');
    throw error;
  }
}

/** "Referrals API authentication": a Referral User sees only referrals whose team includes them. */
export function visibleTo(caller: Caller): ((referral: WireReferral) => boolean) | null {
  if (caller.role === 'admin') return null;
  const upn = (caller.upn ?? '').toLowerCase();
  return (referral) => referral.team.some((member) => (member.email ?? '').toLowerCase() === upn);
}

/** "Referrals API authentication": only a Referral Admin creates and updates referrals. */
export function requireWriter(caller: Caller): void {
  if (caller.role !== 'admin') {
    throw partnerError({ status: 403, code: 'accessDenied', message: 'The Referral User role can only read referrals', target: 'role' });
  }
}
