import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText, MINIMAL_ENV, MINIMAL_YAML, scratchDir } from './helpers.js';

async function cli(argv: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = {
    stdout: stdout.write,
    stderr: stderr.write,
    env: options.env ?? {},
    cwd: options.cwd ?? '/',
    stderrIsTty: false,
    version: '9.8.7',
    onShutdownSignal: () => () => undefined,
  };
  const code = await runCli(argv, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `config check` on `yaml` in a scratch directory holding the default mapping file. */
async function configCheck(yaml: string, env: Record<string, string> = MINIMAL_ENV) {
  const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': yaml });
  try {
    return await cli(['config', 'check', '--config', 'cosell.yaml'], { env, cwd: scratch.dir });
  } finally {
    scratch.cleanup();
  }
}

describe('cosell-sync CLI', () => {
  it('prints its version with `version` and `--version`', async () => {
    expect(await cli(['version'])).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
  });

  it('lists its commands with `help`', async () => {
    const result = await cli(['help']);
    expect(result.code).toBe(0);
    for (const command of ['version', 'config', 'run', 'help']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('gives a short usage error and a non-zero exit for an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe("error: unknown command 'frobnicate'\n(run \"cosell-sync help\" for usage)\n");
  });

  it('suggests the command a misspelt one was probably meant to be', async () => {
    const result = await cli(['confg', 'check']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("error: unknown command 'confg'\n(Did you mean config?)");
  });

  it('gives a short usage error and a non-zero exit for an unknown flag', async () => {
    const result = await cli(['config', 'check', '--verbose']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("error: unknown option '--verbose'");
    expect(result.stdout).toBe('');
  });
});

describe('cosell-sync config check', () => {
  it('reports a YAML indentation error with its line and exits 2', async () => {
    const result = await configCheck('partnerCenter:\n  auth:\n    mode: staticToken\n   bad: 1\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has 1 problem:\n {2}- YAML: All mapping items must start at the same column \(line 4, column 1\)\n$/);
  });

  it('reports an unknown key with where it is and exits 2', async () => {
    const result = await configCheck(`${MINIMAL_YAML}salesfroce:\n  instanceUrl: https://x.my.salesforce.com\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  - unknown key "salesfroce" (did you mean "salesforce"?) (line 6, column 1)\n');
  });

  it('reports a wrong type with its path and exits 2', async () => {
    const result = await configCheck(`${MINIMAL_YAML}server:\n  port: eighty\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  - server.port: expected number, got string "eighty" (line 7, column 9)\n');
  });

  it('reports a missing secret by the variables to set and exits 2', async () => {
    const result = await configCheck(MINIMAL_YAML, { COSELL_PC_TOKEN: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '  - salesforce.auth.accessToken: missing secret: set SALESFORCE_ACCESS_TOKEN or SALESFORCE_ACCESS_TOKEN_FILE',
    );
  });

  it('prints every problem of a file with several', async () => {
    const result = await configCheck(`${MINIMAL_YAML}server:\n  port: eighty\n  hots: x\nsync:\n  timeZone: Nowhere/Land\n`, {});
    expect(result.code).toBe(2);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toHaveLength(5);
  });

  it('prints the effective configuration, secrets masked, for a valid file', async () => {
    const result = await configCheck(MINIMAL_YAML);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const secret of Object.values(MINIMAL_ENV)) expect(result.stdout).not.toContain(secret);
    const printed = parse(result.stdout) as Record<string, Record<string, unknown>>;
    expect(printed['partnerCenter']?.['auth']).toEqual({ mode: 'staticToken', token: '*** (env COSELL_PC_TOKEN)' });
    expect(printed['sync']?.['shutdownGraceMs']).toBe(10_000);
  });

  it('finds the file through COSELL_CONFIG when --config is absent', async () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'elsewhere/c.yaml': MINIMAL_YAML });
    try {
      const result = await cli(['config', 'check'], { env: { ...MINIMAL_ENV, COSELL_CONFIG: 'elsewhere/c.yaml' }, cwd: scratch.dir });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`# Effective configuration from ${scratch.dir}/elsewhere/c.yaml`);
    } finally {
      scratch.cleanup();
    }
  });
});
