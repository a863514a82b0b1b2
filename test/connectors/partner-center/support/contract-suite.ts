/**
 * The Partner Center connector contract: what the engine relies on, written once and
 * run against a backend. `pc.contract.test.ts` runs it against the sandbox emulator under each
 * reading of the points Microsoft's documentation leaves open.
 */
import { describe, expect, it } from '@jest/globals';
import type { PartnerCenterConnector } from '../../../../connectors/types.js';
import type { ChangePage } from '../../../../connectors/types.js';
import type { Referral } from '../../../../src/domain/referral.js';
import { classifyInbound } from '../../../../connectors/partner-center/classify-inbound.js';
import { collect } from './harness.js';
import { draft } from './fixtures.js';

export interface ContractBackend {
  connector: PartnerCenterConnector;
  coSellMode: 'twoReferrals' | 'singleReferral';
  /** How many referrals the backend started with. */
  seeded: number;
  /** A person edits a referral in the Partner Center UI. */
  editAsUser(id: string, changes: Record<string, unknown>): Promise<void>;
  countByExternalReferenceId(externalReferenceId: string): Promise<number>;
  /** Microsoft sends the partner a lead or a co-sell invitation; returns its id. */
  receiveFromMicrosoft(category: 'lead' | 'coSellInvite'): Promise<string>;
  /** While on, every create is processed but its answer is cut off mid-body. */
  cutOffCreates(on: boolean): void;
}

const fail = (): never => {
  throw new Error('referral missing from the listing');
};

const ids = (pages: ChangePage<Referral>[]): string[] => pages.flatMap((p) => p.items.map((r) => r.id));

export function partnerCenterContract(name: string, backend: () => ContractBackend): void {
  describe(`Partner Center connector contract: ${name}`, () => {
    let cursor: string | null = null;

    it('lists every referral exactly once across pages, then nothing when idle', async () => {
      const pages = await collect(backend().connector.listChanged({ cursor: null }));
      const all = ids(pages);
      expect(all.length).toBe(backend().seeded);
      expect(new Set(all).size).toBe(all.length);
      cursor = pages.at(-1)?.cursor ?? null;
      expect(await collect(backend().connector.listChanged({ cursor }))).toEqual([]);
    });

    it('creates a private referral that can be read back and found by its CRM id', async () => {
      const c = backend().connector;
      const created = await c.createReferral({ draft: draft({ externalReferenceId: 'crm-private-1' }), dealType: { kind: 'private' } });
      expect(created.existed).toBe(false);
      const read = await c.getReferral(created.referral.id);
      expect(read).toMatchObject({ externalReferenceId: 'crm-private-1', type: 'Independent', consent: { consentToShareReferralWithMicrosoftSellers: false } });
      expect((await c.findByExternalReferenceId('crm-private-1'))?.id).toBe(created.referral.id);
      await expect(c.findByExternalReferenceId('crm-nobody')).resolves.toBeNull();
      await expect(c.getReferral('00000000-0000-0000-0000-000000000000')).resolves.toBeNull();
    });

    it('makes a co-sell request Microsoft can see', async () => {
      const c = backend().connector;
      const dealType = { kind: 'coSell', help: 'ProofOfConceptOrDemo', notes: 'PoC' } as const;
      const created = await c.createReferral({ draft: draft({ externalReferenceId: 'crm-cosell-1' }), dealType });
      expect(c.invitesMicrosoftSeparately).toBe(backend().coSellMode === 'twoReferrals');
      if (c.invitesMicrosoftSeparately) {
        await expect(c.findMicrosoftSide(created.referral)).resolves.toBeNull();
        const side = await c.inviteMicrosoft({ own: created.referral, draft: draft({ externalReferenceId: 'crm-cosell-1' }), dealType });
        expect(side.inviteContext?.assistanceRequestCode).toBe('ProofOfConceptOrDemo');
        expect((await c.findMicrosoftSide(created.referral))?.id).toBe(side.id);
      }
      const engagement = await c.listEngagement(created.referral.engagementId);
      const msft = engagement.filter((r) => r.target.some((t) => t.id === 'msft'));
      expect(msft).toHaveLength(1);
      expect(engagement).toHaveLength(c.invitesMicrosoftSeparately ? 2 : 1);
    });

    it('updates with the eTag, refuses a stale one, and keeps status and substatus together', async () => {
      const c = backend().connector;
      const { referral } = await c.createReferral({ draft: draft({ externalReferenceId: 'crm-update-1' }), dealType: { kind: 'partnerLed' } });
      const renamed = await c.updateReferral({ id: referral.id, eTag: referral.eTag, patch: [{ op: 'replace', path: '/name', value: 'Renamed deal' }] });
      expect(renamed.name).toBe('Renamed deal');
      expect(renamed.eTag).not.toBe(referral.eTag);
      await expect(c.updateReferral({ id: referral.id, eTag: referral.eTag, patch: [{ op: 'replace', path: '/name', value: 'Lost update' }] })).rejects.toMatchObject({ kind: 'conflict' });
      const won = await c.updateReferral({
        id: referral.id,
        eTag: renamed.eTag,
        patch: [
          { op: 'replace', path: '/status', value: 'Closed' },
          { op: 'replace', path: '/substatus', value: 'Won' },
        ],
      });
      expect([won.status, won.substatus]).toEqual(['Closed', 'Won']);
      await expect(c.updateReferral({ id: referral.id, eTag: won.eTag, patch: [{ op: 'replace', path: '/name', value: 'x' }] })).rejects.toMatchObject({ kind: expect.stringMatching(/invalid|conflict/) });
    });

    it('sees exactly what changed since the cursor', async () => {
      const c = backend().connector;
      const pages = await collect(c.listChanged({ cursor }));
      cursor = pages.at(-1)?.cursor ?? cursor;
      const someone = (await c.findByExternalReferenceId('crm-private-1'))?.id ?? '';
      await backend().editAsUser(someone, { name: 'Edited in Partner Center' });
      const changed = await collect(c.listChanged({ cursor }));
      expect(changed.flatMap((p) => p.items.map((r) => [r.id, r.name]))).toEqual([[someone, 'Edited in Partner Center']]);
    });

    it('sees referrals Microsoft sends and tells leads from co-sell opportunities', async () => {
      const c = backend().connector;
      const lead = await backend().receiveFromMicrosoft('lead');
      const invite = await backend().receiveFromMicrosoft('coSellInvite');
      const changed = (await collect(c.listChanged({ cursor }))).flatMap((p) => p.items);
      const byId = new Map(changed.map((r) => [r.id, r]));
      expect(byId.get(lead)?.direction).toBe('Incoming');
      expect(classifyInbound(byId.get(lead) ?? fail())).toBe('qualifiedLead');
      expect(classifyInbound(byId.get(invite) ?? fail())).toBe('coSellOpportunity');
    });

    it('never duplicates a create whose answer was lost', async () => {
      const b = backend();
      b.cutOffCreates(true);
      try {
        const created = await b.connector.createReferral({ draft: draft({ externalReferenceId: 'crm-lost-answer' }), dealType: { kind: 'private' } });
        expect(created.existed).toBe(true);
      } finally {
        b.cutOffCreates(false);
      }
      await expect(b.countByExternalReferenceId('crm-lost-answer')).resolves.toBe(1);
    });
  });
}
