/**
 * Stories the random convergence suite once found failing, kept as they were cut down, so each
 * stays fixed whatever seeds later runs draw. A story names what people and the daemon did; the
 * invariants are the suite's own (harness/convergence/model.ts).
 */
import { afterEach, expect, it } from '@jest/globals';
import { playStory } from '../../harness/convergence/model.js';
import type { Step } from '../../harness/convergence/steps.js';
import { openWorld, type World } from '../../harness/convergence/world.js';

const FOUND: readonly { what: string; seed: number; steps: readonly Step[] }[] = [
  {
    what: 'killed after its Partner Center write landed, then a person edits the same field within that second',
    seed: 7,
    steps: [
      { kind: 'share', dealType: 'private' },
      { kind: 'wait', seconds: 35 },
      { kind: 'cycle', direction: 'out', killAt: null },
      { kind: 'crmEdit', rec: 0, field: 'Name', value: 13, sameSecond: false },
      // The 17th boundary call falls after the referral's update and before the link is saved.
      { kind: 'cycle', direction: 'out', killAt: 17 },
      { kind: 'crmEdit', rec: 0, field: 'Name', value: 9021, sameSecond: true },
    ],
  },
];

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it.each(FOUND)('converges: $what', async ({ seed, steps }) => {
  world = await openWorld({ seed });
  const journal: string[] = [];
  const problems = await playStory(world, steps, journal);
  expect(problems.length === 0 ? 'converged' : `${problems.join('\n')}\n${journal.join('\n')}`).toBe('converged');
}, 120_000);
