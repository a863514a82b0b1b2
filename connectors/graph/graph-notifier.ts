/**
 * Notifications by e-mail through Microsoft Graph `sendMail` (@microsoft/microsoft-graph-client
 * 3.0.7): new inbound referral, referral about to expire, sync needing attention.
 */
import { Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';
import { systemClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { ConnectorError, isConnectorError, parseRetryAfter } from '../errors.js';
import { defaultRetryPolicy, withRetry } from '../shared/retry.js';
import type { RetryPolicy } from '../shared/retry.js';
import type { Notification, Notifier } from '../types.js';
import { BearerMiddleware } from './auth-middleware.js';
import { redactContactDetails } from './redact.js';

/** A Graph token (app-only with Mail.Send, or delegated); supplied by the composition root. */
export interface GraphTokenSource {
  getToken(): Promise<string>;
}

/** Settings and dependencies of the Graph notifier. */
export interface GraphNotifierArgs {
  /** `https://graph.microsoft.com` in production; the sandbox's loopback URL in tests. */
  baseUrl?: string;
  /** The mailbox that sends (user principal name or id). */
  sender: string;
  /** Operator addresses; these are staff, not customer contacts. */
  recipients: readonly string[];
  tokens: GraphTokenSource;
  logger: Logger;
  /** Waits between retries; the system clock when absent. */
  clock?: Clock;
  retry?: RetryPolicy;
}

interface GraphErrorLike {
  statusCode?: number;
  code?: string | null;
  message?: string;
  headers?: Headers;
}

function classify(error: unknown, now: Date): ConnectorError {
  if (isConnectorError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as GraphErrorLike;
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  const kind =
    status === undefined ? 'transient'
    : status === 401 || status === 403 ? 'auth'
    : status === 404 ? 'notFound'
    : status === 429 || status === 503 ? 'rateLimited'
    : status >= 500 ? 'transient'
    : 'invalid';
  const retryAfterMs = parseRetryAfter(e.headers?.get('retry-after'), now);
  return new ConnectorError({
    kind,
    system: 'graph',
    message: (e.message ?? 'Graph request failed').slice(0, 1024),
    ...(status === undefined ? {} : { status }),
    ...(e.code ? { vendorCode: e.code } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}

/** A `Notifier` that e-mails operators through Graph `sendMail`; contact details are removed first. */
export function createGraphNotifier(args: GraphNotifierArgs): Notifier {
  const base = (args.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const auth = new BearerMiddleware(() => args.tokens.getToken());
  auth.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ baseUrl: `${base}/`, defaultVersion: 'v1.0', middleware: auth, customHosts: new Set([new URL(base).hostname]) });
  const logger = args.logger.child({ component: 'graphNotifier' });
  const clock = args.clock ?? systemClock;
  return {
    async notify(notification: Notification): Promise<void> {
      const recipients = notification.to ?? args.recipients;
      if (recipients.length === 0) return;
      const message = {
        subject: redactContactDetails(notification.subject).slice(0, 255),
        body: { contentType: 'Text', content: redactContactDetails(notification.body) },
        toRecipients: recipients.map((address) => ({ emailAddress: { address } })),
      };
      await withRetry({
        policy: args.retry ?? { ...defaultRetryPolicy, maxAttempts: 3 },
        clock,
        run: async () => {
          try {
            await client.api(`/users/${encodeURIComponent(args.sender)}/sendMail`).post({ message, saveToSentItems: false });
          } catch (error) {
            throw classify(error, clock.now());
          }
        },
        onRetry: (decision, attempt, error) =>
          logger.warn({ attempt, waitMs: decision.waitMs, err: isConnectorError(error) ? error.toLog() : undefined }, 'retrying a Graph notification'),
      });
      logger.info({ kind: notification.kind, recipients: recipients.length }, 'notification sent');
    },
  };
}
