/**
 * Webhook events already taken: Partner Center's payload carries no event id, so an event is
 * known by a digest of its signed body. Kept for as long as the event could still be accepted on
 * its age, so a replayed post is recognised across restarts and by every instance.
 */
export interface WebhookStoreOps {
  /**
   * Records the event as taken: true the first time, false when it was taken before and is still
   * remembered. An event whose `forgetAfter` has passed (at `now`) is forgotten: taken again, it
   * is new. The rows of forgotten events are deleted by a take at most once a minute of `now`
   * per store (webhook-forget.ts), not by every take.
   */
  takeWebhookEvent(args: { eventId: string; now: string; forgetAfter: string }): Promise<boolean>;
}
