import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { buildHealthReport, readHealthData, type HealthReport } from '../../src/health/report.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StateStore } from '../../src/store/types.js';
import { NOW, seedHistory, stageStatus } from './seeded-history.js';

describe('co-sell health metrics and findings on a seeded history', () => {
  let store: StateStore;
  let report: HealthReport;
  let ids: Record<string, string>;
  beforeEach(async () => {
    store = openSqliteStore({ path: ':memory:' });
    ids = (await seedHistory(store)).conflictIds;
    const data = await readHealthData(store, { remindersSince: '2026-01-01T00:00:00.000Z' });
    report = buildHealthReport(data, { now: NOW, since: '2026-11-01T00:00:00.000Z', conflictAgeDays: 14, crmStatusOf: stageStatus });
  });
  afterEach(() => store.close());

  it('times answers per week and per month; an expired referral is counted, never timed', () => {
    expect(report.responseTimes.week).toEqual([
      { period: '2026-W45', received: 3, answered: 2, expired: 1, awaiting: 0, p50Hours: 10, p90Hours: 30 },
      { period: '2026-W46', received: 1, answered: 1, expired: 0, awaiting: 0, p50Hours: 2, p90Hours: 2 },
      { period: '2026-W49', received: 1, answered: 0, expired: 0, awaiting: 1, p50Hours: null, p90Hours: null },
    ]);
    expect(report.responseTimes.month).toEqual([
      { period: '2026-11', received: 4, answered: 3, expired: 1, awaiting: 0, p50Hours: 10, p90Hours: 30 },
      { period: '2026-12', received: 1, answered: 0, expired: 0, awaiting: 1, p50Hours: null, p90Hours: null },
    ]);
    expect(report.inbound).toEqual({ received: 5, answered: 3, expired: 1, awaiting: 1, p50Hours: 10, p90Hours: 30 });
  });

  it('counts only referrals received in the period', async () => {
    const later = buildHealthReport(await readHealthData(store, { remindersSince: NOW }), { now: NOW, since: '2026-11-09T00:00:00.000Z', conflictAgeDays: 14, crmStatusOf: null });
    expect(later.inbound).toEqual({ received: 2, answered: 1, expired: 0, awaiting: 1, p50Hours: 2, p90Hours: 2 });
  });

  it('breaks accepted, declined and expired down by source, solution, country and size band', () => {
    const row = (dimension: string, value: string) => report.acceptance.find((r) => r.dimension === dimension && r.value === value);
    expect(row('source', 'microsoft')).toMatchObject({ accepted: 2, declined: 0, expired: 1, awaiting: 1, acceptRate: 0.667 });
    expect(row('source', 'partner')).toMatchObject({ accepted: 0, declined: 1, expired: 0, awaiting: 0, acceptRate: 0 });
    expect(row('dealType', 'qualifiedLead')).toMatchObject({ declined: 1 });
    expect(row('solution', 'Contoso Cloud')).toMatchObject({ accepted: 2, expired: 1, awaiting: 0 });
    expect(row('solution', '(none)')).toMatchObject({ awaiting: 1, acceptRate: null });
    expect(row('country', 'DE')).toMatchObject({ declined: 1 });
    expect(row('country', '(unknown)')).toMatchObject({ accepted: 1 });
    expect(row('size', '51-500')).toMatchObject({ accepted: 1, expired: 1, awaiting: 1 });
    expect(row('size', '1-50')).toMatchObject({ declined: 1 });
    // The outgoing referral made by hand is not an inbound answer.
    expect(report.acceptance.filter((r) => r.dimension === 'source').reduce((n, r) => n + r.accepted + r.declined + r.expired + r.awaiting, 0)).toBe(5);
  });

  it('lists each hygiene finding with the record, why and the fix', () => {
    const by = (rule: string) => report.findings.filter((f) => f.rule === rule);
    expect(by('closeDatePassed')).toEqual([expect.objectContaining({ record: 'salesforce opportunity 006A (referral ref-a)', why: expect.stringContaining('2026-11-30') })]);
    expect(by('closedInCrmOnly')).toEqual([
      expect.objectContaining({ record: 'salesforce opportunity 006W (referral ref-w)', why: expect.stringContaining('Won in the CRM'), fix: expect.stringContaining(ids['heldStatus']!) }),
      expect.objectContaining({ record: 'salesforce opportunity 006L (referral ref-l)', why: expect.stringContaining('Lost in the CRM'), fix: expect.stringContaining('failures retry salesforce:opportunity:006L') }),
    ]);
    expect(by('valuesDiffer')).toEqual([
      expect.objectContaining({ record: 'salesforce opportunity 006V (referral ref-v)', why: expect.stringMatching(/value is 45000 in the CRM and 42000 in Partner Center, held for 17 days/), fix: expect.stringContaining(ids['heldValue']!) }),
    ]);
    expect(by('neverBecameReferral')).toEqual([expect.objectContaining({ record: 'salesforce opportunity 006X', fix: expect.stringContaining('fill Account.BillingCountry') })]);
    expect(by('acceptedNotLinked').map((f) => f.record)).toEqual(['referral ref-d', 'referral ref-f']);
    expect(report.findings).toHaveLength(7);
  });

  it('shows the referrals awaiting an answer, soonest deadline first', () => {
    expect(report.awaiting).toEqual([{ referralId: 'ref-e', name: 'Deal ref-e', respondBy: '2026-12-15T09:00:00.000Z', daysLeft: 8 }]);
  });
});
