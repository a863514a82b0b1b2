/** The co-sell health operations of the PostgreSQL store (referral facts, reminders, registrations). */
import { FACT_COLUMNS, factsUpsertSet, factValues, REGISTRATION_COLUMNS, registrationValues, toFacts, toRegistration, toReminder } from './health-rows.js';
import type { FactRow, RegistrationRow, ReminderRow } from './health-rows.js';
import type { HealthStoreOps } from './health-types.js';
import type { Queryable } from './postgres-queryable.js';
import { isoToMs } from './row-mapping.js';

const placeholders = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

export function postgresHealthOps(args: { db: Queryable; s: string }): HealthStoreOps {
  const { db, s } = args;
  return {
    noteReferrals: async (facts) => {
      if (facts.length === 0) return;
      // A page sees a referral once, but a caller may repeat one: the last sighting wins.
      const unique = [...new Map(facts.map((f) => [f.referralId, f])).values()];
      const width = FACT_COLUMNS.length;
      const rows = unique.map((_, i) => `(${placeholders(i * width + 1, width)})`).join(', ');
      // One statement, so a page of sightings lands whole.
      await db.query(
        `INSERT INTO ${s}.referral_facts AS f (${FACT_COLUMNS.join(', ')}) VALUES ${rows}
         ON CONFLICT (referral_id) DO UPDATE SET ${factsUpsertSet('f', 'EXCLUDED')}`,
        unique.flatMap(factValues),
      );
    },
    listReferralFacts: async ({ receivedSince, direction }) => {
      const where = [...(receivedSince === undefined ? [] : ['received_ms >= $1'])];
      const values: unknown[] = receivedSince === undefined ? [] : [isoToMs(receivedSince, 'receivedSince')];
      if (direction !== undefined) {
        values.push(direction);
        where.push(`direction = $${values.length}`);
      }
      const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
      const { rows } = await db.query<FactRow>(`SELECT * FROM ${s}.referral_facts ${filter} ORDER BY received_ms, referral_id`, values);
      return rows.map(toFacts);
    },
    listAwaitingAnswer: async ({ now }) =>
      (
        await db.query<FactRow>(
          `SELECT * FROM ${s}.referral_facts WHERE answer IS NULL AND respond_by_ms > $1 AND direction = 'Incoming' ORDER BY respond_by_ms, referral_id`,
          [isoToMs(now, 'now')],
        )
      ).rows.map(toFacts),
    claimReminder: async ({ referralId, daysLeft, now, staleBefore }) => {
      // ON CONFLICT ... DO UPDATE locks the row and re-checks the WHERE: two instances racing for
      // one reminder cannot both claim it.
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.reminders AS r (referral_id, days_left, state, recipient, claimed_at, claimed_ms, settled_at, detail)
         VALUES ($1, $2, 'sending', NULL, $3, $4, NULL, NULL)
         ON CONFLICT (referral_id, days_left) DO UPDATE SET state = 'sending', claimed_at = EXCLUDED.claimed_at,
           claimed_ms = EXCLUDED.claimed_ms, settled_at = NULL, detail = NULL
         WHERE r.state = 'failed' OR (r.state = 'sending' AND r.claimed_ms <= $5)`,
        [referralId, daysLeft, now, isoToMs(now, 'now'), isoToMs(staleBefore, 'staleBefore')],
      );
      return (rowCount ?? 0) > 0;
    },
    settleReminder: async ({ referralId, daysLeft, state, recipient, at, detail }) => {
      await db.query(`UPDATE ${s}.reminders SET state = $1, recipient = $2, settled_at = $3, detail = $4 WHERE referral_id = $5 AND days_left = $6`, [
        state,
        recipient,
        at,
        detail,
        referralId,
        daysLeft,
      ]);
    },
    listReminders: async ({ since }) =>
      (
        await db.query<ReminderRow>(`SELECT * FROM ${s}.reminders WHERE claimed_ms >= $1 ORDER BY claimed_ms DESC, referral_id, days_left`, [
          isoToMs(since, 'since'),
        ])
      ).rows.map(toReminder),
    getRegistration: async (referralId) => {
      const row = (await db.query<RegistrationRow>(`SELECT * FROM ${s}.registrations WHERE referral_id = $1`, [referralId])).rows[0];
      return row === undefined ? null : toRegistration(row);
    },
    saveRegistration: async (record) => {
      const set = REGISTRATION_COLUMNS.filter((c) => c !== 'referral_id')
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(', ');
      await db.query(
        `INSERT INTO ${s}.registrations (${REGISTRATION_COLUMNS.join(', ')}) VALUES (${placeholders(1, REGISTRATION_COLUMNS.length)})
         ON CONFLICT (referral_id) DO UPDATE SET ${set}`,
        registrationValues(record),
      );
    },
    listRegistrations: async () =>
      (await db.query<RegistrationRow>(`SELECT * FROM ${s}.registrations ORDER BY attempted_at, referral_id`)).rows.map(toRegistration),
  };
}
