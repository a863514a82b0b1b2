import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINK_TRANSITIONS, canMove, moveLink, IllegalLinkTransitionError } from '../../src/engine/link-states.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { LINK_STATES, type LinkInput } from '../../src/store/types.js';
import { repoRoot } from '../support/sandbox-harness.js';

const input = (overrides: Partial<LinkInput> = {}): LinkInput => ({
  crmSystem: 'salesforce',
  crmKind: 'opportunity',
  crmId: '006A',
  referralId: null,
  engagementId: null,
  origin: 'crm',
  state: 'creating',
  snapshot: {},
  crmVersion: null,
  referralETag: null,
  respondBy: null,
  ...overrides,
});

describe('the link state machine', () => {
  it('names every state, and every state may stay where it is', () => {
    expect(Object.keys(LINK_TRANSITIONS).sort()).toEqual([...LINK_STATES].sort());
    for (const state of LINK_STATES) expect(canMove(state, state)).toBe(true);
  });

  it('never leaves closed, and a link that knows its referral never goes back to creating', async () => {
    for (const to of LINK_STATES) expect(canMove('closed', to)).toBe(to === 'closed');
    const store = openSqliteStore({ path: ':memory:' });
    try {
      const unlinked = await store.saveLink(input({ state: 'unlinked', referralId: 'ref-1' }));
      await expect(moveLink(store, unlinked, { state: 'creating' })).rejects.toBeInstanceOf(IllegalLinkTransitionError);
      const dropped = await store.saveLink(input({ crmId: '006B', state: 'unlinked' }));
      await expect(moveLink(store, dropped, { state: 'creating' })).resolves.toMatchObject({ state: 'creating' });
      const closed = await store.saveLink(input({ crmId: '006C', state: 'closed', referralId: 'ref-2' }));
      await expect(moveLink(store, closed, { state: 'linked' })).rejects.toThrow('cannot go from closed to linked');
      expect((await store.getLink(closed.id))?.state).toBe('closed');
    } finally {
      await store.close();
    }
  });

  it('is the only way the engine writes a link', () => {
    const dir = join(repoRoot, 'src/engine');
    const writers = readdirSync(dir).filter((f) => f !== 'link-states.ts' && f !== 'dry-run-store.ts' && /\.saveLink\(/.test(readFileSync(join(dir, f), 'utf8')));
    expect(writers).toEqual([]);
  });
});
