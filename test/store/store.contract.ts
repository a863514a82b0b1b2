/**
 * The state store contract: every StateStore implementation runs this same suite.
 * `makeStore` is called for each test with the fake clock the test controls.
 */
import { afterEach, beforeEach, describe } from '@jest/globals';
import { conflictContract } from './contract/conflicts.js';
import { leaseContract } from './contract/leases.js';
import { fakeClock, type FakeClock, type Harness, type MadeStore, type MakeStore } from './contract/fixtures.js';
import { healthContract } from './contract/health.js';
import { historyContract, opsReadContract } from './contract/history.js';
import { linkContract } from './contract/links.js';
import { recordContract } from './contract/records.js';
import { transactionContract } from './contract/transactions.js';
import { webhookContract } from './contract/webhooks.js';

export type { MadeStore, MakeStore } from './contract/fixtures.js';

/**
 * Registers the contract suite for one implementation. Pass `peers: true` when `makeStore`
 * returns `openPeer`, a second instance on the same database, so the cross-instance lease race runs.
 */
export function runStoreContract(name: string, makeStore: MakeStore, options: { peers?: boolean } = {}): void {
  describe(`${name} (StateStore contract)`, () => {
    let clock: FakeClock = fakeClock();
    let made: MadeStore | undefined;
    beforeEach(async () => {
      clock = fakeClock();
      made = await makeStore({ clock });
    });
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });
    const current = (): MadeStore => {
      if (made === undefined) throw new Error('no store: used outside a test');
      return made;
    };
    const harness: Harness = {
      store: () => current().store,
      clock: () => clock,
      openPeer: () => {
        const openPeer = current().openPeer;
        if (openPeer === undefined) throw new Error(`${name} has no second instance to open`);
        return openPeer();
      },
    };
    linkContract(harness);
    recordContract(harness);
    conflictContract(harness);
    leaseContract(harness, { peers: options.peers ?? false });
    transactionContract(harness);
    healthContract(harness);
    historyContract(harness);
    opsReadContract(harness);
    webhookContract(harness, { peers: options.peers ?? false });
  });
}
