/** The webhook replay memory of the SQLite store (migration 7). */
import type { Database } from 'better-sqlite3';
import { isoToMs } from './row-mapping.js';
import type { WebhookStoreOps } from './webhook-types.js';

export function sqliteWebhookOps(args: { db: Database }): WebhookStoreOps {
  const { db } = args;
  const forget = db.prepare('DELETE FROM webhook_events WHERE forget_after_ms < ?');
  const take = db.prepare('INSERT INTO webhook_events (event_id, taken_at, forget_after_ms) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING');
  // better-sqlite3 turns this into a SAVEPOINT when a store transaction is already open.
  const takeOnce = db.transaction((eventId: string, now: string, forgetAfter: string): boolean => {
    forget.run(isoToMs(now, 'now'));
    return take.run(eventId, now, isoToMs(forgetAfter, 'forgetAfter')).changes > 0;
  });
  return {
    takeWebhookEvent: async ({ eventId, now, forgetAfter }) => takeOnce.immediate(eventId, now, forgetAfter),
  };
}
