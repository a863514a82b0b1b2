/**
 * Operator notifications by mail through Microsoft Graph (new inbound referral, sync needing
 * attention), for the events the configuration lists. A failed send is logged, never fatal.
 */
import type { Logger } from 'pino';
import { createGraphClientCredentialsTokens, createGraphNotifier, type GraphTokenSource } from '../../connectors/graph/index.js';
import { createMsalNetworkClient } from '../../connectors/partner-center/index.js';
import type { ConnectorHealth, Notification, Notifier } from '../../connectors/types.js';
import type { GraphConfig } from '../config/index.js';
import { graphSignInHint } from './sign-in-hints.js';

export type Notify = (notification: Notification) => void;

/** The Graph mailer itself (awaitable: reminders and the digest record whether it went), or null without a `graph` section. */
export function buildMailer(args: { config: GraphConfig | null; logger: Logger; ca: string | null }): Notifier | null {
  const { config, logger, ca } = args;
  if (!config) return null;
  const tokens: GraphTokenSource =
    config.auth.mode === 'staticToken'
      ? { getToken: async () => (config.auth.mode === 'staticToken' ? config.auth.accessToken.reveal() : '') }
      : createGraphClientCredentialsTokens({
          clientId: config.auth.clientId,
          clientSecret: config.auth.secret.reveal(),
          authority: `${config.auth.authority.replace(/\/+$/, '')}/${config.auth.tenantId}`,
          signInHint: graphSignInHint(),
          ...(ca ? { knownAuthorities: [new URL(config.auth.authority).host], networkClient: createMsalNetworkClient({ ca }) } : {}),
        });
  return createGraphNotifier({ baseUrl: config.baseUrl, sender: config.sender, recipients: config.recipients, tokens, logger });
}

export function buildNotify(args: { config: GraphConfig | null; logger: Logger; ca: string | null }): Notify | null {
  const { config, logger } = args;
  const notifier = buildMailer(args);
  if (!config || !notifier) return null;
  const wanted = new Set<string>(config.events);
  return (notification) => {
    if (!wanted.has(notification.kind)) return;
    notifier.notify(notification).catch((err: unknown) => logger.warn({ err, kind: notification.kind }, 'could not send a notification'));
  };
}

/** Tells the operator once when a connector starts needing attention (sign-in failed), not on every cycle. */
export function watchHealth(notify: Notify): (health: Record<string, ConnectorHealth>) => void {
  const failing = new Set<string>();
  return (health) => {
    for (const [name, h] of Object.entries(health)) {
      if (h.state === 'authFailed' && !failing.has(name)) {
        failing.add(name);
        notify({ kind: 'needsAttention', subject: `cosell-sync: ${name} sign-in needs renewing`, body: `${name}: ${h.detail ?? 'authentication failed'}. Other directions keep running.` });
      } else if (h.state !== 'authFailed') failing.delete(name);
    }
  };
}
