import { describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { commandLogger } from '../../src/cli/command-logger.js';
import { loadConfigOrExit } from '../../src/cli/load-config-or-exit.js';
import { withStore } from '../../src/cli/with-store.js';
import type { StateStore } from '../../src/store/types.js';
import { captureText, MINIMAL_ENV, scratchDir } from './helpers.js';

const YAML = `store: { kind: sqlite, path: var/state.sqlite }
partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
logging: { level: info, pretty: PRETTY }
`;

function context(cwd: string): { ctx: CliContext; stdout: () => string; stderr: () => string } {
  const stdout = captureText();
  const stderr = captureText();
  return {
    ctx: {
      stdout: stdout.write,
      stderr: stderr.write,
      env: MINIMAL_ENV,
      cwd,
      stderrIsTty: false,
      version: '0.0.0-test',
      onShutdownSignal: () => () => undefined,
    },
    stdout: stdout.text,
    stderr: stderr.text,
  };
}

describe('withStore', () => {
  it.each([false, true])("a command's log goes to stderr, never stdout (pretty: %s)", (pretty) => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': YAML.replace('PRETTY', String(pretty)) });
    try {
      const { ctx, stdout, stderr } = context(scratch.dir);
      const { config } = loadConfigOrExit(ctx, 'cosell.yaml');
      commandLogger(ctx, config.logging).info({ referralId: 'ref-1' }, 'listing conflicts');
      expect(stdout()).toBe('');
      expect(stderr()).toContain('listing conflicts');
    } finally {
      scratch.cleanup();
    }
  });

  it('opens the configured store and closes it after', async () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': YAML.replace('PRETTY', 'false') });
    try {
      const { ctx } = context(scratch.dir);
      let used: StateStore | null = null;
      const value = await withStore(ctx, 'cosell.yaml', async ({ store }) => {
        used = store;
        await store.setCursor('salesforce:opportunity', 'w-1');
        return store.getCursor('salesforce:opportunity');
      });
      expect(value).toBe('w-1');
      await expect((used as unknown as StateStore).getCursor('salesforce:opportunity')).rejects.toThrow();
      const again = await withStore(ctx, 'cosell.yaml', async ({ store }) => store.getCursor('salesforce:opportunity'));
      expect(again).toBe('w-1');
    } finally {
      scratch.cleanup();
    }
  });

  it('closes the store when the command fails', async () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': YAML.replace('PRETTY', 'false') });
    try {
      let used: StateStore | null = null;
      const failing = withStore(context(scratch.dir).ctx, 'cosell.yaml', async ({ store }) => {
        used = store;
        throw new Error('no such conflict');
      });
      await expect(failing).rejects.toThrow('no such conflict');
      await expect((used as unknown as StateStore).countLinks()).rejects.toThrow();
    } finally {
      scratch.cleanup();
    }
  });
});
