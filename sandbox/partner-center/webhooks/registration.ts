/**
 * The webhook registration of the one partner tenant the emulator serves (Partner Center docs, "Partner Center webhooks",
 * registration): one callback URL for the registered events.
 */
import type { Random } from '../../shared/random.js';

/** "Partner Center webhooks": the referral events, plus the validation event the registration API offers. */
export const REFERRAL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;
export const SUPPORTED_EVENTS = ['test-created', ...REFERRAL_EVENTS] as const;
export type WebhookEventName = (typeof SUPPORTED_EVENTS)[number];

export interface WebhookRegistration {
  SubscriberId: string;
  WebhookUrl: string;
  WebhookEvents: WebhookEventName[];
  /** "Partner Center webhooks": send the signature in `x-ms-signature` instead of `Authorization`. */
  SignatureTokenToMsSignatureHeader: boolean;
}

export type RegistrationInput =
  | { ok: true; value: Omit<WebhookRegistration, 'SubscriberId'> }
  | { ok: false; message: string };

/** Checks a POST/PUT body. Only loopback URLs are accepted: the sandbox never calls out. */
export function readRegistration(body: unknown): RegistrationInput {
  if (typeof body !== 'object' || body === null) return { ok: false, message: 'The body must be an object' };
  const input = body as Record<string, unknown>;
  let url: URL;
  try {
    url = new URL(String(input.WebhookUrl));
  } catch {
    return { ok: false, message: 'WebhookUrl must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'WebhookUrl must be http(s)' };
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    return { ok: false, message: 'The sandbox only delivers webhooks to loopback addresses' };
  }
  const events = input.WebhookEvents;
  if (!Array.isArray(events) || events.length === 0) return { ok: false, message: 'WebhookEvents must list at least one event' };
  const unknown = events.filter((e) => !(SUPPORTED_EVENTS as readonly unknown[]).includes(e));
  if (unknown.length > 0) return { ok: false, message: `Unknown webhook events: ${unknown.join(', ')}` };
  return {
    ok: true,
    value: {
      WebhookUrl: url.toString(),
      WebhookEvents: [...new Set(events as WebhookEventName[])],
      SignatureTokenToMsSignatureHeader: input.SignatureTokenToMsSignatureHeader === true,
    },
  };
}

export class RegistrationBook {
  private current: WebhookRegistration | null = null;

  constructor(private readonly random: Random) {}

  get(): WebhookRegistration | null {
    return this.current;
  }

  /** "Partner Center webhooks": one URL per event per tenant; a new registration replaces the old one. */
  register(value: Omit<WebhookRegistration, 'SubscriberId'>): WebhookRegistration {
    this.current = { SubscriberId: this.current?.SubscriberId ?? this.random.guid(), ...value };
    return this.current;
  }

  remove(): boolean {
    const had = this.current !== null;
    this.current = null;
    return had;
  }
}
