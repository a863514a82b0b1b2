/**
 * `npm run bench`: runs every benchmark program under bench/ one after another, each in its own
 * process (so memory figures are its own), and prints what each measured. Numbers, no verdicts.
 * `npm run bench -- sync` runs only the programs whose file name contains "sync"; arguments after
 * the filter go to each program (`npm run bench -- user-run --sizes 20000 --crm dynamics`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const programArgs = process.argv.slice(3);
const programs = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'all.ts' && !f.endsWith('-kit.ts') && f.includes(filter))
  .sort();

let failed = 0;
for (const program of programs) {
  process.stdout.write(`\n=== ${program}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, program), ...programArgs], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failed++;
  process.stdout.write(`--- ${program}: ${result.status === 0 ? 'done' : `exit ${result.status}`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
