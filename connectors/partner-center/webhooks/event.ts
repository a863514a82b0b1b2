/**
 * The webhook payload (Partner Center docs, "Partner Center webhooks"). It carries no referral data: only which event happened and
 * the ResourceUri, whose host and path are not the Referrals API's, so only the id (its last path
 * segment) is used and the referral is fetched through the connector.
 */
import { z } from 'zod';
import { err, ok } from '../../../src/domain/result.js';
import type { Result } from '../../../src/domain/result.js';

export const REFERRAL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;
export type ReferralEventName = (typeof REFERRAL_EVENTS)[number];

export interface WebhookEvent {
  eventName: string;
  /** Null for events that are not about a referral (`test-created`). */
  referralId: string | null;
  changedAt: string | null;
}

export const webhookPayloadSchema = z.looseObject({
  EventName: z.string().optional(),
  eventName: z.string().optional(),
  ResourceUri: z.string().nullish(),
  resourceUri: z.string().nullish(),
  ResourceChangeUtcDate: z.string().nullish(),
  resourceChangeUtcDate: z.string().nullish(),
});

export const isReferralEvent = (name: string): name is ReferralEventName => (REFERRAL_EVENTS as readonly string[]).includes(name);

export function parseWebhookEvent(body: unknown): Result<WebhookEvent, string> {
  const parsed = webhookPayloadSchema.safeParse(body);
  if (!parsed.success) return err('the webhook body is not an object');
  const p = parsed.data;
  const eventName = p.EventName ?? p.eventName;
  if (eventName === undefined || eventName === '') return err('EventName is missing');
  const uri = p.ResourceUri ?? p.resourceUri ?? null;
  const changedAt = p.ResourceChangeUtcDate ?? p.resourceChangeUtcDate ?? null;
  if (!isReferralEvent(eventName)) return ok({ eventName, referralId: null, changedAt });
  if (uri === null || uri === '') return err('ResourceUri is missing');
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    path = uri.split('?')[0] ?? '';
  }
  const id = decodeURIComponent(path.split('/').filter((s) => s !== '').at(-1) ?? '');
  if (id === '' || id === 'referrals') return err('ResourceUri names no referral');
  return ok({ eventName, referralId: id, changedAt });
}
