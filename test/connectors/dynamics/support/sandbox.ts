/**
 * Starts the TLS sandbox (Entra + Dataverse) with the CA the test process trusts
 * (test/support/trusted-ca.ts) and a connector signed in through msal.
 */
import { pino, type Logger } from 'pino';
import { createDynamicsConnector, type DynamicsConnector, type DynamicsOptionsInput } from '../../../../connectors/dynamics/index.js';
import { systemClock, type Clock } from '../../../../src/core/clock.js';
import type { DataverseOptions } from '../../../../sandbox/dataverse/index.js';
import { SANDBOX_DV_CLIENT, SANDBOX_TENANT, startSandbox, type Sandbox } from '../../../../sandbox/start-sandbox.js';
import { trustedSandboxCa } from '../../../support/trusted-ca.js';

export interface DvSandbox {
  sandbox: Sandbox;
  connect(options?: Partial<DynamicsOptionsInput>, deps?: { logger?: Logger; clock?: Clock }): DynamicsConnector;
}

export async function startDvSandbox(args: { size: number; seed?: number; dynamics?: DataverseOptions; orgProfile?: string }): Promise<DvSandbox> {
  const sandbox = await startSandbox({
    seed: args.seed ?? 7,
    size: args.size,
    referrals: 1,
    crms: ['dynamics'],
    ca: trustedSandboxCa(),
    ...(args.orgProfile ? { orgProfile: args.orgProfile } : {}),
    ...(args.dynamics ? { dynamics: args.dynamics } : {}),
  });
  const url = sandbox.dynamics?.server.url ?? '';
  return {
    sandbox,
    connect: (options = {}, deps = {}) =>
      createDynamicsConnector(
        {
          auth: { kind: 'clientSecret', tenantId: SANDBOX_TENANT, clientId: SANDBOX_DV_CLIENT.clientId, clientSecret: SANDBOX_DV_CLIENT.clientSecret, authority: sandbox.entra.server.url },
          url,
          ...options,
        },
        { logger: deps.logger ?? pino({ level: 'silent' }), clock: deps.clock ?? systemClock },
      ),
  };
}
