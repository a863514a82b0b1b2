/**
 * Webhook events already taken: Partner Center's payload carries no event id, so an event is
 * known by a digest of its signed body. Kept for as long as the event could still be accepted on
 * its age, so a replayed post is recognised across restarts and by every instance.
 */
export interface WebhookStoreOps {
  /**
   * Records the event as taken: true the first time, false when it was taken before and is still
   * remembered. Events whose `forgetAfter` has passed (at `now`) are forgotten in the same call.
   */
  takeWebhookEvent(args: { eventId: string; now: string; forgetAfter: string }): Promise<boolean>;
}
