import { describe, expect, it } from '@jest/globals';
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

    it('lists at most `limit` conflicts, the oldest first, open or all, overall or per link', async () => {
      for (const path of ['a', 'b', 'c']) await hold('link-1', path);
      await hold('link-2', 'd');
      expect((await h.store().listConflicts({ open: true, limit: 2 })).map((c) => c.path)).toEqual(['a', 'b']);
      expect((await h.store().listConflicts({ open: false, limit: 3 })).map((c) => c.path)).toEqual(['a', 'b', 'c']);
      expect((await h.store().listConflicts({ open: true, linkId: 'link-2', limit: 1 })).map((c) => c.path)).toEqual(['d']);
      expect((await h.store().listConflicts({ open: true, limit: 10 })).map((c) => c.path)).toEqual(['a', 'b', 'c', 'd']);
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
