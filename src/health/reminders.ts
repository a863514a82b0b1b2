/**
 * Which expiry reminders are due (a pure function): an inbound referral still unanswered gets a
 * reminder at each configured point before its 14-day deadline (default 7 and 2 days left). When
 * several points are due at once (a referral first seen late, a daemon that was down), only the
 * most urgent is sent and the earlier ones are recorded as skipped: one mail, not three.
 */
import type { ReferralFacts } from '../store/health-types.js';

const DAY_MS = 86_400_000;

export interface DueReminder {
  referralId: string;
  name: string;
  respondBy: string;
  daysLeft: number;
  action: 'send' | 'skip';
}

export function dueReminders(args: { awaiting: readonly ReferralFacts[]; points: readonly number[]; now: string }): DueReminder[] {
  const now = Date.parse(args.now);
  return args.awaiting.flatMap((f) => {
    if (f.direction !== 'Incoming' || f.answer !== null || f.respondBy === null) return [];
    const deadline = Date.parse(f.respondBy);
    if (deadline <= now) return [];
    const due = args.points.filter((p) => now >= deadline - p * DAY_MS).sort((a, b) => a - b);
    const urgent = due[0];
    return due.map((daysLeft) => ({ referralId: f.referralId, name: f.name, respondBy: f.respondBy as string, daysLeft, action: daysLeft === urgent ? ('send' as const) : ('skip' as const) }));
  });
}

/** The mail of one reminder: the deal, the deadline and what to do; never customer contact details. */
export function reminderMail(args: { reminder: DueReminder; now: string; crmRecord: string | null }): { subject: string; body: string } {
  const { reminder, crmRecord } = args;
  const left = Math.max(0, Date.parse(reminder.respondBy) - Date.parse(args.now));
  const days = Math.floor(left / DAY_MS);
  const when = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${Math.max(1, Math.round(left / 3_600_000))} hours`;
  return {
    subject: `Co-sell referral "${reminder.name}" expires in ${when}`,
    body: [
      `The co-sell referral "${reminder.name}" (Partner Center referral ${reminder.referralId}) has not been accepted or declined.`,
      `It expires on ${reminder.respondBy.slice(0, 16).replace('T', ' ')} UTC; then Partner Center closes it and tells the sender it went unanswered.`,
      crmRecord === null
        ? 'Accept or decline it in Partner Center (Referrals > Co-sell opportunities).'
        : `Accept or decline it in the CRM (${crmRecord}); the sync carries your answer to Partner Center.`,
      'Answering quickly is what Partner Center advises for getting more co-sell referrals.',
    ].join('\n\n'),
  };
}
