import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { fileURLToPath } from 'node:url';

import { captureText, eventually, logSink, MINIMAL_ENV, scratchDir } from './helpers.js';

const MAPPING = fileURLToPath(new URL('../../mappings/salesforce.yaml', import.meta.url));

const yaml = (storePath: string): string => `store: { kind: sqlite, path: ${JSON.stringify(storePath)} }
partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: ${JSON.stringify(MAPPING)}
server: { enabled: false }
sync:
  schedule: { outbound: "0 0 1 1 *", inbound: "0 0 1 1 *", reconcile: "0 0 1 1 *" }
`;

async function startingLine(storePath: string, cwdFile = 'cosell.yaml'): Promise<Record<string, unknown> | undefined> {
  const work = scratchDir({ [cwdFile]: yaml(storePath) });
  const log = logSink();
  let stop: (signal: string) => void = () => undefined;
  const ctx: CliContext = {
    stdout: captureText().write,
    stderr: captureText().write,
    env: MINIMAL_ENV,
    cwd: work.dir,
    stderrIsTty: false,
    version: '0.0.0-test',
    onShutdownSignal: (handler) => {
      stop = handler;
      return () => undefined;
    },
    logDestination: log.stream,
  };
  try {
    const running = runCli(['run', '--config', cwdFile], ctx);
    await eventually(() => log.events().includes('daemon started'));
    stop('SIGTERM');
    expect(await running).toBe(0);
    return log.lines().find((line) => line['msg'] === 'daemon starting');
  } finally {
    work.cleanup();
  }
}

describe('cosell-sync run: where the store is', () => {
  it('says the resolved store path at start, and that it is outside the working directory', async () => {
    const elsewhere = scratchDir();
    try {
      const path = join(elsewhere.dir, 'volume', '..', 'state.sqlite');
      expect(await startingLine(path)).toMatchObject({ storePath: join(elsewhere.dir, 'state.sqlite'), storeOutsideWorkingDirectory: true });
    } finally {
      elsewhere.cleanup();
    }
  });

  it('says the resolved path of a store inside the working directory too', async () => {
    const line = await startingLine('var/state.sqlite');
    expect(line?.['storePath']).toMatch(/\/var\/state\.sqlite$/);
    expect(line?.['storeOutsideWorkingDirectory']).toBe(false);
  });
});
