/**
 * Follows each guide's "Try it on the sandbox" section as written: its `cosell-sync sandbox`
 * command starts the emulators (smaller, and in a scratch directory), the environment comes from
 * the sandbox.env it writes, and every following command runs against the configuration it wrote.
 */
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { CA_CERT_FILE, CA_KEY_FILE } from '../../sandbox/shared/ca-files.js';
import { captureText, eventually, scratchDir } from '../app/helpers.js';
import { TEST_CA_DIR } from '../support/trusted-ca.js';
import { commandsIn, readGuide, section } from './guide-text.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const GUIDE_CONFIG = 'var/sandbox/cosell-sync.yaml';

interface Step {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the section's commands in order; the first must be `cosell-sync sandbox`. */
async function follow(guide: string): Promise<Step[]> {
  const commands = commandsIn(section(readGuide(ROOT, guide).text, 'Try it on the sandbox')).map((c) => c.argv);
  const [start, ...rest] = commands;
  if (start?.[0] !== 'sandbox') throw new Error(`${guide}: the sandbox section does not start the sandbox`);
  const scratch = scratchDir();
  // The sandbox keeps the CA it finds in its directory: this one, which the test process trusts
  // (Dataverse's client trusts only the process's CAs, as the daemon does through sandbox.env).
  for (const file of [CA_CERT_FILE, CA_KEY_FILE]) copyFileSync(join(TEST_CA_DIR, file), join(scratch.dir, file));
  const sandboxOut = captureText();
  let stop: () => void = () => undefined;
  const running = runCli([...start, '--size', '5', '--out', scratch.dir], {
    stdout: sandboxOut.write,
    stderr: captureText().write,
    env: {},
    cwd: ROOT,
    stderrIsTty: false,
    version: 'docs',
    onShutdownSignal: (handler) => {
      stop = () => handler('SIGINT');
      return () => undefined;
    },
  });
  try {
    await eventually(() => sandboxOut.text().includes('Ctrl-C stops the sandbox.'), 60_000);
    // "after loading var/sandbox/sandbox.env into the environment"
    const env = Object.fromEntries(
      readFileSync(join(scratch.dir, 'sandbox.env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const config = join(scratch.dir, 'cosell-sync.yaml');
    const steps: Step[] = [];
    for (const argv of rest) {
      const stdout = captureText();
      const stderr = captureText();
      const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env, cwd: ROOT, stderrIsTty: false, version: 'docs', onShutdownSignal: () => () => undefined };
      const code = await runCli(
        argv.map((arg) => (arg === GUIDE_CONFIG ? config : arg)),
        ctx,
      );
      steps.push({ argv, code, stdout: stdout.text(), stderr: stderr.text() });
    }
    return steps;
  } finally {
    stop();
    await running;
    scratch.cleanup();
  }
}

describe('the guides, followed on the sandbox', () => {
  it('setup-partner-center.md: signs in by device code, reports the sign-in working, registers the webhook', async () => {
    const steps = await follow('setup-partner-center.md');
    expect(steps.map((s) => [s.argv.slice(0, 2).join(' '), s.code])).toEqual([
      ['auth login', 0],
      ['auth status', 0],
      ['webhooks register', 0],
    ]);
    expect(steps[0]?.stdout).toMatch(/^signed in/m);
    expect(steps[1]?.stdout).toBe('Partner Center sign-in: ok\n');
    expect(steps[2]?.stdout).toBe('registered http://127.0.0.1:8788/webhooks/partner-center for referral-created, referral-updated, related-referral-created, related-referral-updated\n');
  });

  // Each CRM guide's sandbox starts an org without the custom fields and with the standard stages only.
  for (const [guide, crm, label] of [
    ['setup-salesforce.md', 'salesforce', 'Salesforce'],
    ['setup-dynamics.md', 'dynamics', 'Dataverse'],
  ] as const) {
    it(`${guide}: a new org fails the live check, setup plans and makes what the mapping needs, then the check passes and a dry run plans the first cycle`, async () => {
      const steps = await follow(guide);
      expect(steps.map((s) => [s.argv.slice(0, 3).join(' '), s.code])).toEqual([
        ['mappings validate --live', 2],
        [`crm setup --crm`, 0],
        [`crm setup --crm`, 0],
        ['mappings validate --live', 0],
        ['auth login --config', 0],
        ['sync --dry-run --config', 0],
      ]);
      const [before, plan, made, after, , dryRun] = steps;
      expect(before?.stdout).toContain(crm === 'salesforce' ? "the CRM has no opportunity field 'Referral_Id__c'" : "the CRM has no opportunity field 'cosell_referralid'");
      expect(plan?.stdout).toMatch(new RegExp(`^${label}: \\d+ step\\(s\\)$`, 'm'));
      expect(plan?.stdout).toContain('dry run: nothing changed');
      // The stages (status reasons) an unanswered, declined and expired referral need, in an org with the standard ones only.
      expect(plan?.stdout).toMatch(crm === 'salesforce' ? /StageName.*On Hold/ : /statuscode values: 100000001 Declined/);
      expect(made?.stdout).toContain('checked: the org now has everything the steps made');
      expect(after?.stdout).toMatch(new RegExp(`${crm}\\.yaml against ${crm}: ok`));
      expect(dryRun?.stderr).not.toContain('"level":50'); // no error logged
      expect(dryRun?.stdout).toContain('DRY RUN: nothing was written.');
    });
  }
});
