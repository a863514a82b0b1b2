/**
 * The webhook event queue's rules: which ids the pipeline may take, and when it is woken.
 */
import { describe, expect, it } from '@jest/globals';
import { ReferralEventQueue } from '../../src/app/event-queue.js';

/** Whether `promise` has settled once the queue's own callbacks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('the webhook event queue', () => {
  it('gives ids oldest first, at most as many as asked, and repeats of a waiting id as one', () => {
    const queue = new ReferralEventQueue();
    for (const id of ['a', 'b', 'a', 'c', 'b']) queue.push(id);
    expect(queue.take(2)).toEqual(['a', 'b']);
    expect(queue.take(5)).toEqual(['c']);
    expect(queue.take(5)).toEqual([]);
  });

  it('holds back a new event for an id that is being fetched or landed until that id is settled', () => {
    const queue = new ReferralEventQueue();
    queue.push('a');
    expect(queue.take(5)).toEqual(['a']);
    queue.push('a');
    queue.push('b');
    expect(queue.take(5)).toEqual(['b']);
    expect(queue.hasReady).toBe(false);
    queue.settle(['a']);
    expect(queue.take(5)).toEqual(['a']);
  });

  it('wakes a waiting pipeline for a new id or a held-back id settled, not for a repeat of an id in flight', async () => {
    const queue = new ReferralEventQueue();
    const signal = new AbortController().signal;
    queue.push('a');
    expect(await settled(queue.whenReady(signal))).toBe(true);
    queue.take(5);

    const waiting = queue.whenReady(signal);
    queue.push('a');
    expect(await settled(waiting)).toBe(false);
    queue.settle(['a']);
    expect(await settled(waiting)).toBe(true);

    queue.take(5);
    const next = queue.whenReady(signal);
    queue.push('b');
    expect(await settled(next)).toBe(true);
  });

  it('lets a wait end on its signal, and takes nothing more once closed', async () => {
    const queue = new ReferralEventQueue();
    const stop = new AbortController();
    const waiting = queue.whenReady(stop.signal);
    stop.abort();
    expect(await settled(waiting)).toBe(true);
    queue.close();
    queue.push('a');
    expect(queue.take(5)).toEqual([]);
    expect(await settled(queue.whenReady(new AbortController().signal))).toBe(true);
  });
});
