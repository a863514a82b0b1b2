/**
 * The authorization endpoint and the authorization-code grant (OIDC sign-in of a web app): a
 * sandbox sign-in page that lists the tenant's users, one-time codes bound to the client, the
 * redirect URI and the PKCE challenge, and id tokens that carry the request's nonce and the
 * user's groups.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { SandboxClock } from '../shared/clock.js';
import type { EmuResponse } from '../shared/router.js';
import type { Directory, EntraUser } from './directory.js';

const CODE_LIFETIME_MS = 10 * 60_000;

export interface AuthCodeGrant {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  upn: string;
  expiresAt: number;
  redeemed: boolean;
}

const escapeHtml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'response_mode'] as const;

export class AuthCodes {
  readonly #codes = new Map<string, AuthCodeGrant>();

  constructor(private readonly deps: { clock: SandboxClock; directory: Directory; signInAs: () => string | null }) {}

  /**
   * GET .../authorize: with a user to sign in as (login_hint, or the emulator's `signInAs`), straight
   * back to the app with a code; otherwise a page with one button per known user.
   */
  authorize(params: URLSearchParams, tenant: string): EmuResponse {
    const problem = this.check(params);
    if (problem !== null) return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: problem };
    const upn = params.get('login_hint') ?? this.deps.signInAs();
    if (upn !== null && upn !== '') return this.redirectWithCode(params, upn);
    const hidden = AUTHORIZE_PARAMS.flatMap((name) => {
      const value = params.get(name);
      return value === null ? [] : [`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`];
    }).join('');
    const buttons = this.deps.directory
      .list()
      .map((user) => `<button type="submit" name="login_hint" value="${escapeHtml(user.upn)}">${escapeHtml(user.name)} (${escapeHtml(user.upn)})</button>`)
      .join('<br>');
    const body = `<!doctype html><html><head><meta charset="utf-8"><title>Sandbox sign-in</title></head><body><h1>Sandbox Entra ID: pick an account</h1><form method="post" action="/${escapeHtml(tenant)}/oauth2/v2.0/authorize">${hidden}${buttons}</form></body></html>`;
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
  }

  /** Redeems a code once: the same client, the same redirect URI, and the verifier of its challenge. */
  redeem(form: URLSearchParams, clientId: string): { ok: true; user: EntraUser; scope: string; nonce: string | null } | { ok: false; aadsts: number; message: string } {
    const grant = this.#codes.get(form.get('code') ?? '');
    if (grant === undefined || grant.clientId !== clientId) return { ok: false, aadsts: 70000, message: "The provided value for the input parameter 'code' is not valid." };
    if (grant.redeemed) return { ok: false, aadsts: 54005, message: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' };
    if (this.deps.clock.now().getTime() >= grant.expiresAt) return { ok: false, aadsts: 70008, message: 'The provided authorization code or refresh token has expired due to inactivity.' };
    if (form.get('redirect_uri') !== grant.redirectUri) return { ok: false, aadsts: 50148, message: 'The redirect_uri does not match the one the authorization code was requested with.' };
    if (grant.codeChallenge !== null) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      if (computed !== grant.codeChallenge) return { ok: false, aadsts: 501481, message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' };
    }
    grant.redeemed = true;
    return { ok: true, user: this.deps.directory.user(grant.upn), scope: grant.scope, nonce: grant.nonce };
  }

  private check(params: URLSearchParams): string | null {
    if (!params.get('client_id')) return "AADSTS900144: The request body must contain the following parameter: 'client_id'.";
    if (params.get('response_type') !== 'code') return 'AADSTS700054: response_type must be code for this sandbox.';
    const redirect = params.get('redirect_uri');
    if (!redirect) return "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.";
    if (params.get('code_challenge') !== null && params.get('code_challenge_method') !== 'S256') return 'AADSTS501491: code_challenge_method must be S256.';
    return null;
  }

  private redirectWithCode(params: URLSearchParams, upn: string): EmuResponse {
    const code = `0.SB${randomBytes(32).toString('base64url')}`;
    const redirectUri = params.get('redirect_uri') ?? '';
    this.#codes.set(code, {
      code,
      clientId: params.get('client_id') ?? '',
      redirectUri,
      scope: params.get('scope') ?? 'openid',
      nonce: params.get('nonce'),
      codeChallenge: params.get('code_challenge'),
      upn: this.deps.directory.user(upn).upn,
      expiresAt: this.deps.clock.now().getTime() + CODE_LIFETIME_MS,
      redeemed: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { Location: target.toString() } };
  }
}
