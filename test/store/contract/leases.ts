import { describe, expect, it } from '@jest/globals';
import { DuplicateLinkError, LeaseLostError } from '../../../src/store/errors.js';
import { fencedStore } from '../../../src/store/fenced-store.js';
import type { StateStore } from '../../../src/store/types.js';
import type { Harness } from './fixtures.js';

const NAME = 'loop:inbound';
const TTL = 30_000;

/** Leases: one holder at a time, fencing tokens, renewal, takeover, restart, abandoned runs. */
export function leaseContract(h: Harness, options: { peers: boolean }): void {
  describe('leases', () => {
    const take = (owner: string, session: string, atMs: number, store: StateStore = h.store()) =>
      store.acquireLease({ name: NAME, owner, session, ttlMs: TTL, now: h.clock().iso(atMs) });
    const fenced = (token: number, store: StateStore = h.store()) =>
      fencedStore({ store, clock: h.clock(), fence: { name: NAME, token, refusal: () => null } });

    it('gives a free lease to one holder and refuses it to others until it expires; the next holder gets a higher token', async () => {
      const first = await take('instance-a', 'a1', 0);
      expect(first).toMatchObject({ name: NAME, heldUntil: h.clock().iso(TTL), replaced: null, abandonedRuns: [] });
      expect(await take('instance-b', 'b1', 1_000)).toBeNull();
      expect(await take('instance-b', 'b1', TTL - 1)).toBeNull();
      const second = await take('instance-b', 'b1', TTL);
      expect(second?.token).toBeGreaterThan(first?.token ?? Infinity);
      expect(second?.replaced).toEqual({ owner: 'instance-a', session: 'a1', token: first?.token, heldUntil: h.clock().iso(TTL) });
      expect(await take('instance-a', 'a1', TTL + 1_000)).toBeNull();
      expect(await h.store().getLease(NAME)).toEqual({ name: NAME, owner: 'instance-b', session: 'b1', token: second?.token, heldUntil: h.clock().iso(2 * TTL) });
    });

    it('never grants a lease twice to the same process, even to the same instance', async () => {
      expect(await take('instance-a', 'a1', 0)).not.toBeNull();
      expect(await take('instance-a', 'a1', 1_000)).toBeNull();
      expect(await take('instance-a', 'a1', 20_000)).toBeNull();
    });

    it('lets a restarted instance (same owner, new session) reclaim its own lease at once, and fences its earlier life', async () => {
      const before = await take('instance-a', 'a1', 0);
      const after = await take('instance-a', 'a2', 1_000);
      expect(after?.replaced).toMatchObject({ owner: 'instance-a', session: 'a1' });
      await expect(fenced(before?.token ?? 0).setCursor('c', 'old life')).rejects.toBeInstanceOf(LeaseLostError);
      await fenced(after?.token ?? 0).setCursor('c', 'new life');
      expect(await h.store().getCursor('c')).toBe('new life');
    });

    it('renews only the current, unexpired token; renewal pushes the expiry out', async () => {
      const first = await take('instance-a', 'a1', 0);
      const token = first?.token ?? 0;
      expect(await h.store().renewLease({ name: NAME, token, ttlMs: TTL, now: h.clock().iso(20_000) })).toBe(true);
      expect(await take('instance-b', 'b1', 40_000)).toBeNull();
      expect(await h.store().renewLease({ name: NAME, token, ttlMs: TTL, now: h.clock().iso(50_000) })).toBe(false);
      const second = await take('instance-b', 'b1', 50_000);
      expect(second).not.toBeNull();
      expect(await h.store().renewLease({ name: NAME, token, ttlMs: TTL, now: h.clock().iso(51_000) })).toBe(false);
      expect(await h.store().renewLease({ name: NAME, token: second?.token ?? 0, ttlMs: TTL, now: h.clock().iso(51_000) })).toBe(true);
    });

    it('refuses every write under a token that is no longer current, and writes nothing of it', async () => {
      const first = await take('instance-a', 'a1', 0);
      const old = fenced(first?.token ?? 0);
      await old.setCursor('c', 'while held');
      await old.transaction(async (tx) => tx.setCursor('t', 'while held'));
      const second = await take('instance-b', 'b1', TTL);
      await expect(old.setCursor('c', 'after takeover')).rejects.toBeInstanceOf(LeaseLostError);
      await expect(old.transaction(async (tx) => tx.setCursor('t', 'after takeover'))).rejects.toBeInstanceOf(LeaseLostError);
      await expect(old.startRun({ kind: 'inbound', startedAt: h.clock().iso() })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await h.store().getCursor('c')).toBe('while held');
      expect(await h.store().getCursor('t')).toBe('while held');
      // Reads still work: a fenced store only refuses writes.
      expect(await old.getCursor('c')).toBe('while held');
      await fenced(second?.token ?? 0).setCursor('c', 'new holder');
      expect(await h.store().getCursor('c')).toBe('new holder');
    });

    it('refuses writes once the lease expired unrenewed, or was released, even before anyone else takes it', async () => {
      const first = await take('instance-a', 'a1', 0);
      const writer = fenced(first?.token ?? 0);
      h.clock().advance(TTL);
      await expect(writer.setCursor('c', 'late')).rejects.toBeInstanceOf(LeaseLostError);
      const second = await take('instance-a', 'a2', 0);
      await h.store().releaseLease({ name: NAME, token: second?.token ?? 0, now: h.clock().iso() });
      await expect(fenced(second?.token ?? 0).setCursor('c', 'released')).rejects.toBeInstanceOf(LeaseLostError);
      expect(await h.store().getCursor('c')).toBeNull();
    });

    it('refuses writes at once when the holder says so, before asking the store', async () => {
      const first = await take('instance-a', 'a1', 0);
      const writer = fencedStore({ store: h.store(), clock: h.clock(), fence: { name: NAME, token: first?.token ?? 0, refusal: () => 'renewal failed' } });
      await expect(writer.setCursor('c', 'x')).rejects.toThrow(/renewal failed/);
      expect(await h.store().getCursor('c')).toBeNull();
    });

    it('frees a lease on release by its current token only; the token keeps growing', async () => {
      const first = await take('instance-a', 'a1', 0);
      await h.store().releaseLease({ name: NAME, token: (first?.token ?? 0) + 7, now: h.clock().iso() });
      expect(await take('instance-b', 'b1', 1_000)).toBeNull();
      await h.store().releaseLease({ name: NAME, token: first?.token ?? 0, now: h.clock().iso(1_000) });
      expect((await h.store().getLease(NAME))?.heldUntil).toBeNull();
      const second = await take('instance-b', 'b1', 1_000);
      expect(second?.replaced).toBeNull();
      expect(second?.token).toBeGreaterThan(first?.token ?? Infinity);
    });

    it('marks the runs an earlier holder left running under the lease as abandoned when it changes hands', async () => {
      const first = await take('instance-a', 'a1', 0);
      const writer = fenced(first?.token ?? 0);
      const finished = await writer.startRun({ kind: 'inbound', startedAt: h.clock().iso() });
      await writer.finishRun({ id: finished.id, finishedAt: h.clock().iso(1), status: 'succeeded', summary: {} });
      const cut = await writer.startRun({ kind: 'inbound', startedAt: h.clock().iso(2) });
      const unleased = await h.store().startRun({ kind: 'cli', startedAt: h.clock().iso(3) });
      const second = await take('instance-b', 'b1', TTL);
      expect(second?.abandonedRuns).toEqual([cut.id]);
      const runs = new Map((await h.store().listRuns(10)).map((r) => [r.id, r]));
      expect(runs.get(cut.id)).toMatchObject({ status: 'abandoned', finishedAt: h.clock().iso(TTL) });
      expect(runs.get(finished.id)?.status).toBe('succeeded');
      expect(runs.get(unleased.id)?.status).toBe('running');
    });

    it('keeps leases of different names apart', async () => {
      expect(await take('instance-a', 'a1', 0)).not.toBeNull();
      expect(await h.store().acquireLease({ name: 'loop:outbound:salesforce', owner: 'instance-b', session: 'b1', ttlMs: TTL, now: h.clock().iso() })).not.toBeNull();
    });

    it('hands a contended lease to exactly one of many concurrent callers, the same process included', async () => {
      const results = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => take(`instance-${i}`, `s${i}`, 0)),
        ...Array.from({ length: 5 }, () => take('instance-0', 's0', 0)),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    // Registered only where a second instance exists (not for :memory:), rather than shown as skipped.
    if (!options.peers) return;
    it('hands a lease to exactly one of two store instances racing for it, and fences the loser of a takeover', async () => {
      const peer = await h.openPeer();
      try {
        for (let round = 0; round < 10; round++) {
          const name = `race-${round}`;
          const now = h.clock().iso();
          const [a, b] = await Promise.all([
            h.store().acquireLease({ name, owner: 'instance-a', session: 'a1', ttlMs: TTL, now }),
            peer.acquireLease({ name, owner: 'instance-b', session: 'b1', ttlMs: TTL, now }),
          ]);
          expect([a, b].filter((r) => r !== null)).toHaveLength(1);
        }
        const first = await take('instance-a', 'a1', 0);
        expect(await take('instance-b', 'b1', 10_000, peer)).toBeNull();
        const second = await take('instance-b', 'b1', TTL, peer);
        expect(second).not.toBeNull();
        await fenced(second?.token ?? 0, peer).setCursor('c', 'b');
        await expect(fenced(first?.token ?? 0).setCursor('c', 'a')).rejects.toBeInstanceOf(LeaseLostError);
        expect(await h.store().getCursor('c')).toBe('b');
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
