/** `mappings preview` with ids that name no record or a file that holds none: one line that says so, against the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';
import { captureText } from './helpers.js';

/** `cosell-sync mappings preview ...args` against the harness; stderr without its JSON log lines. */
async function preview(h: Harness, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env: h.env, cwd: h.dir, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli(['mappings', 'preview', ...args, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text().split('\n').filter((l) => !l.startsWith('{')).join('\n') };
}

describe('mappings preview --crm-id with an id that names no record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 5 });
  });
  afterAll(() => h.close());

  it.each([
    ['is not a Salesforce id at all', '006XYZ'],
    ['is well formed but does not exist', '006000000000099AAA'],
  ])('says so in one line when the id %s', async (_what, id) => {
    const { code, stdout, stderr } = await preview(h, ['--crm-id', id]);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`cosell-sync: no salesforce opportunity ${id}: it does not exist, the integration user cannot see it, or it is another kind of record (a lead: add --kind lead)`]);
  });
});

describe('mappings preview --file with a file that holds no record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 1 });
  });
  afterAll(() => h.close());

  const expected = 'give a CRM record as JSON ({ "kind", "id", "fields" }) or a referral as Partner Center returns it';
  it.each([
    ['is empty', '', 'not JSON (Unexpected end of JSON input)'],
    ['is not JSON', 'kind: opportunity', 'not JSON ('],
    ['holds an array', '[]', 'holds an array, not an object'],
  ])('names the file and says what it should hold when it %s', async (_what, text, reason) => {
    const file = join(h.dir, 'record.json');
    writeFileSync(file, text);
    const { code, stdout, stderr } = await preview(h, ['--file', file]);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim()).toContain(`cosell-sync: --file ${file}: ${reason}`);
    expect(stderr.trim()).toContain(expected);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says so when the file does not exist', async () => {
    const { stderr } = await preview(h, ['--file', join(h.dir, 'missing.json')]);
    expect(stderr.trim()).toBe(`cosell-sync: --file ${join(h.dir, 'missing.json')}: no such file; ${expected}`);
  });
});
