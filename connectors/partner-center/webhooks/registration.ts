/**
 * Webhook registration on the CSP host (Partner Center docs, "Partner Center webhooks"), with the token of the other audience
 * (`api.partnercenter.microsoft.com`). Partner Center keeps ONE callback URL per event per tenant:
 * registering replaces any other integration's URL, Microsoft's own connectors included.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../../src/core/clock.js';
import { isConnectorError } from '../../errors.js';
import { RateLimiter } from '../../shared/rate-limit.js';
import { defaultRetryPolicy } from '../../shared/retry.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { createHttpTransport } from '../http.js';
import type { HttpTransport } from '../http.js';
import { createRequester } from '../request.js';
import { REFERRAL_EVENTS } from './event.js';

export const ONE_URL_PER_EVENT_WARNING =
  'Partner Center keeps only ONE webhook URL per event per tenant: this registration replaces any other integration registered for these events ' +
  "(including Microsoft's Power Automate co-sell connectors, which then stop receiving referral events).";

export interface WebhookRegistration {
  subscriberId: string | null;
  webhookUrl: string;
  events: string[];
}

const registrationSchema = z.looseObject({
  SubscriberId: z.string().nullish(),
  subscriberId: z.string().nullish(),
  WebhookUrl: z.string().nullish(),
  webhookUrl: z.string().nullish(),
  WebhookEvents: z.array(z.string()).nullish(),
  webhookEvents: z.array(z.string()).nullish(),
});

function toRegistration(json: unknown): WebhookRegistration | null {
  const r = registrationSchema.safeParse(json);
  if (!r.success) return null;
  const url = r.data.WebhookUrl ?? r.data.webhookUrl;
  if (url === undefined || url === null) return null;
  return { subscriberId: r.data.SubscriberId ?? r.data.subscriberId ?? null, webhookUrl: url, events: r.data.WebhookEvents ?? r.data.webhookEvents ?? [] };
}

export interface WebhookRegistrationClient {
  /** Registers `url` for the events (default: the four referral events). Logs the one-URL warning. */
  register(args: { url: string; events?: readonly string[] }): Promise<WebhookRegistration>;
  get(): Promise<WebhookRegistration | null>;
  update(args: { url: string; events?: readonly string[] }): Promise<WebhookRegistration>;
  unregister(): Promise<void>;
  listEvents(): Promise<string[]>;
  close(): void;
}

export function createWebhookRegistrationClient(
  options: { baseUrl?: string; timeoutMs?: number; ca?: string },
  deps: { tokens: TokenProvider; logger: Logger; clock: Clock; transport?: HttpTransport },
): WebhookRegistrationClient {
  const base = new URL(options.baseUrl ?? 'https://api.partnercenter.microsoft.com');
  const url = (suffix = ''): URL => new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/webhooks/v1/registration${suffix}`);
  const logger = deps.logger.child({ component: 'partnerCenterWebhookRegistration' });
  const transport = deps.transport ?? createHttpTransport({ system: 'partnerCenter', ...(options.ca === undefined ? {} : { ca: options.ca }) });
  const request = createRequester({
    transport,
    tokens: deps.tokens,
    limiter: new RateLimiter({ concurrency: 1, intervalCap: 2, intervalMs: 1000 }, deps.clock),
    clock: deps.clock,
    logger,
    policy: { ...defaultRetryPolicy, maxAttempts: 3 },
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', suffix = '', body?: unknown) =>
    request({ method, url: url(suffix), audience: 'webhooks', correlationId: randomUUID(), ...(body === undefined ? {} : { body, requestId: randomUUID() }) });
  const write = async (method: 'POST' | 'PUT', args: { url: string; events?: readonly string[] }): Promise<WebhookRegistration> => {
    const events = [...(args.events ?? REFERRAL_EVENTS)];
    logger.warn({ events }, ONE_URL_PER_EVENT_WARNING);
    const res = await call(method, '', { WebhookUrl: args.url, WebhookEvents: events });
    return toRegistration(res.json) ?? { subscriberId: null, webhookUrl: args.url, events };
  };
  return {
    register: (args) => write('POST', args),
    update: (args) => write('PUT', args),
    async get() {
      try {
        return toRegistration((await call('GET')).json);
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'notFound') return null;
        throw error;
      }
    },
    async unregister() {
      await call('DELETE');
    },
    async listEvents() {
      const json = (await call('GET', '/events')).json;
      return Array.isArray(json) ? json.filter((e): e is string => typeof e === 'string') : [];
    },
    close: () => transport.close(),
  };
}
