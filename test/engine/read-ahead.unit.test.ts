import { describe, expect, it } from '@jest/globals';

import { readAhead } from '../../src/engine/read-ahead.js';

/** A source of `count` pages that notes when each page is asked for and when the source is released. */
function pages(count: number, events: string[], failAt?: number): AsyncIterable<number> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: async () => {
          events.push(`read ${i}`);
          if (i === failAt) throw new Error(`page ${i} could not be read`);
          return i < count ? { value: i++, done: false } : { value: undefined, done: true };
        },
        return: async () => {
          events.push('released');
          return { value: undefined, done: true };
        },
      };
    },
  };
}

describe('pages read one ahead', () => {
  it('reads the next page while one is worked on, and hands them out in order', async () => {
    const events: string[] = [];
    for await (const page of readAhead(pages(3, events))) events.push(`work ${page}`);
    expect(events).toEqual(['read 0', 'read 1', 'work 0', 'read 2', 'work 1', 'read 3', 'work 2', 'released']);
  });

  it('a page that could not be read fails the cycle when it is reached, after the pages before it were worked on', async () => {
    const events: string[] = [];
    const work = async (): Promise<void> => {
      for await (const page of readAhead(pages(3, events, 1))) events.push(`work ${page}`);
    };
    await expect(work()).rejects.toThrow('page 1 could not be read');
    expect(events).toEqual(['read 0', 'read 1', 'work 0', 'released']);
  });

  it('a cycle that stops early releases the source', async () => {
    const events: string[] = [];
    for await (const page of readAhead(pages(5, events))) {
      events.push(`work ${page}`);
      break;
    }
    expect(events).toEqual(['read 0', 'read 1', 'work 0', 'released']);
  });
});
