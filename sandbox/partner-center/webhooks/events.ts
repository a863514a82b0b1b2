/**
 * Which events a referral change produces (Partner Center docs, "Partner Center webhook events"): `referral-created|updated`
 * for the referral itself and `related-referral-created|updated` for every other referral of the
 * same engagement.
 */
import type { WebhookOptions } from '../options.js';
import type { ReferralChange, ReferralStore } from '../store.js';
import type { WebhookPayload } from './dispatcher.js';

/** The documented ResourceUri form (Partner Center docs, "Partner Center webhooks", payload). */
const DOCUMENTED_RESOURCE_BASE = 'https://api.partnercenter.microsoft.com/engagements/v1/referrals';

export function eventsFor(args: {
  change: ReferralChange;
  store: ReferralStore;
  options: WebhookOptions;
  baseUrl: string;
}): WebhookPayload[] {
  const { change, store } = args;
  const resourceBase =
    args.options.resourceUriStyle === 'documented' ? DOCUMENTED_RESOURCE_BASE : `${args.baseUrl}/v1.0/engagements/referrals`;
  // Partner Center docs, "Partner Center webhooks" sample: "2018-02-17T00:05:39.5485487+00:00" (seven digits, explicit offset).
  const changedAt = change.referral.updatedDateTime.replace(/Z$/, '+00:00');
  const make = (eventName: WebhookPayload['EventName'], id: string): WebhookPayload => ({
    EventName: eventName,
    ResourceUri: `${resourceBase}/${id}`,
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: changedAt,
  });
  const own = make(change.kind === 'created' ? 'referral-created' : 'referral-updated', change.referral.id);
  // The related event names the partner's referral whose engagement changed, so a receiver GETs
  // its own referral and follows links.relatedReferrals (Partner Center docs, "Partner Center webhooks" give no sample).
  const related = store
    .engagement(change.referral.engagementId)
    .filter((other) => other.id !== change.referral.id)
    .map((other) => make(change.kind === 'created' ? 'related-referral-created' : 'related-referral-updated', other.id));
  return [own, ...related];
}
