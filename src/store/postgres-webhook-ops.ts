/** The webhook replay memory of the PostgreSQL store (migration 7). */
import type { Queryable } from './postgres-queryable.js';
import { isoToMs } from './row-mapping.js';
import type { ForgetSchedule } from './webhook-forget.js';
import type { WebhookStoreOps } from './webhook-types.js';

export function postgresWebhookOps(args: { db: Queryable; s: string; forget: ForgetSchedule }): WebhookStoreOps {
  const { db, s, forget } = args;
  return {
    takeWebhookEvent: async ({ eventId, now, forgetAfter }) => {
      const nowMs = isoToMs(now, 'now');
      if (forget.due(nowMs)) await db.query(`DELETE FROM ${s}.webhook_events WHERE forget_after_ms < $1`, [nowMs]);
      // A digest past its forgetAfter but not yet deleted counts as forgotten: the take overwrites
      // it. The primary key settles a race between instances: one insert (or overwrite) wins, the
      // other, re-checking the row the winner wrote, does nothing.
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.webhook_events (event_id, taken_at, forget_after_ms) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO UPDATE SET taken_at = EXCLUDED.taken_at, forget_after_ms = EXCLUDED.forget_after_ms
         WHERE ${s}.webhook_events.forget_after_ms < $4`,
        [eventId, now, isoToMs(forgetAfter, 'forgetAfter'), nowMs],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
