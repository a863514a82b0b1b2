/**
 * The default Salesforce mapping against the sandbox Salesforce org, through the real connector:
 * the org's metadata agrees with the file, seeded opportunities read without problems, and a
 * referral becomes a record the org accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { CrmConnector } from '../../connectors/types.js';
import { systemClock } from '../../src/core/clock.js';
import type { CrmRecord } from '../../src/domain/crm-record.js';
import { startSalesforceEmulator } from '../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../sandbox/shared/clock.js';
import { checkAgainstDescription } from '../../mappings/index.js';
import { loadDefault, referral } from './fixtures.js';

const mapping = loadDefault('salesforce');
const ctx = { timeZone: 'America/Los_Angeles' };

describe('default Salesforce mapping against the sandbox org', () => {
  let connector: CrmConnector;
  let close: () => Promise<void>;
  const records: CrmRecord[] = [];

  beforeAll(async () => {
    const emulator = await startSalesforceEmulator({ clock: new SandboxClock(new Date('2026-03-02T09:00:00Z')), seed: 7, size: 60 });
    const sf = emulator.control;
    connector = createSalesforceConnector(
      {
        auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
        loginUrl: emulator.server.url,
        apiVersion: '60.0',
        queryBatchSize: 200,
        timeoutMs: 10_000,
      },
      { logger: pino({ level: 'silent' }), clock: systemClock },
    );
    close = async () => {
      await connector.close();
      await emulator.server.close();
    };
    for await (const page of connector.readChanges({ kind: 'opportunity', fields: mapping.opportunity.readFields, cursor: null })) records.push(...page.items);
  });
  afterAll(async () => close());

  it('matches the metadata the org describes', async () => {
    const descriptions = [await connector.describe('opportunity'), await connector.describe('lead')];
    expect(checkAgainstDescription({ mapping, descriptions })).toEqual([]);
  });

  it('reads every seeded opportunity without a field problem, contacts included', () => {
    expect(records.length).toBeGreaterThan(0);
    const problems = records.flatMap((r) => mapping.opportunity.fromCrm(r, ctx).problems.map((p) => `${r.id} ${p.crmField}: ${p.message}`));
    expect(problems).toEqual([]);
    const withContacts = records.filter((r) => {
      const team = mapping.opportunity.fromCrm(r, ctx).values['customerProfile.team'];
      return Array.isArray(team) && team.length > 0;
    });
    expect(withContacts.length).toBeGreaterThan(0);
  });

  it('creates an opportunity and a lead the org accepts from inbound referrals', async () => {
    const base = referral();
    // The sandbox org's currencies are restricted; USD is one of them.
    const coSell = referral({ id: 'a1b2c3d4-0000-0000-0000-00000000aa01', details: { ...base.details, currency: 'USD' } });
    const lead = referral({ id: 'a1b2c3d4-0000-0000-0000-00000000aa02', type: 'Independent', qualification: 'Direct' });
    const writes = [
      { r: coSell, kind: mapping.inboundKind(coSell) },
      { r: lead, kind: mapping.inboundKind(lead) },
    ].map(({ r, kind }) => {
      if (kind === null) throw new Error('not imported');
      const om = mapping[kind];
      const { fields, problems } = om.toCrmFields({ values: om.fromReferral(r, ctx).values, ctx, mode: 'create' });
      expect(problems).toEqual([]);
      return { kind, fields, externalId: { field: om.externalIdField, value: r.id }, customer: kind === 'opportunity' ? om.customerFromReferral(r) : null };
    });
    expect(writes.map((w) => w.kind)).toEqual(['opportunity', 'lead']);
    const outcomes = await connector.createRecords(writes);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['ok', 'ok']);
    const [created] = await connector.findByExternalId({ kind: 'opportunity', field: 'Referral_Id__c', values: [coSell.id], fields: mapping.opportunity.readFields });
    expect(created?.fields).toMatchObject({ StageName: 'On Hold', CloseDate: '2025-03-31', Amount: 50000, Sync_With_Partner_Center__c: true });
  });
});
