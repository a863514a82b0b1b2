import { describe, expect, it } from '@jest/globals';
import { DuplicateLinkError } from '../../../src/store/errors.js';
import type { Harness } from './fixtures.js';

export function conflictContract(h: Harness): void {
  describe('conflicts', () => {
    const hold = (linkId: string, path: string) =>
      h.store().holdConflict({ linkId, path, base: undefined, crmValue: null, partnerCenterValue: { amount: 0 }, createdAt: h.clock().iso() });

    it('holds a conflict with its three values and lists it as open, per link or overall (open: false lists all)', async () => {
      const held = await hold('link-1', 'details.dealValue');
      await hold('link-2', 'name');
      expect(held).toEqual({
        id: expect.any(String),
        linkId: 'link-1',
        path: 'details.dealValue',
        base: undefined,
        crmValue: null,
        partnerCenterValue: { amount: 0 },
        createdAt: h.clock().iso(),
        resolvedAt: null,
        resolution: null,
        resolvedValue: undefined,
      });
      expect(await h.store().listConflicts({ open: true, linkId: 'link-1' })).toEqual([held]);
      expect((await h.store().listConflicts({ open: true })).map((c) => c.path)).toEqual(['details.dealValue', 'name']);
      expect((await h.store().listConflicts({ open: false })).map((c) => c.path)).toEqual(['details.dealValue', 'name']);
    });

    it('resolves a conflict once: it leaves the open list, and a second resolution gets null and changes nothing', async () => {
      const held = await hold('link-1', 'details.dealValue');
      const other = await hold('link-2', 'name');
      const resolved = await h.store().resolveConflict({ id: held.id, resolution: 'value', value: 0, at: h.clock().iso(1000) });
      expect(resolved).toEqual({ ...held, resolvedAt: h.clock().iso(1000), resolution: 'value', resolvedValue: 0 });
      expect(await h.store().listConflicts({ open: true })).toEqual([other]);
      expect(await h.store().listConflicts({ open: false })).toEqual([resolved, other]);
      expect(await h.store().resolveConflict({ id: held.id, resolution: 'crm', value: null, at: h.clock().iso(2000) })).toBeNull();
      expect(await h.store().listConflicts({ open: false, linkId: 'link-1' })).toEqual([resolved]);
      expect(await h.store().resolveConflict({ id: 'no-such-conflict', resolution: 'crm', value: null, at: h.clock().iso() })).toBeNull();
    });

    it('lets exactly one of two people resolving the same conflict at once win', async () => {
      const held = await hold('link-1', 'name');
      const results = await Promise.all([
        h.store().resolveConflict({ id: held.id, resolution: 'crm', value: 'A', at: h.clock().iso() }),
        h.store().resolveConflict({ id: held.id, resolution: 'partnerCenter', value: 'B', at: h.clock().iso() }),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });
  });
}

export function leaseContract(h: Harness, options: { peers: boolean }): void {
  describe('leases', () => {
    const lease = (owner: string, atMs: number, ttlMs = 30_000) => h.store().acquireLease({ name: 'poll:salesforce', owner, ttlMs, now: h.clock().iso(atMs) });

    it('gives a free lease to one owner and refuses it to another until it expires', async () => {
      expect(await lease('instance-a', 0)).toBe(true);
      expect(await lease('instance-b', 1_000)).toBe(false);
      expect(await lease('instance-b', 29_999)).toBe(false);
      expect(await lease('instance-b', 30_000)).toBe(true);
      expect(await lease('instance-a', 31_000)).toBe(false);
    });

    it('lets the holder renew, which pushes the expiry out', async () => {
      expect(await lease('instance-a', 0)).toBe(true);
      expect(await lease('instance-a', 20_000)).toBe(true);
      expect(await lease('instance-b', 40_000)).toBe(false);
      expect(await lease('instance-b', 50_000)).toBe(true);
    });

    it('frees a lease on release by its owner only', async () => {
      expect(await lease('instance-a', 0)).toBe(true);
      await h.store().releaseLease({ name: 'poll:salesforce', owner: 'instance-b' });
      expect(await lease('instance-b', 1_000)).toBe(false);
      await h.store().releaseLease({ name: 'poll:salesforce', owner: 'instance-a' });
      expect(await lease('instance-b', 1_000)).toBe(true);
    });

    it('keeps leases of different names apart', async () => {
      expect(await lease('instance-a', 0)).toBe(true);
      expect(await h.store().acquireLease({ name: 'poll:dynamics', owner: 'instance-b', ttlMs: 30_000, now: h.clock().iso() })).toBe(true);
    });

    it('hands a contended lease to exactly one of many concurrent callers', async () => {
      const owners = Array.from({ length: 20 }, (_, i) => `instance-${i}`);
      const results = await Promise.all(owners.map((owner) => lease(owner, 0)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    // Registered only where a second instance exists (not for :memory:), rather than shown as skipped.
    if (!options.peers) return;
    it('hands a lease to exactly one of two store instances racing for it, and fails over on expiry', async () => {
      const peer = await h.openPeer();
      try {
        for (let round = 0; round < 10; round++) {
          const name = `race-${round}`;
          const now = h.clock().iso();
          const [a, b] = await Promise.all([
            h.store().acquireLease({ name, owner: 'instance-a', ttlMs: 30_000, now }),
            peer.acquireLease({ name, owner: 'instance-b', ttlMs: 30_000, now }),
          ]);
          expect([a, b].filter(Boolean)).toHaveLength(1);
        }
        expect(await lease('instance-a', 0)).toBe(true);
        expect(await peer.acquireLease({ name: 'poll:salesforce', owner: 'instance-b', ttlMs: 30_000, now: h.clock().iso(10_000) })).toBe(false);
        expect(await peer.acquireLease({ name: 'poll:salesforce', owner: 'instance-b', ttlMs: 30_000, now: h.clock().iso(30_000) })).toBe(true);
      } finally {
        await peer.close();
      }
    });

    it('refuses the second of two instances saving a link for the same record at once', async () => {
      const peer = await h.openPeer();
      try {
        const input = { crmSystem: 'salesforce' as const, crmKind: 'opportunity' as const, crmId: 'race-1', referralId: null, engagementId: null };
        const rest = { origin: 'crm' as const, state: 'creating' as const, snapshot: {}, crmVersion: null, referralETag: null, respondBy: null };
        const results = await Promise.allSettled([h.store().saveLink({ ...input, ...rest }), peer.saveLink({ ...input, ...rest })]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(DuplicateLinkError);
        expect(await peer.findLinksByCrmIds('salesforce', ['race-1'])).toHaveLength(1);
      } finally {
        await peer.close();
      }
    });
  });
}
