/**
 * Runs convergence stories with fast-check: each a new world (sandbox and store) with a random
 * seed and a random list of steps. A failing story is reported with its seed, its replay path and
 * everything that happened; `CONVERGENCE_SEED` and `CONVERGENCE_PATH` replay it exactly.
 */
import fc from 'fast-check';
import { emptyStats, playStory, type StoryStats } from './model.js';
import { openingArbitrary, stepArbitrary } from './steps.js';
import { openWorld } from './world.js';

export interface ConvergenceOptions {
  runs: number;
  seed?: number;
  path?: string;
  /** A story that takes longer fails with what it had done. */
  storyDeadlineMs: number;
  /** Receives the daemon's log lines (JSON), e.g. to append them to a file. */
  log?: (line: string) => void;
  /** Called after each story. */
  onStory?: (result: { index: number; ok: boolean; ms: number; stats: StoryStats }) => void;
}

export const storyArbitrary = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.array(openingArbitrary, { minLength: 2, maxLength: 5 }), fc.array(stepArbitrary, { minLength: 8, maxLength: 30 }))
  .map(([seed, opening, body]) => [seed, [...opening, ...body]] as const);

export interface ConvergenceResult {
  runs: number;
  failed: boolean;
  seed: number;
  /** The replay path of the failing story. */
  path: string | null;
  /** What did not hold, the sandbox seed and what happened. */
  message: string | null;
}

export async function runConvergence(options: ConvergenceOptions): Promise<ConvergenceResult> {
  let index = 0;
  const property = fc.asyncProperty(storyArbitrary, async ([seed, steps]) => {
    const started = Date.now();
    const journal: string[] = [];
    const stats = emptyStats();
    const world = await openWorld({ seed, ...(options.log ? { log: options.log } : {}) });
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<string[]>((resolve) => {
        timer = setTimeout(() => resolve([`the story did not finish within ${options.storyDeadlineMs / 1000} s`]), options.storyDeadlineMs);
      });
      const problems = await Promise.race([playStory(world, steps, journal, stats), deadline]);
      options.onStory?.({ index: index++, ok: problems.length === 0, ms: Date.now() - started, stats });
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- sandbox seed ${seed}; what happened:\n${journal.join('\n')}`);
    } finally {
      clearTimeout(timer);
      await world.close();
    }
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    endOnFailure: true,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const error = details.errorInstance;
  return {
    runs: details.numRuns,
    failed: details.failed,
    seed: details.seed,
    path: details.counterexamplePath,
    message: details.failed ? (error instanceof Error ? error.message : String(error)) : null,
  };
}
