/**
 * The Partner Center connector contract, run against the in-memory Partner Center the engine unit
 * tests use (test/support/fake-partner-center.ts), under both co-sell readings: the fake must
 * behave as the real connector against the emulator does, or the unit tests prove nothing.
 */
import { describe } from '@jest/globals';
import { FakeClock } from '../../support/fake-clock.js';
import { FakePartnerCenter } from '../../support/fake-partner-center.js';
import { partnerCenterContract, type ContractBackend } from './support/contract-suite.js';
import { SOLUTION_ID } from './support/fixtures.js';

describe.each(['twoReferrals', 'singleReferral'] as const)('in-memory fake Partner Center (%s)', (coSellMode) => {
  const clock = new FakeClock(Date.parse('2026-03-02T09:00:00Z'));
  const pc = new FakePartnerCenter({ clock, coSellMode, solutionId: SOLUTION_ID, pageSize: 7 });
  const seeded = 23;
  for (let i = 0; i < seeded; i++) {
    pc.receive(i % 2 === 0 ? 'lead' : 'coSellInvite');
    clock.t += 1000;
  }
  const backend = (): ContractBackend => ({
    connector: pc,
    coSellMode,
    seeded,
    editAsUser: (id, changes) => Promise.resolve(void pc.edit(id, changes)),
    countByExternalReferenceId: (ext) => Promise.resolve(pc.countByExternalReferenceId(ext)),
    receiveFromMicrosoft: (category) => Promise.resolve(pc.receive(category).id),
    cutOffCreates: (on) => {
      pc.cutOffCreates = on;
    },
  });
  partnerCenterContract(`in-memory fake (${coSellMode})`, backend);
});
