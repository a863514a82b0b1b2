/**
 * A burst of webhooks as a user meets it: the sandbox emulators, `cosell-sync auth login`, the
 * real daemon (`cosell-sync run`, in this process) with its webhook URL registered and its polls
 * set to once a year, so only webhooks move referrals. A hundred co-sell invitations arrive at
 * once, some edited in Partner Center straight away (a second event each, racing the first):
 * every one lands in Salesforce once, with its latest name, and every event is delivered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { composeRuntime } from '../../src/app/runtime.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/store/open-store.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { freePort } from '../../sandbox/shared/free-port.js';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { captureText, eventually, logSink } from '../app/helpers.js';
import { repoRoot } from '../support/sandbox-harness.js';
import { trustedSandboxCa } from '../support/trusted-ca.js';

const BURST = 100;
const EDITED = 10;
const ONCE_A_YEAR = '"0 0 0 1 1 *"';

describe('a burst of Partner Center webhooks (sandbox, real daemon)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let configFile: string;
  let stop: () => void = () => undefined;
  let daemon: Promise<number>;
  const log = logSink();

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 14, size: 10, referrals: 0, crms: ['salesforce'], ca: trustedSandboxCa(), salesforce: { participatingRate: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'cosell-burst-'));
    const caFile = join(dir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.ca.cert);
    const webhookPort = await freePort();
    const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: ['salesforce'], mappingsDir: join(repoRoot, 'mappings'), serverPort: 0, webhookPort });
    configFile = join(dir, 'cosell-sync.yaml');
    writeFileSync(configFile, yaml.replace(/(outbound|inbound|reconcile): "[^"]*"/g, `$1: ${ONCE_A_YEAR}`));
    const ctx: CliContext = {
      stdout: captureText().write,
      stderr: captureText().write,
      env: { ...process.env, ...env },
      cwd: repoRoot,
      stderrIsTty: false,
      version: '0.0.0-test',
      logDestination: log.stream,
      composeRuntime,
      onShutdownSignal: (handler) => {
        stop = () => handler('SIGTERM');
        return () => undefined;
      },
    };
    expect(await runCli(['auth', 'login', '--config', configFile], ctx)).toBe(0);
    daemon = runCli(['run', '--config', configFile], ctx);
    await eventually(() => log.events().includes('daemon started'), 30_000);
    const url = `http://127.0.0.1:${webhookPort}/webhooks/partner-center`;
    expect(await runCli(['webhooks', 'register', '--url', url, '--config', configFile], ctx)).toBe(0);
  }, 120_000);

  afterAll(async () => {
    stop();
    await daemon;
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lands every co-sell invitation of the burst once, each with its latest state', async () => {
    const pc = sandbox.partnerCenter.control;
    const invites = Array.from({ length: BURST }, () => pc.createInbound({ category: 'coSellInvite' }));
    const latestName = new Map(invites.map((r) => [r.id, r.name]));
    for (const r of invites.slice(0, EDITED)) latestName.set(r.id, pc.editAsUser({ id: r.id, changes: { name: `${r.name} (edited)` } }).name);

    const opportunities = (): { Referral_Id__c: string; Name: string }[] =>
      sandbox.salesforce!.control.query({ soql: 'SELECT Id, Name, Referral_Id__c FROM Opportunity WHERE Referral_Id__c != null' }) as { Referral_Id__c: string; Name: string }[];
    const landedAsLatest = (): boolean => {
      const names = new Map(opportunities().map((o) => [o.Referral_Id__c, o.Name]));
      return [...latestName].every(([id, name]) => names.get(id) === name);
    };
    await eventually(landedAsLatest, 60_000);
    await pc.webhooksIdle();
    // Whatever the daemon still had in hand ends before it stops.
    stop();
    expect(await daemon).toBe(0);

    const perReferral = new Map<string, number>();
    for (const o of opportunities()) perReferral.set(o.Referral_Id__c, (perReferral.get(o.Referral_Id__c) ?? 0) + 1);
    expect(invites.filter((r) => perReferral.get(r.id) !== 1)).toEqual([]);
    expect([...perReferral.keys()].filter((id) => !latestName.has(id))).toEqual([]);
    expect(landedAsLatest()).toBe(true);

    const store = await openStore({ kind: 'sqlite', path: join(dir, 'state.sqlite') });
    try {
      const links = await store.findLinksByReferralIds(invites.map((r) => r.id));
      expect(links.filter((l) => l.state === 'linked')).toHaveLength(BURST);
    } finally {
      await store.close();
    }
    const deliveries = pc.webhookDeliveries().filter((d) => d.payload.EventName !== 'test-created');
    expect(deliveries.filter((d) => d.state !== 'delivered')).toEqual([]);
    expect(log.lines().filter((l) => Number(l['level']) >= 50)).toEqual([]);
  }, 120_000);
});
