/**
 * `npm run bench -- convergence`: a long run of the convergence suite (harness/convergence):
 * random stories of edits on both sides, Microsoft's answers, expiries, network faults and daemon
 * processes killed at any boundary, each run to quiescence and checked. Prints the number of
 * stories, failures (with the replay seed and path of the first) and what the stories exercised.
 *
 *   CONVERGENCE_RUNS=1000 npm run bench -- convergence
 *   CONVERGENCE_SEED=… CONVERGENCE_PATH=… CONVERGENCE_LOG=/tmp/story.log npm run bench -- convergence   (replay one)
 */
import { appendFileSync } from 'node:fs';
import { emptyStats, type StoryStats } from '../harness/convergence/model.js';
import { runConvergence } from '../harness/convergence/run.js';

const runs = Number(process.env['CONVERGENCE_RUNS'] ?? 300);
const seed = process.env['CONVERGENCE_SEED'];
const path = process.env['CONVERGENCE_PATH'];
const logFile = process.env['CONVERGENCE_LOG'];
const totals: StoryStats = emptyStats();
const times: number[] = [];
const started = Date.now();
const result = await runConvergence({
  runs,
  storyDeadlineMs: 120_000,
  ...(seed ? { seed: Number(seed) } : {}),
  ...(path ? { path } : {}),
  ...(logFile ? { log: (line: string) => appendFileSync(logFile, `${line}\n`) } : {}),
  onStory: ({ ms, stats }) => {
    times.push(ms);
    for (const key of Object.keys(totals) as (keyof StoryStats)[]) totals[key] += stats[key];
    if (process.env['CONVERGENCE_TRACE']) process.stdout.write(`  story ${times.length - 1}: ${ms} ms\n`);
    if (times.length % 25 === 0) process.stdout.write(`  ${times.length} stories…\n`);
  },
});
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(`stories run:                 ${result.runs}`);
console.log(`failures:                    ${result.failed ? 1 : 0}${result.failed ? ' (the run stops at the first)' : ''}`);
console.log(`daemon processes:            ${totals.processes} (${totals.killed} killed at a random boundary, ${totals.failed} ended by a fault)`);
console.log(`records followed:            ${totals.records}`);
console.log(`fields checked for lost updates: ${totals.fieldsChecked}`);
console.log(`closed referrals checked:    ${totals.closedChecked}`);
console.log(`story time:                  median ${(median / 1000).toFixed(2)} s, total ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`fast-check seed:             ${result.seed}`);
if (result.failed) {
  console.log(`replay: CONVERGENCE_SEED=${result.seed} CONVERGENCE_PATH=${result.path ?? ''}`);
  console.log(result.message);
  process.exitCode = 1;
}
