import type { Clock } from '../../../src/core/clock.js';
import type { LinkInput, StateStore } from '../../../src/store/types.js';

/** A clock the test moves by hand. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  iso(offsetMs?: number): string;
}

export function fakeClock(start = '2026-03-01T09:00:00.000Z'): FakeClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      t += ms;
    },
    advance: (ms) => {
      t += ms;
    },
    iso: (offsetMs = 0) => new Date(t + offsetMs).toISOString(),
  };
}

export interface MadeStore {
  store: StateStore;
  cleanup(): Promise<void>;
  /** A second, independent store instance on the same database (another process, another host). */
  openPeer?: () => Promise<StateStore>;
}

export type MakeStore = (args: { clock: Clock }) => Promise<MadeStore>;

/** What each part of the contract gets: the store under test for the current test. */
export interface Harness {
  store(): StateStore;
  clock(): FakeClock;
  /** Opens a second instance on the same database; only for backends that have one. */
  openPeer(): Promise<StateStore>;
}

export function linkInput(overrides: Partial<LinkInput> = {}): LinkInput {
  return {
    crmSystem: 'salesforce',
    crmKind: 'opportunity',
    crmId: '006000000000001',
    referralId: null,
    engagementId: null,
    origin: 'crm',
    state: 'linked',
    snapshot: { name: 'Contoso renewal', 'details.dealValue': 0 },
    crmVersion: '2026-03-01T08:59:00.000Z',
    referralETag: null,
    respondBy: null,
    ...overrides,
  };
}

/** A Salesforce-looking 15-character id, distinct per n. */
export const crmId = (n: number): string => `006${String(n).padStart(12, '0')}`;

/** Resolves when `open()` is called: lets a test hold a transaction open at a chosen point. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
