/**
 * The convergence suite (harness/convergence): random stories of people editing both systems,
 * Microsoft answering, referrals expiring, network faults and daemon processes killed at any
 * boundary, each run to quiescence and checked: one referral per record, no lost update, no echo,
 * closed stays closed.
 *
 * CONVERGENCE_RUNS sets how many stories (default 60); a failure prints the seed and path, and
 * CONVERGENCE_SEED=… CONVERGENCE_PATH=… replays exactly that story. CONVERGENCE_LOG=FILE appends
 * the daemon's log lines to FILE. `npm run bench -- convergence` runs a long series.
 */
import { appendFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { runConvergence } from '../../harness/convergence/run.js';

const runs = Number(process.env['CONVERGENCE_RUNS'] ?? 60);
const seed = process.env['CONVERGENCE_SEED'];
const path = process.env['CONVERGENCE_PATH'];
const logFile = process.env['CONVERGENCE_LOG'];

it(
  `${runs} random stories converge: one referral per record, no lost update, no echo, closed stays closed`,
  async () => {
    const result = await runConvergence({
      runs,
      storyDeadlineMs: 120_000,
      ...(seed ? { seed: Number(seed) } : {}),
      ...(path ? { path } : {}),
      ...(logFile ? { log: (line: string) => appendFileSync(logFile, `${line}\n`) } : {}),
    });
    const replay = `replay: CONVERGENCE_SEED=${result.seed} CONVERGENCE_PATH=${result.path ?? ''}`;
    expect(result.failed ? `${result.message}\n${replay}` : 'converged').toBe('converged');
  },
  Math.max(300_000, runs * 130_000),
);
