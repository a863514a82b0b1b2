/** The co-sell health operations of the SQLite store (referral facts, reminders, registrations). */
import type { Database } from 'better-sqlite3';
import { FACT_COLUMNS, factsUpsertSet, factValues, REGISTRATION_COLUMNS, registrationValues, toFacts, toRegistration, toReminder } from './health-rows.js';
import type { FactRow, RegistrationRow, ReminderRow } from './health-rows.js';
import type { HealthStoreOps, ReferralFacts } from './health-types.js';
import { isoToMs } from './row-mapping.js';

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

export function sqliteHealthOps(args: { db: Database }): HealthStoreOps {
  const { db } = args;
  const sql = {
    noteFact: db.prepare(
      `INSERT INTO referral_facts (${FACT_COLUMNS.join(', ')}) VALUES (${marks(FACT_COLUMNS.length)})
       ON CONFLICT (referral_id) DO UPDATE SET ${factsUpsertSet('referral_facts', 'excluded')}`,
    ),
    factsAll: db.prepare<[], FactRow>('SELECT * FROM referral_facts ORDER BY received_ms, referral_id'),
    factsSince: db.prepare<[number], FactRow>('SELECT * FROM referral_facts WHERE received_ms >= ? ORDER BY received_ms, referral_id'),
    awaiting: db.prepare<[number], FactRow>(
      "SELECT * FROM referral_facts WHERE answer IS NULL AND respond_by_ms > ? AND direction = 'Incoming' ORDER BY respond_by_ms, referral_id",
    ),
    // Claimable: never claimed, failed before, or claimed so long ago that its sender must have died.
    claim: db.prepare(
      `INSERT INTO reminders (referral_id, days_left, state, recipient, claimed_at, claimed_ms, settled_at, detail)
       VALUES (?, ?, 'sending', NULL, ?, ?, NULL, NULL)
       ON CONFLICT (referral_id, days_left) DO UPDATE SET state = 'sending', claimed_at = excluded.claimed_at,
         claimed_ms = excluded.claimed_ms, settled_at = NULL, detail = NULL
       WHERE reminders.state = 'failed' OR (reminders.state = 'sending' AND reminders.claimed_ms <= ?)`,
    ),
    settle: db.prepare('UPDATE reminders SET state = ?, recipient = ?, settled_at = ?, detail = ? WHERE referral_id = ? AND days_left = ?'),
    reminders: db.prepare<[number], ReminderRow>('SELECT * FROM reminders WHERE claimed_ms >= ? ORDER BY claimed_ms DESC, referral_id, days_left'),
    getRegistration: db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE referral_id = ?'),
    saveRegistration: db.prepare(
      `INSERT INTO registrations (${REGISTRATION_COLUMNS.join(', ')}) VALUES (${marks(REGISTRATION_COLUMNS.length)})
       ON CONFLICT (referral_id) DO UPDATE SET ${REGISTRATION_COLUMNS.filter((c) => c !== 'referral_id')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
    ),
    registrations: db.prepare<[], RegistrationRow>('SELECT * FROM registrations ORDER BY attempted_at, referral_id'),
  };
  // better-sqlite3 turns this into a SAVEPOINT when a store transaction is already open.
  const noteAll = db.transaction((facts: readonly ReferralFacts[]) => {
    for (const f of facts) sql.noteFact.run(...factValues(f));
  });

  return {
    noteReferrals: async (facts) => {
      noteAll.immediate(facts);
    },
    listReferralFacts: async ({ receivedSince, direction }) => {
      const rows = receivedSince === undefined ? sql.factsAll.all() : sql.factsSince.all(isoToMs(receivedSince, 'receivedSince'));
      return rows.map(toFacts).filter((f) => direction === undefined || f.direction === direction);
    },
    listAwaitingAnswer: async ({ now }) => sql.awaiting.all(isoToMs(now, 'now')).map(toFacts),
    claimReminder: async ({ referralId, daysLeft, now, staleBefore }) =>
      sql.claim.run(referralId, daysLeft, now, isoToMs(now, 'now'), isoToMs(staleBefore, 'staleBefore')).changes > 0,
    settleReminder: async ({ referralId, daysLeft, state, recipient, at, detail }) => {
      sql.settle.run(state, recipient, at, detail, referralId, daysLeft);
    },
    listReminders: async ({ since }) => sql.reminders.all(isoToMs(since, 'since')).map(toReminder),
    getRegistration: async (referralId) => {
      const row = sql.getRegistration.get(referralId);
      return row === undefined ? null : toRegistration(row);
    },
    saveRegistration: async (record) => {
      sql.saveRegistration.run(...registrationValues(record));
    },
    listRegistrations: async () => sql.registrations.all().map(toRegistration),
  };
}
