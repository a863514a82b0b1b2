/**
 * A referral Microsoft sent becomes a CRM record seeded with its customer. What the CRM gave the
 * new record that Partner Center does not hold yet (its id, the owner Dataverse assigns) goes back
 * in the same cycle, one PATCH per referral without reading it first; the customer is not sent
 * back. The next cycle, in a new process, reads the new records (their creation moved their
 * stamps), finds them as the import left them and sends nothing but its list calls. Counted by
 * the emulators' own request logs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CrmSystem } from '../../src/domain/crm-record.js';
import { pino } from 'pino';
import { composeEngine } from '../../src/app/compose.js';
import { runCycle } from '../../src/engine/cycle.js';
import { sandboxTime, startHarness, type Harness } from '../support/sandbox-harness.js';

/** The currencies of the Dataverse sandbox org; it rightly refuses a referral in any other. */
const ORG_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'INR'];

describe.each(['salesforce', 'dynamics'] as const)('%s', (crm: CrmSystem) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 4, crms: [crm] });
    // The seeded deals are shared and their write-backs read back first: what follows is imports only.
    await runCycle(h.engine.deps);
    await runCycle(h.engine.deps);
  }, 60_000);
  afterAll(() => h.close());

  const pc = () => h.sandbox.partnerCenter;
  const crmServer = () => (crm === 'salesforce' ? h.sandbox.salesforce! : h.sandbox.dynamics!).server;
  const calls = () => pc().server.stats.log().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/, ':id')}`);
  const isList = (call: string) => call === 'GET /v1.0/engagements/referrals' || call.startsWith('GET /v1.0/engagements/referrals?');
  const inbound = (category: 'coSellInvite' | 'lead') => {
    for (;;) {
      const referral = pc().control.createInbound({ category, overrides: { status: 'Active', substatus: 'Accepted' } });
      if (crm === 'salesforce' || ORG_CURRENCIES.includes(String(referral.details?.currency))) return referral;
    }
  };

  it('an import writes the CRM id back in its own cycle, without reading the referral first, and the next cycle sends nothing', async () => {
    const sent = [inbound('coSellInvite'), inbound('lead')];
    pc().server.stats.reset();
    await runCycle(h.engine.deps);
    const links = await h.store.findLinksByReferralIds(sent.map((r) => r.id));
    expect(links.map((l) => l.state)).toEqual(['linked', 'linked']);
    const importCalls = calls();
    expect(importCalls.filter((c) => c === 'GET /v1.0/engagements/referrals/:id')).toEqual([]);
    expect(importCalls.filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
    for (const referral of sent) {
      const now = pc().control.get(referral.id);
      const link = links.find((l) => l.referralId === referral.id);
      expect(now?.externalReferenceId).toBe(link?.crmId);
      expect(now?.customerProfile).toEqual(referral.customerProfile);
    }
    // What `cosell-sync history` shows was written to Partner Center after the import.
    const history = await h.store.listHistory({ crmIds: links.map((l) => l.crmId!), referralIds: [], limit: 50 });
    const sentToPartnerCenter = history.filter((e) => e.event === 'written').flatMap((e) => e.changes.filter((c) => c.target === 'partnerCenter').map((c) => c.field));
    expect(sentToPartnerCenter.filter((field) => field === 'externalReferenceId')).toHaveLength(2);
    // Besides its id, a Dataverse record has an owner from the start: the team the mapping sends.
    expect([...new Set(sentToPartnerCenter)].sort()).toEqual(crm === 'salesforce' ? ['externalReferenceId'] : ['externalReferenceId', 'team']);

    // The next cycle as `sync --once` runs it, in a new process: it knows no describe yet.
    pc().server.stats.reset();
    crmServer().stats.reset();
    const fresh = composeEngine({ config: h.config, logger: pino({ level: 'silent' }), store: h.store, clock: sandboxTime(h.sandbox) });
    try {
      const next = await runCycle(fresh.deps);
      expect(next.map((r) => r.written)).toEqual(next.map(() => 0));
    } finally {
      await fresh.close();
    }
    expect(calls().filter((c) => !isList(c))).toEqual([]);
    // Nothing written, and nothing described but what reading needs: the new records read back
    // as the imports left them (Salesforce reads the opportunity's billing country or its stand-in).
    const crmCalls = crmServer().stats.log().map((e) => `${e.method} ${e.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);
    expect(crmCalls.filter((c) => !c.startsWith('GET ') && c !== 'POST /services/oauth2/token')).toEqual([]);
    expect(crmCalls.filter((c) => c.includes('describe')).sort()).toEqual(crm === 'salesforce' ? ['GET /sobjects/Account/describe', 'GET /sobjects/Opportunity/describe'] : []);
  }, 60_000);
});
