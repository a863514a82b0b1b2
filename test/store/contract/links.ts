import { describe, expect, it } from '@jest/globals';
import { DuplicateLinkError, StaleLinkError } from '../../../src/store/errors.js';
import { crmId, linkInput, type Harness } from './fixtures.js';

export function linkContract(h: Harness): void {
  describe('links', () => {
    it('saves a link and reads back exactly what was saved, snapshot included', async () => {
      const snapshot = {
        name: 'Contoso – Azure migration ✓',
        'details.dealValue': 0,
        'consent.consentToContact': false,
        'details.notes': '',
        'details.closingDateTime': null,
        'customerProfile.team': [{ email: 'a@contoso.example', phoneNumber: null }],
        // CRM notes do contain control characters; they must not break the write.
        'inviteContext.notes': 'line1\nline2\u0000end',
        nested: { big: 12345678.9, list: [1, 'two', { three: 3 }] },
      };
      const saved = await h.store().saveLink(linkInput({ snapshot, referralId: 'ref-1', engagementId: 'eng-1', respondBy: '2026-03-15T09:00:00Z' }));
      expect(saved.id).toEqual(expect.any(String));
      expect(saved.createdAt).toBe(h.clock().iso());
      expect(saved.updatedAt).toBe(h.clock().iso());
      const read = await h.store().getLink(saved.id);
      expect(read).toEqual(saved);
      expect(read?.snapshot).toEqual(snapshot);
      expect(read?.respondBy).toBe('2026-03-15T09:00:00Z');
    });

    it('updates a link by id, keeping createdAt and moving updatedAt', async () => {
      const first = await h.store().saveLink(linkInput({ crmId: null, state: 'creating', origin: 'partnerCenter', referralId: 'ref-9' }));
      h.clock().advance(60_000);
      const second = await h.store().saveLink({ ...linkInput({ crmId: crmId(9), referralId: 'ref-9', origin: 'partnerCenter' }), id: first.id });
      expect(second).toMatchObject({ id: first.id, crmId: crmId(9), state: 'linked', createdAt: first.createdAt, updatedAt: h.clock().iso() });
      expect(await h.store().getLink(first.id)).toEqual(second);
      expect(await h.store().countLinks()).toBe(1);
    });

    it('inserts a link under a caller-chosen id', async () => {
      const saved = await h.store().saveLink({ ...linkInput(), id: 'link-chosen-1' });
      expect(saved.id).toBe('link-chosen-1');
      expect((await h.store().getLink('link-chosen-1'))?.crmId).toBe(linkInput().crmId);
    });

    it('returns null for an unknown link and empty lists for empty lookups', async () => {
      expect(await h.store().getLink('no-such-link')).toBeNull();
      expect(await h.store().findLinksByCrmIds('salesforce', [])).toEqual([]);
      expect(await h.store().findLinksByReferralIds([])).toEqual([]);
      expect(await h.store().findLinksByEngagementIds([])).toEqual([]);
    });

    it('finds the links for a page of CRM ids in one call, scoped to the CRM system', async () => {
      for (let n = 0; n < 300; n++) await h.store().saveLink(linkInput({ crmId: crmId(n) }));
      await h.store().saveLink(linkInput({ crmSystem: 'dynamics', crmKind: 'lead', crmId: crmId(5) }));
      const asked = [...Array.from({ length: 250 }, (_, i) => crmId(i * 2)), 'unknown-1', 'unknown-2'];
      const found = await h.store().findLinksByCrmIds('salesforce', asked);
      const expected = Array.from({ length: 150 }, (_, i) => crmId(i * 2));
      expect(found.map((l) => l.crmId).sort()).toEqual(expected.sort());
      expect(found.every((l) => l.crmSystem === 'salesforce')).toBe(true);
      const dynamics = await h.store().findLinksByCrmIds('dynamics', [crmId(5), crmId(6)]);
      expect(dynamics.map((l) => [l.crmSystem, l.crmKind, l.crmId])).toEqual([['dynamics', 'lead', crmId(5)]]);
    });

    it('finds links by referral ids and by engagement ids', async () => {
      await h.store().saveLink(linkInput({ crmId: crmId(1), referralId: 'ref-a', engagementId: 'eng-1' }));
      await h.store().saveLink(linkInput({ crmId: crmId(2), referralId: 'ref-b', engagementId: 'eng-1' }));
      await h.store().saveLink(linkInput({ crmId: crmId(3), referralId: 'ref-c', engagementId: 'eng-2' }));
      const byReferral = await h.store().findLinksByReferralIds(['ref-c', 'ref-a', 'ref-zzz']);
      expect(byReferral.map((l) => l.referralId).sort()).toEqual(['ref-a', 'ref-c']);
      const byEngagement = await h.store().findLinksByEngagementIds(['eng-1']);
      expect(byEngagement.map((l) => l.referralId).sort()).toEqual(['ref-a', 'ref-b']);
    });

    it('refuses a second link for the same CRM record, naming the link that holds it', async () => {
      const original = await h.store().saveLink(linkInput({ crmId: crmId(1), referralId: 'ref-1' }));
      const attempt = h.store().saveLink(linkInput({ crmId: crmId(1), referralId: 'ref-2' }));
      await expect(attempt).rejects.toBeInstanceOf(DuplicateLinkError);
      await expect(attempt).rejects.toMatchObject({ existingLinkId: original.id, crmId: crmId(1) });
      expect(await h.store().countLinks()).toBe(1);
      expect(await h.store().getLink(original.id)).toEqual(original);
    });

    it('refuses a second link for the same referral, and an update that would steal another link’s record', async () => {
      const a = await h.store().saveLink(linkInput({ crmId: crmId(1), referralId: 'ref-1' }));
      const b = await h.store().saveLink(linkInput({ crmId: crmId(2), referralId: 'ref-2' }));
      await expect(h.store().saveLink(linkInput({ crmId: crmId(3), referralId: 'ref-1' }))).rejects.toMatchObject({ existingLinkId: a.id });
      await expect(h.store().saveLink({ ...linkInput({ crmId: crmId(1), referralId: 'ref-2' }), id: b.id })).rejects.toBeInstanceOf(DuplicateLinkError);
      expect(await h.store().getLink(b.id)).toEqual(b);
      expect(await h.store().countLinks()).toBe(2);
    });

    it('lets many half-created links (no CRM id or no referral id yet) coexist', async () => {
      for (let n = 0; n < 3; n++) await h.store().saveLink(linkInput({ crmId: null, referralId: `ref-${n}`, state: 'creating' }));
      for (let n = 0; n < 3; n++) await h.store().saveLink(linkInput({ crmId: crmId(n), referralId: null, state: 'creating' }));
      expect(await h.store().countLinks()).toBe(6);
    });

    it('pages through links in id order, optionally by state, each link exactly once', async () => {
      for (let n = 0; n < 25; n++) await h.store().saveLink(linkInput({ crmId: crmId(n), state: n % 5 === 0 ? 'held' : 'linked' }));
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await h.store().listLinks({ limit: 7, ...(afterId === undefined ? {} : { afterId }) });
        if (page.length === 0) break;
        seen.push(...page.map((l) => l.id));
        afterId = page.at(-1)?.id;
      }
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      expect([...seen].sort()).toEqual(seen);
      const held = await h.store().listLinks({ state: 'held', limit: 100 });
      expect(held.map((l) => l.crmId).sort()).toEqual([0, 5, 10, 15, 20].map(crmId).sort());
      const heldAfter = await h.store().listLinks({ state: 'held', limit: 100, afterId: held[1]?.id ?? '' });
      expect(heldAfter.map((l) => l.id)).toEqual(held.slice(2).map((l) => l.id));
      expect(await h.store().countLinks()).toBe(25);
    });

    it('refuses a page size that is not a positive integer rather than returning every link', async () => {
      await h.store().saveLink(linkInput());
      for (const limit of [0, -1, 1.5, Number.NaN]) await expect(h.store().listLinks({ limit })).rejects.toBeInstanceOf(RangeError);
      await expect(h.store().listRuns(-1)).rejects.toBeInstanceOf(RangeError);
    });
    it('saves on a revision: a save based on a revision someone else moved on is refused, nothing overwritten', async () => {
      const first = await h.store().saveLink(linkInput({ referralId: 'ref-r' }));
      expect(first.revision).toBe(1);
      const outbound = await h.store().saveLink({ ...first, snapshot: { name: 'from outbound' } });
      expect(outbound.revision).toBe(2);
      // The inbound loop read revision 1 before outbound saved: its save must not win silently.
      const stale = h.store().saveLink({ ...first, snapshot: { name: 'from inbound' } });
      await expect(stale).rejects.toBeInstanceOf(StaleLinkError);
      expect((await h.store().getLink(first.id))?.snapshot).toEqual({ name: 'from outbound' });
      const again = await h.store().saveLink({ ...outbound, microsoftSideId: 'ms-1' });
      expect(again).toMatchObject({ revision: 3, microsoftSideId: 'ms-1', snapshot: { name: 'from outbound' } });
    });

    it('saves inside a transaction on a revision too, and a stale save rolls the transaction back', async () => {
      const first = await h.store().saveLink(linkInput({ referralId: 'ref-t' }));
      await h.store().saveLink({ ...first, state: 'held' });
      const attempt = h.store().transaction(async (tx) => {
        await tx.setCursor('c-stale', 'x');
        await tx.saveLink({ ...first, state: 'closed' });
      });
      await expect(attempt).rejects.toBeInstanceOf(StaleLinkError);
      expect(await h.store().getCursor('c-stale')).toBeNull();
      expect((await h.store().getLink(first.id))?.state).toBe('held');
    });

    it('tells whether any link of an object kind exists', async () => {
      expect(await h.store().hasLinks({ crmSystem: 'salesforce', crmKind: 'lead' })).toBe(false);
      await h.store().saveLink(linkInput({ crmKind: 'opportunity' }));
      await h.store().saveLink(linkInput({ crmSystem: 'dynamics', crmKind: 'lead', crmId: crmId(2) }));
      expect(await h.store().hasLinks({ crmSystem: 'salesforce', crmKind: 'lead' })).toBe(false);
      expect(await h.store().hasLinks({ crmSystem: 'salesforce', crmKind: 'opportunity' })).toBe(true);
      expect(await h.store().hasLinks({ crmSystem: 'dynamics', crmKind: 'lead' })).toBe(true);
    });
  });
}
