/**
 * Referrals the mappings build, sent to the sandbox Partner Center through the real connector:
 * the service takes the drafts and patches, and what it gives back maps to the CRM values the
 * deal started from (CRM -> Partner Center -> CRM, through the wire).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createPartnerCenterConnector } from '../../connectors/partner-center/connector.js';
import type { PartnerCenterConnector } from '../../connectors/types.js';
import { startPartnerCenterEmulator } from '../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../sandbox/shared/clock.js';
import { systemClock } from '../../src/core/clock.js';
import type { Mapping } from '../../mappings/index.js';
import { dvOpportunity, loadDefault, sfOpportunity } from './fixtures.js';

const SOLUTION = 'SOL-15974-MQF';
const claims = {
  aud: 'https://api.partner.microsoft.com',
  iss: 'sandbox',
  tid: 'tenant',
  oid: 'user',
  upn: 'referral.admin@partner.example',
  appid: 'cosell-sync',
  azp: 'cosell-sync',
  iat: 0,
  nbf: 0,
  exp: 4_000_000_000,
  ver: '2.0' as const,
  uti: 'x',
};

describe('mapped referrals against the sandbox Partner Center', () => {
  let pc: PartnerCenterConnector;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const clock = new SandboxClock(new Date('2026-03-02T09:00:00.000Z'));
    // Tokens are not what this test is about: the emulator accepts the one token it is given.
    const emulator = await startPartnerCenterEmulator({ clock, seed: 5, size: 3, tokenValidator: (token) => (token === 'test-token' ? claims : null) });
    pc = createPartnerCenterConnector(
      { baseUrl: emulator.server.url, solutionId: SOLUTION, timeoutMs: 5000, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, retryUnknownOutcome: false } },
      {
        logger: pino({ level: 'silent' }),
        clock: systemClock,
        tokens: { getToken: () => Promise.resolve('test-token'), health: () => ({ state: 'ok', detail: null, pausedUntil: null }) },
      },
    );
    close = async () => {
      await pc.close();
      await emulator.server.close();
    };
  });
  afterAll(async () => close());

  const cases: { name: string; mapping: Mapping; record: ReturnType<typeof sfOpportunity> }[] = [
    // A co-sell is visible to Microsoft by definition (Partner Center docs, "Create a referral"), so its record says so.
    {
      name: 'Salesforce co-sell',
      mapping: loadDefault('salesforce'),
      record: sfOpportunity({ Microsoft_Help__c: 'ProofOfConceptOrDemo', Share_With_Microsoft__c: true, Amount: 0, Description: '', CurrencyIsoCode: 'JPY' }),
    },
    { name: 'Dataverse partner-led', mapping: loadDefault('dynamics'), record: dvOpportunity({ cosell_sharewithmicrosoft: true, estimatedvalue: 1234.567, 'transactioncurrencyid.isocurrencycode': 'BHD' }) },
  ];

  it.each(cases)('$name: the created referral maps back to the same two-way CRM values', async ({ mapping, record }) => {
    const ctx = { timeZone: 'Pacific/Auckland' };
    const om = mapping.opportunity;
    const { values } = om.fromCrm(record, ctx);
    const dealType = om.dealType(record);
    const draft = om.toReferralDraft({ values, externalReferenceId: record.id, dealType, ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    const { referral } = await pc.createReferral({ draft: draft.value, dealType });
    expect(referral.externalReferenceId).toBe(record.id);
    const back = om.toCrmFields({ values: om.fromReferral(referral, ctx).values, ctx, mode: 'update' });
    // Status is left out: the service answers a create with its own status (Partner Center docs, "Update a referral").
    const twoWay = om.rules.filter((r) => r.direction === 'both' && r.path !== 'status').map((r) => r.crmField);
    expect(Object.fromEntries(twoWay.map((f) => [f, back.fields[f]]))).toEqual(Object.fromEntries(twoWay.map((f) => [f, record.fields[f]])));
  });

  it('patches a referral the service accepts: amount, notes, team, solutions, status', async () => {
    const mapping = loadDefault('salesforce');
    const om = mapping.opportunity;
    const ctx = { timeZone: 'UTC' };
    const record = sfOpportunity();
    const dealType = om.dealType(record);
    const draft = om.toReferralDraft({ values: om.fromCrm(record, ctx).values, externalReferenceId: record.id, dealType, ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    const { referral } = await pc.createReferral({ draft: draft.value, dealType });
    const changes = om.fromCrm(
      sfOpportunity({
        Amount: 0,
        Description: 'Scope cut to a pilot',
        Solution_Ids__c: 'SOL-15974-MQF;SOL-6115380-IPC',
        StageName: 'Closed Lost',
        OpportunityTeamMembers: [
          { 'User.FirstName': 'Sam', 'User.LastName': 'Seller', 'User.Email': 'sam@partner.example', 'User.Title': 'AE' },
          { 'User.FirstName': 'Kim', 'User.LastName': 'Lee', 'User.Email': 'kim@partner.example', 'User.Title': 'SE' },
        ],
      }),
      ctx,
    ).values;
    const patch = om.toReferralPatch(
      { 'details.dealValue': changes['details.dealValue']!, 'details.notes': changes['details.notes']!, 'details.solutions': changes['details.solutions']!, team: changes['team']!, status: changes['status']! },
      referral,
    );
    const updated = await pc.updateReferral({ id: referral.id, eTag: referral.eTag, patch });
    expect(updated).toMatchObject({ status: 'Closed', substatus: 'Lost', details: { dealValue: 0, notes: 'Scope cut to a pilot' } });
    expect(updated.details.solutions.map((s) => s.id)).toEqual(['SOL-15974-MQF', 'SOL-6115380-IPC']);
    expect(updated.team.map((m) => m.email)).toEqual(['sam@partner.example', 'kim@partner.example']);
  });
});
