/** The webhook replay memory of the SQLite store (migration 7). */
import type { Database } from 'better-sqlite3';
import { isoToMs } from './row-mapping.js';
import type { ForgetSchedule } from './webhook-forget.js';
import type { WebhookStoreOps } from './webhook-types.js';

export function sqliteWebhookOps(args: { db: Database; forget: ForgetSchedule }): WebhookStoreOps {
  const { db, forget } = args;
  const forgetExpired = db.prepare('DELETE FROM webhook_events WHERE forget_after_ms < ?');
  // A digest past its forgetAfter but not yet deleted counts as forgotten: the take overwrites it.
  const take = db.prepare(
    `INSERT INTO webhook_events (event_id, taken_at, forget_after_ms) VALUES (?, ?, ?)
     ON CONFLICT (event_id) DO UPDATE SET taken_at = excluded.taken_at, forget_after_ms = excluded.forget_after_ms
     WHERE webhook_events.forget_after_ms < ?`,
  );
  // better-sqlite3 turns this into a SAVEPOINT when a store transaction is already open.
  const takeOnce = db.transaction((eventId: string, now: string, forgetAfter: string): boolean => {
    const nowMs = isoToMs(now, 'now');
    if (forget.due(nowMs)) forgetExpired.run(nowMs);
    return take.run(eventId, now, isoToMs(forgetAfter, 'forgetAfter'), nowMs).changes > 0;
  });
  return {
    takeWebhookEvent: async ({ eventId, now, forgetAfter }) => takeOnce.immediate(eventId, now, forgetAfter),
  };
}
