/** The webhook replay memory of the PostgreSQL store (migration 7). */
import type { Queryable } from './postgres-queryable.js';
import { isoToMs } from './row-mapping.js';
import type { WebhookStoreOps } from './webhook-types.js';

export function postgresWebhookOps(args: { db: Queryable; s: string }): WebhookStoreOps {
  const { db, s } = args;
  return {
    takeWebhookEvent: async ({ eventId, now, forgetAfter }) => {
      await db.query(`DELETE FROM ${s}.webhook_events WHERE forget_after_ms < $1`, [isoToMs(now, 'now')]);
      // The primary key settles a race between instances: one insert wins, the other does nothing.
      const { rowCount } = await db.query(`INSERT INTO ${s}.webhook_events (event_id, taken_at, forget_after_ms) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, [
        eventId,
        now,
        isoToMs(forgetAfter, 'forgetAfter'),
      ]);
      return (rowCount ?? 0) > 0;
    },
  };
}
