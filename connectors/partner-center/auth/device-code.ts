/**
 * Delegated tokens for a Referral Admin user (Partner Center docs, "Referrals API authentication"): `cosell-sync auth login` runs the
 * device-code flow once; afterwards the daemon refreshes silently from the encrypted cache. When
 * the refresh token dies (password changed, consent revoked, MFA reset) health turns `authFailed`
 * with a plain message, the failure is logged once as an error, every call throws `auth`, and the
 * provider recovers by itself once a new login has written a fresh cache.
 */
import { AuthError, LogLevel, PublicClientApplication } from '@azure/msal-node';
import type { AccountInfo, INetworkModule } from '@azure/msal-node';
import type { Logger } from 'pino';
import { systemClock } from '../../../src/core/clock.js';
import type { Clock } from '../../../src/core/clock.js';
import type { StateStore } from '../../../src/store/types.js';
import { ConnectorError, type SignInHint } from '../../errors.js';
import { describeEntraRefusal, entraRefusal } from '../../shared/entra-error.js';
import type { ConnectorHealth } from '../../types.js';
import { createEncryptedCachePlugin } from './encrypted-cache.js';
import type { HeardRefusal } from './network-client.js';
import { audienceScopes } from './token-provider.js';
import type { TokenAudience, TokenProvider } from './token-provider.js';

/** Where and as which app to sign in (from configuration). */
export interface DeviceCodeAuthOptions {
  clientId: string;
  /** e.g. `https://login.microsoftonline.com/<tenant id>`; from config, so the sandbox can differ. */
  authority: string;
  /** Hosts msal may trust without instance discovery (a sandbox authority). */
  knownAuthorities?: string[];
  /** Scope per audience; defaults to the `.default` scopes of the two Partner Center APIs. */
  scopes?: Partial<Record<TokenAudience, string>>;
}

/** A `TokenProvider` that can also run the one-time device-code login. */
export interface DeviceCodeTokenProvider extends TokenProvider {
  /** Runs the device-code flow; `onCode` receives the text telling the user the code and URL. */
  loginWithDeviceCode(args: { onCode: (message: string) => void; timeoutSeconds?: number }): Promise<{ username: string | null }>;
}

const LOGIN_HINT = 'run `cosell-sync auth login` as the Partner Center Referral Admin user';

/** Refresh failures that only a person signing in again can fix. */
function needsLogin(error: unknown): boolean {
  if (!(error instanceof AuthError)) return false;
  const codes = [error.errorCode, (error as AuthError & { subError?: string }).subError ?? ''];
  return error.name === 'InteractionRequiredAuthError' || codes.some((c) => /invalid_grant|interaction_required|consent_required|login_required|no_tokens_found|no_account/.test(c));
}

const MICROSOFT_LOGIN_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.windows.net']);

/**
 * msal runs instance discovery against login.microsoftonline.com for an authority it does not
 * know, which a sandbox authority can never pass; a configured non-Microsoft authority is trusted.
 */
function knownAuthoritiesFor(options: DeviceCodeAuthOptions): string[] | undefined {
  if (options.knownAuthorities !== undefined) return options.knownAuthorities;
  const host = new URL(options.authority).host;
  return MICROSOFT_LOGIN_HOSTS.has(host.toLowerCase()) ? undefined : [host];
}

/**
 * Delegated tokens from msal-node with the cache encrypted in the state store blob
 * `pc-token-cache`; see the file comment for the failure and recovery behaviour.
 */
export function createDeviceCodeTokenProvider(
  options: DeviceCodeAuthOptions,
  deps: {
    store: StateStore;
    cacheKey: Buffer;
    logger: Logger;
    /** With `lastRefusal` (createMsalNetworkClient), the token service's own words reach the error. */
    networkClient?: INetworkModule & { lastRefusal?: () => HeardRefusal | null };
    clock?: Clock;
    msalLogLevel?: LogLevel;
    /** What to change when Entra refuses the sign-in (names the configuration key). */
    signInHint?: SignInHint;
  },
): DeviceCodeTokenProvider {
  const clock = deps.clock ?? systemClock;
  // Access tokens kept in memory until shortly before expiry, so a busy connector does not read
  // and decrypt the cache blob on every request; a forced refresh always goes to msal.
  const held = new Map<TokenAudience, { token: string; until: number }>();
  const logger = deps.logger.child({ component: 'partnerCenterAuth' });
  const knownAuthorities = knownAuthoritiesFor(options);
  const cachePlugin = createEncryptedCachePlugin({
    store: deps.store,
    key: deps.cacheKey,
    onUnreadable: (error) => logger.error({ err: { message: error.message } }, `the stored Partner Center token cache cannot be decrypted (wrong key?); ${LOGIN_HINT}`),
  });
  const pca = new PublicClientApplication({
    auth: {
      clientId: options.clientId,
      authority: options.authority,
      ...(knownAuthorities === undefined ? {} : { knownAuthorities }),
    },
    cache: { cachePlugin },
    system: {
      ...(deps.networkClient === undefined ? {} : { networkClient: deps.networkClient }),
      // msal's own warnings into our log; PII (user names, tokens) never.
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: deps.msalLogLevel ?? LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (!containsPii) logger.debug({ msalLevel: level }, message);
        },
      },
    },
  });
  const scopeOf = (audience: TokenAudience): string => options.scopes?.[audience] ?? audienceScopes[audience];
  let health: ConnectorHealth = { state: 'ok', detail: null, pausedUntil: null };
  let referralsExpiry: Date | null = null;

  const fail = (detail: string, cause?: unknown): ConnectorError => {
    if (health.state !== 'authFailed') logger.error({ detail }, `Partner Center sign-in is no longer valid: ${detail}; ${LOGIN_HINT}`);
    health = { state: 'authFailed', detail: `${detail}; ${LOGIN_HINT}`, pausedUntil: null };
    held.clear();
    return new ConnectorError({ kind: 'auth', system: 'partnerCenter', message: health.detail ?? detail, ...(cause === undefined ? {} : { cause }) });
  };
  const succeed = (): void => {
    if (health.state === 'authFailed') logger.info('Partner Center sign-in works again');
    health = { state: 'ok', detail: null, pausedUntil: null };
  };

  return {
    async getToken(audience, opts) {
      const kept = held.get(audience);
      if (!opts?.forceRefresh && health.state === 'ok' && kept !== undefined && kept.until > clock.now().getTime()) return kept.token;
      held.delete(audience);
      let accounts: AccountInfo[];
      try {
        accounts = await pca.getTokenCache().getAllAccounts();
      } catch (cause) {
        throw new ConnectorError({ kind: 'transient', system: 'partnerCenter', message: 'could not read the token cache', cause });
      }
      // Only an account the stored cache still holds: after a new login replaced the user, msal's
      // memory may still list the old, revoked one.
      const stored = cachePlugin.storedAccountIds();
      const account = accounts.find((a) => stored.has(a.homeAccountId));
      if (account === undefined) throw fail('nobody is signed in');
      try {
        const result = await pca.acquireTokenSilent({ account, scopes: [scopeOf(audience)], forceRefresh: opts?.forceRefresh ?? false });
        succeed();
        if (result.expiresOn !== null) held.set(audience, { token: result.accessToken, until: result.expiresOn.getTime() - 5 * 60_000 });
        if (audience === 'referrals') referralsExpiry = result.expiresOn;
        return result.accessToken;
      } catch (cause) {
        if (needsLogin(cause)) {
          const said = entraRefusal(cause, deps.networkClient?.lastRefusal?.()).text;
          throw fail(`the refresh token was rejected (password changed, consent revoked or MFA reset)${said ? `: ${said}` : ''}`, cause);
        }
        // The token service being unreachable is not a sign-in problem; the caller retries.
        throw new ConnectorError({ kind: 'transient', system: 'partnerCenter', ...(cause instanceof AuthError ? { vendorCode: cause.errorCode } : {}), message: 'could not refresh the Partner Center token', cause });
      }
    },
    health: () => health,
    expiresAt: () => referralsExpiry,
    async loginWithDeviceCode(args) {
      let result;
      try {
        result = await pca.acquireTokenByDeviceCode({
          scopes: [scopeOf('referrals')],
          deviceCodeCallback: (response) => args.onCode(response.message),
          ...(args.timeoutSeconds === undefined ? {} : { timeout: args.timeoutSeconds }),
        });
      } catch (cause) {
        const refusal = entraRefusal(cause, deps.networkClient?.lastRefusal?.());
        const vendorCode = refusal.aadsts ?? refusal.code;
        const hint = deps.signInHint?.(vendorCode) ?? null;
        throw new ConnectorError({
          kind: 'auth',
          system: 'partnerCenter',
          ...(vendorCode ? { vendorCode } : {}),
          message: `Entra refused the device-code sign-in: ${describeEntraRefusal(refusal, 'no answer from the token endpoint')}${hint ? `; ${hint}` : ''}`,
          cause,
        });
      }
      if (result === null) throw fail('the device-code sign-in did not complete');
      // One signed-in user: an earlier account (perhaps revoked) must not be picked after this login.
      const cache = pca.getTokenCache();
      for (const other of await cache.getAllAccounts()) {
        if (other.homeAccountId !== result.account?.homeAccountId) await cache.removeAccount(other);
      }
      held.clear();
      succeed();
      logger.info('signed in to Partner Center; the token cache is stored encrypted');
      return { username: result.account?.username ?? null };
    },
  };
}
