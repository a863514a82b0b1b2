/**
 * The first webhook after a start, as a user meets it: the sandbox emulators, `cosell-sync auth
 * login`, then the real daemon (`cosell-sync run`, in this process) with its polls set to once a
 * year. The daemon signs in to Salesforce and reads the describes inbound referrals need while it
 * starts, so the first referral a webhook names lands with writes alone, as every later one does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { eventually } from '../app/helpers.js';
import { startWebhookDaemon, type WebhookDaemon } from './webhook-daemon.js';

const SIGN_IN = 'POST /services/oauth2/token';
const DESCRIBE = 'GET describe';

describe('the first webhook after the daemon starts (sandbox, real daemon)', () => {
  let daemon: WebhookDaemon;
  let atStart: Record<string, number> = {};

  beforeAll(async () => {
    daemon = await startWebhookDaemon({
      seed: 15,
      beforeRun: (sandbox) => sandbox.salesforce!.server.stats.reset(),
      started: (sandbox) => (atStart = sandbox.salesforce!.server.stats.byRoute()),
    });
  }, 120_000);

  afterAll(() => daemon.close());

  it('has signed in to Salesforce and described what inbound referrals become before it listens', () => {
    expect(atStart[SIGN_IN]).toBe(1);
    expect(atStart[DESCRIBE]).toBeGreaterThan(0);
  });

  it('lands the first referral a webhook names without signing in or describing', async () => {
    const { sandbox, log } = daemon;
    sandbox.salesforce!.server.stats.reset();
    const invite = sandbox.partnerCenter.control.createInbound({ category: 'coSellInvite' });
    const landed = (): boolean =>
      sandbox.salesforce!.control.query({ soql: `SELECT Id FROM Opportunity WHERE Referral_Id__c = '${invite.id}'` }).length === 1;
    await eventually(landed, 60_000);
    const calls = sandbox.salesforce!.server.stats.byRoute();
    expect(calls[SIGN_IN]).toBeUndefined();
    expect(calls[DESCRIBE]).toBeUndefined();
    expect(calls['POST composite/sobjects']).toBeGreaterThan(0);
    // Nothing warned but the notice `webhooks register` gives about replacing other registrations.
    const warnings = log.lines().filter((l) => ['warn', 'error', 'fatal'].includes(String(l['level'])) && l['component'] !== 'partnerCenterWebhookRegistration');
    expect(warnings).toEqual([]);
  }, 60_000);
});
