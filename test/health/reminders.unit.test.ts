import { describe, expect, it } from '@jest/globals';
import { dueReminders, reminderMail } from '../../src/health/reminders.js';
import type { ReferralFacts } from '../../src/store/health-types.js';

const DAY = 86_400_000;
const RECEIVED = '2026-12-01T00:00:00.000Z';
const DEADLINE = '2026-12-15T00:00:00.000Z';
const day = (n: number): string => new Date(Date.parse(RECEIVED) + n * DAY).toISOString();

const awaiting = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  referralId: 'r1',
  direction: 'Incoming',
  name: 'Fabrikam migration',
  receivedAt: RECEIVED,
  respondBy: DEADLINE,
  status: 'New/Pending',
  answer: null,
  answeredAt: null,
  source: 'microsoft',
  dealType: 'coSellOpportunity',
  solution: null,
  country: 'US',
  size: null,
  dealValue: null,
  currency: null,
  firstSeenAt: RECEIVED,
  lastSeenAt: RECEIVED,
  ...over,
});

const plan = (now: string, f = awaiting()) => dueReminders({ awaiting: [f], points: [7, 2], now }).map((d) => `${d.daysLeft}:${d.action}`);

describe('which expiry reminders are due', () => {
  it('none before 7 days are left; the 7-day one at 7 days left; the 2-day one as well at 2 days left', () => {
    expect(plan(day(6.9))).toEqual([]);
    expect(plan(day(7))).toEqual(['7:send']);
    // The 7-day point stays due (its claim in the store keeps it to one mail); the 2-day one is the one to send.
    expect(plan(day(12.5))).toEqual(['2:send', '7:skip']);
  });

  it('nothing once the deadline passed or the referral was answered', () => {
    expect(plan(day(14))).toEqual([]);
    expect(plan(day(13), awaiting({ answer: 'accepted' }))).toEqual([]);
  });

  it('one mail, the most urgent, for a referral first seen with a day left', () => {
    expect(plan(day(13), awaiting())).toEqual(['2:send', '7:skip']);
  });

  it('says when it expires and where to answer, without contact details of anyone', () => {
    const [r] = dueReminders({ awaiting: [awaiting()], points: [2], now: day(12.5) });
    const mail = reminderMail({ reminder: r!, now: day(12.5), crmRecord: 'salesforce opportunity 006A' });
    expect(mail.subject).toBe('Co-sell referral "Fabrikam migration" expires in 1 day');
    expect(mail.body).toContain('2026-12-15 00:00 UTC');
    expect(mail.body).toContain('salesforce opportunity 006A');
  });
});
