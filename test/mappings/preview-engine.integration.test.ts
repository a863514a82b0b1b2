/**
 * Acceptance: what `mappings preview` shows for a seeded sandbox record is what the engine
 * later sends. Sandbox Salesforce and Partner Center, the real connectors, one outbound cycle.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createPartnerCenterConnector } from '../../connectors/partner-center/connector.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { CrmConnector, PartnerCenterConnector } from '../../connectors/types.js';
import { startPartnerCenterEmulator } from '../../sandbox/partner-center/index.js';
import { startSalesforceEmulator } from '../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../sandbox/shared/clock.js';
import { systemClock } from '../../src/core/clock.js';
import type { CrmRecord } from '../../src/domain/crm-record.js';
import type { Referral, ReferralDraft } from '../../src/domain/referral.js';
import { runInbound, runOutbound } from '../../src/engine/cycle.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { previewFromCrm, previewFromReferral } from '../../mappings/index.js';
import { loadDefault } from './fixtures.js';

const mapping = loadDefault('salesforce');
const ctx = { timeZone: 'Europe/Berlin' };
const claims = { aud: 'https://api.partner.microsoft.com', iss: 'sandbox', tid: 't', oid: 'o', upn: 'admin@partner.example', appid: 'a', azp: 'a', iat: 0, nbf: 0, exp: 4_000_000_000, ver: '2.0' as const, uti: 'u' };

/** The fields a partner writes on create, as a person compares them. */
const comparable = (r: ReferralDraft | Referral) => ({
  name: r.name,
  externalReferenceId: r.externalReferenceId,
  type: r.type,
  details: { ...r.details, solutions: r.details.solutions.map((s) => s.id) },
  customer: { name: r.customerProfile.name, address: r.customerProfile.address, team: r.customerProfile.team.map((m) => m.email) },
  team: r.team.map((m) => m.email),
  visibleToMicrosoft: r.consent.consentToShareReferralWithMicrosoftSellers,
});

describe('preview against what the engine sends', () => {
  let crm: CrmConnector;
  let pc: PartnerCenterConnector;
  let store: StateStore;
  const records: CrmRecord[] = [];
  let close: () => Promise<void>;
  const pcReferrals: Referral[] = [];

  beforeAll(async () => {
    const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
    const sfEmulator = await startSalesforceEmulator({ clock, seed: 21, size: 24, options: { participatingRate: 0.5 } });
    const pcEmulator = await startPartnerCenterEmulator({ clock, seed: 21, size: 40, tokenValidator: (t) => (t === 'test-token' ? claims : null) });
    const logger = pino({ level: 'silent' });
    crm = createSalesforceConnector(
      {
        auth: { kind: 'clientCredentials', clientId: sfEmulator.control.clientIds[0] ?? 'cosell-sandbox', clientSecret: sfEmulator.control.clientSecret },
        loginUrl: sfEmulator.server.url,
        apiVersion: '60.0',
        queryBatchSize: 200,
        timeoutMs: 10_000,
      },
      { logger, clock: systemClock },
    );
    pc = createPartnerCenterConnector(
      { baseUrl: pcEmulator.server.url, solutionId: 'SOL-15974-MQF', timeoutMs: 5000, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, retryUnknownOutcome: false } },
      { logger, clock: systemClock, tokens: { getToken: () => Promise.resolve('test-token'), health: () => ({ state: 'ok', detail: null, pausedUntil: null }) } },
    );
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    for await (const page of crm.readChanges({ kind: 'opportunity', fields: mapping.opportunity.readFields, cursor: null })) records.push(...page.items);
    for await (const page of pc.listChanged({ cursor: null })) pcReferrals.push(...page.items);
    const deps = {
      store,
      partnerCenter: pc,
      crms: [{ system: 'salesforce' as const, connector: crm, mapping }],
      logger,
      clock: systemClock,
      ctx,
      options: { deletePolicy: 'unlink' as const, dryRun: false, retry: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 1 }, writeConcurrency: 2 },
    };
    await runInbound(deps);
    await runOutbound(deps, { system: 'salesforce', connector: crm, mapping });
    close = async () => {
      await crm.close();
      await pc.close();
      await store.close();
      await sfEmulator.server.close();
      await pcEmulator.server.close();
    };
  });
  afterAll(async () => close());

  it('sends for each participating record exactly the referral its preview shows, and nothing where the preview shows problems', async () => {
    const participating = records.filter((r) => mapping.opportunity.participates(r));
    expect(participating.length).toBeGreaterThan(0);
    let compared = 0;
    for (const record of participating) {
      const preview = previewFromCrm({ mapping, record, ctx });
      const sent = await pc.findByExternalReferenceId(record.id);
      if (preview.result === null) {
        expect({ record: record.id, sent: sent?.id ?? null }).toEqual({ record: record.id, sent: null });
        continue;
      }
      expect({ record: record.id, sent: sent === null ? null : comparable(sent) }).toEqual({ record: record.id, sent: comparable(preview.result as ReferralDraft) });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('writes for each imported referral exactly the CRM fields its preview shows', async () => {
    let compared = 0;
    for (const referral of pcReferrals.filter((r) => r.direction === 'Incoming' && r.status !== 'Closed')) {
      const kind = mapping.inboundKind(referral);
      if (kind === null) continue;
      const preview = previewFromReferral({ mapping, referral, kind, ctx });
      const shown = preview.result as Record<string, unknown>;
      // Child rows are linked by the connector from the customer, not written as fields.
      const fields = Object.keys(shown).filter((f) => !Array.isArray(shown[f]));
      const [written] = await crm.findByExternalId({ kind, field: mapping[kind].externalIdField, values: [referral.id], fields });
      if (!written) continue;
      expect({ referral: referral.id, fields: Object.fromEntries(fields.map((f) => [f, written.fields[f]])) }).toEqual({
        referral: referral.id,
        fields: Object.fromEntries(fields.map((f) => [f, shown[f]])),
      });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
