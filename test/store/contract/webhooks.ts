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

    it('refuses a replay within its window and takes an expired event again, however long since the memory was cleared', async () => {
      const store = h.store();
      const clock = h.clock();
      const start = clock.now().getTime();
      const at = (ms: number): string => new Date(start + ms).toISOString();
      const take = (eventId: string, forgetAfterMs: number): Promise<boolean> => store.takeWebhookEvent({ eventId, now: clock.iso(), forgetAfter: at(forgetAfterMs) });
      const SECOND = 1_000;
      const MINUTE = 60 * SECOND;

      expect(await take('evt-brief', SECOND)).toBe(true);
      expect(await take('evt-long', 3 * MINUTE)).toBe(true);
      // Two seconds on: the brief one is past its forgetAfter, the long one is not.
      clock.advance(2 * SECOND);
      expect(await take('evt-brief', 3 * SECOND)).toBe(true);
      expect(await take('evt-long', 3 * MINUTE)).toBe(false);
      clock.advance(SECOND / 2);
      expect(await take('evt-brief', 3 * SECOND)).toBe(false);
      // Well over a minute on, on both sides of the long one's forgetAfter.
      clock.advance(88 * SECOND);
      expect(await take('evt-long', 3 * MINUTE)).toBe(false);
      expect(await take('evt-brief', 2 * MINUTE)).toBe(true);
      clock.advance(3 * MINUTE - 90.5 * SECOND);
      expect(await take('evt-long', 4 * MINUTE)).toBe(false);
      expect(await take('evt-brief', 4 * MINUTE)).toBe(true);
      clock.advance(1);
      expect(await take('evt-long', 4 * MINUTE)).toBe(true);
      expect(await take('evt-long', 4 * MINUTE)).toBe(false);
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
