import { describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { ONE_SHOT_COMMANDS, v8FlagsFor } from '../../src/cli/v8-flags.js';

const ctx: CliContext = {
  stdout: () => undefined,
  stderr: () => undefined,
  env: {},
  cwd: '/',
  stderrIsTty: false,
  version: '0.0.0',
  onShutdownSignal: () => () => undefined,
};

describe('the V8 flags the executable sets', () => {
  it.each(['run', 'sync --once', 'failures retry --all', 'sandbox', 'crm setup', 'report', 'remind', ''])(
    '`cosell-sync %s` keeps the optimizing compiler and a growing young generation',
    (line) => {
      expect(v8FlagsFor(line.split(' ').filter(Boolean))).toEqual(['--heap-growing-percent=20']);
    },
  );

  it.each(['config check', 'mappings validate', 'links show --limit 10', 'version', 'history --crm-id 006000000000001'])(
    '`cosell-sync %s` runs without the optimizing compiler',
    (line) => {
      expect(v8FlagsFor(line.split(' '))).toEqual(['--heap-growing-percent=20', '--no-opt', '--semi-space-growth-factor=1']);
    },
  );

  it('names only commands the program has', async () => {
    const program = await buildProgram(ctx);
    const names = new Set(['help', ...program.commands.flatMap((c) => [c.name(), ...c.commands.map((s) => `${c.name()} ${s.name()}`)])]);
    expect([...ONE_SHOT_COMMANDS].filter((name) => !names.has(name))).toEqual([]);
  });
});
