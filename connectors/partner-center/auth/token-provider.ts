/**
 * Where Partner Center bearer tokens come from. The Referrals API accepts delegated (App+User)
 * tokens only (Partner Center docs, "Referrals API authentication"); webhook registration uses the CSP
 * host's audience ("Partner Center webhooks").
 */
import type { ConnectorHealth } from '../../types.js';

/** `referrals`: api.partner.microsoft.com; `webhooks`: the CSP host api.partnercenter.microsoft.com. */
export type TokenAudience = 'referrals' | 'webhooks';

/** The scopes of each audience in MSAL's v2 `.default` form (the docs' sample uses the v1 `resource`; this is its standard v2 form). */
export const audienceScopes: Record<TokenAudience, string> = {
  referrals: 'https://api.partner.microsoft.com/.default',
  webhooks: 'https://api.partnercenter.microsoft.com/.default',
};

/** Bearer tokens for the Partner Center connector and the webhook registration client. */
export interface TokenProvider {
  /**
   * A bearer token for `audience`. `forceRefresh` skips any cached access token (after a 401).
   * Throws a `ConnectorError` of kind `auth` when no token can be had.
   */
  getToken(audience: TokenAudience, opts?: { forceRefresh?: boolean }): Promise<string>;
  /** `authFailed` with a plain message while sign-in is needed; `ok` otherwise. */
  health(): ConnectorHealth;
  /**
   * When the Referrals API token last obtained expires (renewed on its own before then; a time in
   * the past means renewal is failing); null before the first token or when unknown (static token).
   */
  expiresAt?(): Date | null;
}
