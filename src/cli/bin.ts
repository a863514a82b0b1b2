#!/usr/bin/env node
/** The `cosell-sync` executable: the one place that hands `process` to the program. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

import { runCli } from './program.js';
import { v8FlagsFor } from './v8-flags.js';

for (const flag of v8FlagsFor(process.argv.slice(2))) setFlagsFromString(flag);

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
