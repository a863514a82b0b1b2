/**
 * A burst of webhooks as a user meets it: the sandbox emulators, `cosell-sync auth login`, the
 * real daemon (`cosell-sync run`, in this process) with its webhook URL registered and its polls
 * set to once a year, so only webhooks move referrals. A hundred co-sell invitations arrive at
 * once, some edited in Partner Center straight away (a second event each, racing the first):
 * every one lands in Salesforce once, with its latest name, and every event is delivered.
 */
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { openStore } from '../../src/store/open-store.js';
import { eventually } from '../app/helpers.js';
import { startWebhookDaemon, type WebhookDaemon } from './webhook-daemon.js';

const BURST = 100;
const EDITED = 10;

describe('a burst of Partner Center webhooks (sandbox, real daemon)', () => {
  let daemon: WebhookDaemon;

  beforeAll(async () => {
    daemon = await startWebhookDaemon({ seed: 14 });
  }, 120_000);

  afterAll(() => daemon.close());

  it('lands every co-sell invitation of the burst once, each with its latest state', async () => {
    const { sandbox, log } = daemon;
    const pc = sandbox.partnerCenter.control;
    const invites = Array.from({ length: BURST }, () => pc.createInbound({ category: 'coSellInvite' }));
    const latestName = new Map(invites.map((r) => [r.id, r.name]));
    for (const r of invites.slice(0, EDITED)) latestName.set(r.id, pc.editAsUser({ id: r.id, changes: { name: `${r.name} (edited)` } }).name);

    const opportunities = (): { Referral_Id__c: string; Name: string }[] =>
      sandbox.salesforce!.control.query({ soql: 'SELECT Id, Name, Referral_Id__c FROM Opportunity WHERE Referral_Id__c != null' }) as { Referral_Id__c: string; Name: string }[];
    const landedAsLatest = (): boolean => {
      const names = new Map(opportunities().map((o) => [o.Referral_Id__c, o.Name]));
      return [...latestName].every(([id, name]) => names.get(id) === name);
    };
    await eventually(landedAsLatest, 60_000);
    await pc.webhooksIdle();
    // Whatever the daemon still had in hand ends before it stops.
    daemon.stop();
    expect(await daemon.exited).toBe(0);

    const perReferral = new Map<string, number>();
    for (const o of opportunities()) perReferral.set(o.Referral_Id__c, (perReferral.get(o.Referral_Id__c) ?? 0) + 1);
    expect(invites.filter((r) => perReferral.get(r.id) !== 1)).toEqual([]);
    expect([...perReferral.keys()].filter((id) => !latestName.has(id))).toEqual([]);
    expect(landedAsLatest()).toBe(true);

    const store = await openStore({ kind: 'sqlite', path: join(daemon.dir, 'state.sqlite') });
    try {
      const links = await store.findLinksByReferralIds(invites.map((r) => r.id));
      expect(links.filter((l) => l.state === 'linked')).toHaveLength(BURST);
    } finally {
      await store.close();
    }
    const deliveries = pc.webhookDeliveries().filter((d) => d.payload.EventName !== 'test-created');
    expect(deliveries.filter((d) => d.state !== 'delivered')).toEqual([]);
    expect(log.lines().filter((l) => ['error', 'fatal'].includes(String(l['level'])))).toEqual([]);
  }, 120_000);
});
