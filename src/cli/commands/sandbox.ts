/**
 * `cosell-sync sandbox`: starts the local emulators of Partner Center, Salesforce, Dataverse
 * and Entra, and writes a configuration that points the daemon at them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ORG_PROFILE_NAMES, orgShapeOf } from '../../../sandbox/org-profiles.js';
import { loadOrCreateSandboxCa } from '../../../sandbox/shared/ca-files.js';
import { sandboxDaemonConfig } from '../../../sandbox/daemon-config.js';
import { freePort } from '../../../sandbox/shared/free-port.js';
import { startSandbox, type SandboxOptions } from '../../../sandbox/start-sandbox.js';
import { isCrmSystem } from '../../domain/crm-record.js';
import { CliExit, EXIT_CONFIG_INVALID, type CliContext } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('sandbox')
    .description('run local emulators of Partner Center, Salesforce and Dataverse, and write a config for them')
    .option('--seed <n>', 'seed of the generated data', '42')
    .option('--size <n>', 'opportunities per CRM', '200')
    .option('--crm <list>', 'CRMs to emulate: salesforce, dynamics or both (inbound lands in the first)', 'salesforce,dynamics')
    .option('--org-profile <names>', `the shape of the CRM orgs: ${ORG_PROFILE_NAMES.join(', ')} (several separated by commas)`, 'standard')
    .option('--faults <file>', 'fault rules per system (YAML or JSON: { partnerCenter: [...], salesforce: [...] })')
    .option('--latency-ms <ms>', 'delay every answer of every emulator by this many milliseconds (--faults rules without their own latency get it too)')
    .option('--without-custom-fields', 'start the CRM orgs as new ones: without the custom fields, columns and keys the default mappings use, and Dataverse without change tracking (to try `crm setup`)')
    .option('--out <dir>', 'where to write cosell-sync.yaml, sandbox-ca.pem and sandbox.env', 'var/sandbox')
    .action(async (options: { seed: string; size: string; crm: string; orgProfile: string; faults?: string; latencyMs?: string; withoutCustomFields?: boolean; out: string }) => {
      const names = options.crm.split(',').map((c) => c.trim());
      const crms = names.filter(isCrmSystem);
      if (names.length === 0 || crms.length < names.length) {
        ctx.stderr('error: --crm takes salesforce, dynamics, or both separated by a comma\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      try {
        orgShapeOf(options.orgProfile);
      } catch (error) {
        ctx.stderr(`error: --org-profile: ${(error as Error).message}\n`);
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      const latencyMs = options.latencyMs === undefined ? 0 : Number(options.latencyMs);
      if (!Number.isInteger(latencyMs) || latencyMs < 0) {
        ctx.stderr(`error: --latency-ms takes a whole number of milliseconds, not "${options.latencyMs}"\n`);
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      const fromFile = options.faults ? (parseYaml(readFileSync(options.faults, 'utf8')) as SandboxOptions['faults']) : undefined;
      const faults = latencyMs > 0 ? withLatency(fromFile ?? {}, latencyMs) : fromFile;
      const started = Date.now();
      const out = resolve(ctx.cwd, options.out);
      // Kept across runs: a daemon started with NODE_EXTRA_CA_CERTS (sandbox.env) keeps trusting it.
      const { ca, certFile: caFile } = loadOrCreateSandboxCa(out);
      const sandbox = await startSandbox({
        seed: Number(options.seed),
        size: Number(options.size),
        crms,
        orgProfile: options.orgProfile,
        ca,
        ...(faults ? { faults } : {}),
        ...(options.withoutCustomFields ? NEW_ORGS : {}),
      });
      const serverPort = await freePort();
      const webhookPort = await freePort();
      const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(out, 'state.sqlite'), caFile, crms, mappingsDir: resolve(ctx.cwd, 'mappings'), serverPort, webhookPort });
      writeFileSync(join(out, 'cosell-sync.yaml'), yaml);
      writeFileSync(join(out, 'sandbox.env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
      ctx.stdout(
        [
          `sandbox up in ${Date.now() - started} ms (seed ${options.seed}, ${options.size} opportunities per CRM, org profile ${options.orgProfile})`,
          `  Entra (tokens):   ${sandbox.entra.server.url}`,
          `  Partner Center:   ${sandbox.partnerCenter.server.url}`,
          sandbox.salesforce ? `  Salesforce:       ${sandbox.salesforce.server.url}` : null,
          sandbox.dynamics ? `  Dataverse:        ${sandbox.dynamics.server.url}` : null,
          `  control API:      <emulator>/_control/... (stats, faults, clock)`,
          '',
          `config written to ${join(out, 'cosell-sync.yaml')}; secrets in ${join(out, 'sandbox.env')}`,
          `the daemon's status page will be http://127.0.0.1:${serverPort}/ (server.port, a port free now)`,
          `its webhook receiver http://127.0.0.1:${webhookPort}/webhooks/partner-center (server.webhooks.port)`,
          'in another terminal:',
          `  set -a; . ${join(out, 'sandbox.env')}; set +a`,
          `  npx cosell-sync auth login --config ${join(out, 'cosell-sync.yaml')}   # approved at once by the sandbox`,
          `  npx cosell-sync run --config ${join(out, 'cosell-sync.yaml')}`,
          '',
          'Ctrl-C stops the sandbox.',
        ]
          .filter((l) => l !== null)
          .join('\n') + '\n',
      );
      await new Promise<void>((done) => {
        const stop = ctx.onShutdownSignal(() => {
          stop();
          done();
        });
      });
      await sandbox.close();
    });
}

/** Emulator options for orgs as they are before `crm setup`: none of what the default mappings add. */
const NEW_ORGS = {
  salesforce: { customFields: 'absent' },
  dynamics: { customColumns: 'absent', changeTrackingEnabled: { opportunity: false, lead: false } },
} as const satisfies Pick<SandboxOptions, 'salesforce' | 'dynamics'>;

/**
 * Every system answers `ms` later. The first matching rule decides a request, so the file's rules
 * get the latency too (unless they set their own) and a latency-only rule catches the rest.
 */
function withLatency(faults: NonNullable<SandboxOptions['faults']>, ms: number): NonNullable<SandboxOptions['faults']> {
  const latencyMs = { min: ms, max: ms };
  const systems = ['entra', 'partnerCenter', 'salesforce', 'dynamics'] as const;
  return Object.fromEntries(systems.map((s) => [s, [...(faults[s] ?? []).map((rule) => ({ latencyMs, ...rule })), { latencyMs }]]));
}
