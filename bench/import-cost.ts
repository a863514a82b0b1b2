/**
 * What each runtime dependency costs a process that imports it: wall time of the `import()` and
 * the RSS it adds, each in a fresh `node` (median of `--repeat` runs, default 5). The CLI loads the
 * heavy ones only in the commands that need them (test/app/npx.integration.test.ts checks which);
 * this says what each would cost a command that did not need it.
 *
 * Usage: npm run bench -- import-cost [--repeat 5]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { median, root, table } from './user-kit.js';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } }, allowPositionals: true });
const repeat = Number(values.repeat);
const dependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

/** One fresh process importing `name` ('' imports nothing): [ms, MB added]. */
function importOnce(name: string): [number, number] {
  const script = `
    const before = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    ${name === '' ? '' : `await import(${JSON.stringify(name)});`}
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(JSON.stringify([ms, (process.memoryUsage().rss - before) / 1048576]));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`importing ${name} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as [number, number];
}

const rows: string[][] = [];
for (const name of ['', ...dependencies]) {
  const runs = Array.from({ length: repeat }, () => importOnce(name));
  rows.push([name === '' ? '(nothing: node alone)' : name, `${median(runs.map((r) => r[0])).toFixed(1)} ms`, `${median(runs.map((r) => r[1])).toFixed(1)} MB`]);
}
process.stdout.write(`Machine: shared, 2 cores; each figure is the median of ${repeat} fresh processes.\n\n`);
process.stdout.write(`${table(['module', 'import', 'RSS added'], rows)}\n`);
