/**
 * Integration tests and benchmarks run the real thing: the sandbox emulators over TLS, the real connectors and
 * client libraries, the real mappings and a real SQLite store, built by the composition root
 * from a configuration file as an operator would write it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { composeEngine, type ComposedEngine } from '../src/app/compose.js';
import { parseConfigText, type Config } from '../src/config/index.js';
import type { CrmSystem } from '../src/domain/crm-record.js';
import { sandboxTime } from './sandbox-time.js';
import type { EngineDeps, EngineOptions } from '../src/engine/types.js';
import { createLogger } from '../src/logging/index.js';
import { openStore } from '../src/store/open-store.js';
import type { StateStore } from '../src/store/types.js';
import { sandboxDaemonConfig } from '../sandbox/daemon-config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/start-sandbox.js';
import { trustedSandboxCa } from './trusted-ca.js';

export const repoRoot = resolve(import.meta.dirname, '..');

export interface Harness {
  sandbox: Sandbox;
  config: Config;
  configFile: string;
  env: Record<string, string>;
  dir: string;
  store: StateStore;
  engine: ComposedEngine;
  /** Everything the daemon logged, one JSON object a line. */
  logs: string[];
  close(): Promise<void>;
}

export { sandboxTime };

export async function startHarness(args: {
  seed?: number;
  size: number;
  crms?: readonly CrmSystem[];
  sandbox?: Partial<SandboxOptions>;
  engine?: Partial<EngineOptions>;
  /** Replaces the default mapping file of a CRM (an admin's edited copy). */
  mappingFiles?: Partial<Record<CrmSystem, string>>;
  /** Receives operator notifications. */
  notify?: EngineDeps['notify'];
}): Promise<Harness> {
  const crms = args.crms ?? ['salesforce'];
  const sandbox = await startSandbox({ seed: args.seed ?? 7, size: args.size, crms, referrals: 0, ca: trustedSandboxCa(), ...args.sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'cosell-it-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms, mappingsDir: join(repoRoot, 'mappings'), serverPort: 0 });
  let text = yaml;
  for (const [system, file] of Object.entries(args.mappingFiles ?? {})) {
    text = text.replace(`${join(repoRoot, 'mappings')}/${system}.yaml`, file);
  }
  const configFile = join(dir, 'cosell-sync.yaml');
  writeFileSync(configFile, text);
  const parsed = parseConfigText({ text, env, cwd: repoRoot });
  if (!parsed.ok) throw new Error(`sandbox config invalid: ${JSON.stringify(parsed.error)}`);
  const config = parsed.value;
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    pretty: false,
    destination: new Writable({
      write: (chunk: Buffer, _enc, done) => {
        logs.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state.sqlite') });
  const engine = composeEngine({ config, logger, store, clock: sandboxTime(sandbox), ...(args.engine ? { overrides: args.engine } : {}), ...(args.notify ? { notify: args.notify } : {}) });
  if (engine.partnerCenter.login) await engine.partnerCenter.login.loginWithDeviceCode({ onCode: () => undefined });
  return {
    sandbox,
    config,
    configFile,
    env,
    dir,
    store,
    engine,
    logs,
    close: async () => {
      await engine.close();
      await store.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
