/**
 * Access tokens for the Web API: Entra client credentials for an application user (secret or
 * certificate) through msal-node's ConfidentialClientApplication, or a static token. The token
 * is kept in memory until shortly before it expires, so dynamics-web-api's `onTokenRefresh`,
 * which asks before every request, costs nothing. After a 401 `invalidate()` makes the next
 * ask skip every cache.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Clock } from '../../src/core/clock.js';
import { ConnectorError, type SignInHint } from '../errors.js';
import { describeEntraRefusal, entraRefusal } from '../shared/entra-error.js';
import { createMsalHttpsNetwork } from '../shared/msal-https-network.js';
import { isTlsTrustCode } from './classify-error.js';
import type { DynamicsAuthOptions } from './options.js';

export interface TokenSource {
  /** A valid token. */
  token(): Promise<string>;
  /** The token was refused (401): the next `token()` asks Entra again, skipping every cache. */
  invalidate(): void;
  close(): void;
}

/** Renew this long before expiry (msal's own offset is 300 s). */
const RENEW_BEFORE_MS = 300_000;

export function createTokenSource(args: { auth: DynamicsAuthOptions; orgUrl: string; timeoutMs: number; clock: Clock; signInHint?: SignInHint | undefined }): TokenSource {
  const { auth } = args;
  if (auth.kind === 'staticToken') return { token: () => Promise.resolve(auth.accessToken), invalidate: () => undefined, close: () => undefined };
  const network = createMsalHttpsNetwork({ timeoutMs: args.timeoutMs });
  const authorityHost = new URL(auth.authority).host;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: auth.clientId,
      authority: `${auth.authority.replace(/\/+$/, '')}/${auth.tenantId}`,
      // Without this msal asks login.microsoftonline.com for instance discovery of any other host.
      ...(authorityHost === 'login.microsoftonline.com' ? {} : { knownAuthorities: [authorityHost] }),
      ...(auth.kind === 'clientSecret'
        ? { clientSecret: auth.clientSecret }
        : {
            clientCertificate: {
              thumbprintSha256: auth.thumbprintSha256,
              privateKey: auth.privateKeyPem,
              ...(auth.certificatePem ? { x5c: auth.certificatePem } : {}),
            },
          }),
    },
    system: { networkClient: network },
  });
  const scope = `${args.orgUrl.replace(/\/+$/, '')}/.default`;
  let cached: { token: string; renewAt: number } | null = null;
  let inFlight: Promise<string> | null = null;
  let refused = false;

  const acquire = async (forceRefresh: boolean): Promise<string> => {
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
      if (!result) throw new Error('no token in the answer');
      const expiresAt = result.expiresOn?.getTime() ?? args.clock.now().getTime() + 3_600_000;
      cached = { token: result.accessToken, renewAt: expiresAt - RENEW_BEFORE_MS };
      return result.accessToken;
    } catch (cause) {
      const failure = network.lastFailureCode();
      if (failure !== null && isTlsTrustCode(failure)) {
        throw new ConnectorError({
          kind: 'invalid',
          system: 'dynamics',
          vendorCode: failure,
          cause,
          message: `could not sign in to Entra at ${auth.authority}: its certificate is not trusted (${failure}); behind a private CA, start the daemon with NODE_EXTRA_CA_CERTS naming the CA's PEM file (the sandbox writes it into sandbox.env)`,
        });
      }
      // Entra's own description says what is wrong; msal's wrapping of it (and the request) is not kept.
      const refusal = entraRefusal(cause);
      const vendorCode = refusal.aadsts ?? refusal.code;
      const hint = args.signInHint?.(vendorCode) ?? null;
      throw new ConnectorError({
        kind: 'auth',
        system: 'dynamics',
        ...(vendorCode ? { vendorCode } : {}),
        cause,
        message: `Entra refused the sign-in for ${scope}: ${describeEntraRefusal(refusal, 'no answer from the token endpoint')}${hint ? `; ${hint}` : ''}`,
      });
    }
  };

  return {
    token() {
      if (cached && args.clock.now().getTime() < cached.renewAt) return Promise.resolve(cached.token);
      const skipCache = refused;
      refused = false;
      inFlight ??= acquire(skipCache).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    invalidate() {
      cached = null;
      refused = true;
    },
    close: () => network.close(),
  };
}
