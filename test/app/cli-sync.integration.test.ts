import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';
import { captureText } from './helpers.js';

/** `cosell-sync ARGS --config <the sandbox config>`, in process, with the sandbox's secrets. */
async function cli(h: Harness, argv: string[]) {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = {
    stdout: stdout.write,
    stderr: stderr.write,
    env: h.env,
    cwd: repoRoot,
    stderrIsTty: false,
    version: 'test',
    onShutdownSignal: () => () => undefined,
  };
  const code = await runCli([...argv, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('cosell-sync sync against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 30, sandbox: { salesforce: { participatingRate: 1 } } });
  });
  afterAll(() => h.close());

  it('runs one cycle in both directions without --once, and exits 3 when records failed', async () => {
    // A flagged deal whose amount Partner Center cannot take: this record fails, the rest go on.
    const [opp] = h.sandbox.salesforce!.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true LIMIT 1' }) as { Id: string }[];
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: opp!.Id, fields: { CurrencyIsoCode: 'XTS' } });

    const first = await cli(h, ['sync']);
    expect(first.stdout).toMatch(/^outbound: read \d+, written [1-9]\d*, skipped \d+, failed [1-9]\d*, held \d+$/m);
    expect(first.stdout).toMatch(/^inbound: read \d+/m);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('record(s) failed; see `cosell-sync failures list`');
    const failures = await cli(h, ['failures', 'list']);
    expect(failures.stdout).toContain(`salesforce:opportunity:${opp!.Id}`);
  });

  it('keeps stdout for the report and sends log lines to stderr', async () => {
    const run = await cli(h, ['sync', '--direction', 'in']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^inbound: read \d+, written \d+, skipped \d+, failed 0, held \d+\n$/);
    const logLines = run.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('cycle finished');
  });

  it('exits 2, having done nothing, on a wrong command line', async () => {
    const wrong = await cli(h, ['sync', '--direction', 'sideways']);
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect((await cli(h, ['sync', '--frobnicate'])).code).toBe(2);
  });
});
