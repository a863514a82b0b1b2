import { describe, expect, it } from '@jest/globals';
import type { Harness } from './fixtures.js';

const HOUR = '2026-03-01T10:00:00.000Z';

export function webhookContract(h: Harness, options: { peers: boolean }): void {
  describe('webhook replay memory', () => {
    it('takes an event once; the same event again is refused until it is forgotten', async () => {
      const store = h.store();
      const take = (now: string) => store.takeWebhookEvent({ eventId: 'evt-a', now, forgetAfter: HOUR });
      expect(await take('2026-03-01T09:00:00.000Z')).toBe(true);
      expect(await take('2026-03-01T09:30:00.000Z')).toBe(false);
      expect(await take(HOUR)).toBe(false);
      expect(await store.takeWebhookEvent({ eventId: 'evt-b', now: '2026-03-01T09:30:00.000Z', forgetAfter: HOUR })).toBe(true);
      // Past its forgetAfter the memory lets it go: by then the event is refused on its age anyway.
      expect(await take('2026-03-01T10:00:00.001Z')).toBe(true);
    });

    const withPeers = options.peers ? it : it.skip;
    withPeers('is kept in the store, so a second instance refuses what the first took', async () => {
      const peer = await h.openPeer();
      try {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, n) => (n % 2 === 0 ? h.store() : peer).takeWebhookEvent({ eventId: 'evt-race', now: '2026-03-01T09:00:00.000Z', forgetAfter: HOUR })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      } finally {
        await peer.close();
      }
    });
  });
}
