#!/usr/bin/env node
/** The `cosell-sync` executable: the one place that hands `process` to the program. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

import { runCli } from './program.js';

// A cycle's pages are garbage once committed, yet V8 by default lets the heap grow to several
// times what is live before it collects (a 20,000-record backfill peaked at 242 MB of RSS with
// 32 MB live). Growing the heap 20 % at a time keeps the peak near what a cycle holds, for about
// a tenth more CPU. V8 reads this factor at every collection, so setting it here takes effect.
setFlagsFromString('--heap-growing-percent=20');

/** The package version, from the package.json above this file (in src/ or in dist/src/). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cosell-sync' && pkg.version !== undefined) return pkg.version;
    } catch {
      // Not at this level; try the next.
    }
  }
  return 'unknown';
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTty: process.stderr.isTTY === true,
  version: packageVersion(),
  // Loaded by `run` only: every connector and the engine are behind it, and `version` needs none.
  composeRuntime: async (deps) => (await import('../app/runtime.js')).composeRuntime(deps),
  onShutdownSignal: (handler) => {
    const onSignal = (signal: NodeJS.Signals): void => handler(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    return () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    };
  },
});
// Exit explicitly: a connector's keep-alive socket must not hold a stopped daemon open.
process.exit(code);
