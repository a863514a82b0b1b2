/**
 * App-only Graph tokens (Mail.Send application permission) by client credentials through
 * msal-node; msal caches the token and renews it before expiry.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { INetworkModule } from '@azure/msal-node';
import { ConnectorError, type SignInHint } from '../errors.js';
import { describeEntraRefusal, entraRefusal } from '../shared/entra-error.js';
import type { GraphTokenSource } from './graph-notifier.js';

/** The app-only scope for Microsoft Graph. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** A `GraphTokenSource` over msal's client-credentials flow; failures are `auth` ConnectorErrors. */
export function createGraphClientCredentialsTokens(args: {
  clientId: string;
  clientSecret: string;
  /** e.g. `https://login.microsoftonline.com/<tenant id>`. */
  authority: string;
  /** A sandbox authority msal should trust without instance discovery. */
  knownAuthorities?: string[];
  scope?: string;
  networkClient?: INetworkModule;
  /** What to change when Entra refuses the sign-in (names the configuration key or variable). */
  signInHint?: SignInHint;
}): GraphTokenSource {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: args.clientId,
      clientSecret: args.clientSecret,
      authority: args.authority,
      ...(args.knownAuthorities === undefined ? {} : { knownAuthorities: args.knownAuthorities }),
    },
    ...(args.networkClient === undefined ? {} : { system: { networkClient: args.networkClient } }),
  });
  return {
    async getToken() {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [args.scope ?? GRAPH_SCOPE] });
        if (result === null) throw new Error('no token in the answer');
        return result.accessToken;
      } catch (cause) {
        const refusal = entraRefusal(cause);
        const vendorCode = refusal.aadsts ?? refusal.code;
        const hint = args.signInHint?.(vendorCode) ?? 'check the app registration and its Mail.Send permission';
        throw new ConnectorError({
          kind: 'auth',
          system: 'graph',
          ...(vendorCode ? { vendorCode } : {}),
          message: `Entra refused the Microsoft Graph sign-in: ${describeEntraRefusal(refusal, 'no token in the answer')}; ${hint}`,
          cause,
        });
      }
    },
  };
}
