/**
 * `cosell-sync sandbox`, the demo, the integration tests and the benchmarks all start the whole
 * sandbox here: a certificate authority, the Entra token endpoint, Partner Center, Salesforce and
 * Dataverse, each on a loopback port over TLS, sharing one controllable clock.
 */
import { CRM_SYSTEMS, type CrmSystem } from '../src/domain/crm-record.js';
import type { DataverseOptions } from './dataverse/index.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from './dataverse/index.js';
import { startEntraEmulator, type EntraClient, type EntraControl } from './entra/index.js';
import { startPartnerCenterEmulator, type PartnerCenterControl, type PartnerCenterOptionsInput } from './partner-center/index.js';
import { startSalesforceEmulator, type SalesforceControl, type SalesforceEmulatorOptions } from './salesforce/index.js';
import { orgShapeOf } from './org-profiles.js';
import { SandboxClock } from './shared/clock.js';
import type { FaultRule } from './shared/faults.js';
import type { EmulatorServer } from './shared/http.js';
import { createSandboxCa, issueServerCert, type Pem } from './shared/tls.js';

export type SandboxSystem = 'entra' | 'partnerCenter' | 'salesforce' | 'dynamics';

export interface SandboxOptions {
  seed: number;
  /** Seeded opportunities per CRM, and referrals in Partner Center. */
  size: number;
  /** Referrals seeded in Partner Center (default: a tenth of `size`). */
  referrals?: number;
  crms?: readonly CrmSystem[];
  /**
   * The shape of both CRM orgs: a profile of sandbox/org-profiles.ts (`standard`, `minimal`,
   * `no-duns`, ...) or several separated by commas. Default `standard`.
   */
  orgProfile?: string;
  clock?: SandboxClock;
  faults?: Partial<Record<SandboxSystem, FaultRule[]>>;
  partnerCenter?: PartnerCenterOptionsInput;
  salesforce?: SalesforceEmulatorOptions;
  dynamics?: DataverseOptions;
  /** Entra access-token lifetime in seconds on the sandbox clock. */
  tokenLifetimeSeconds?: number;
  /** The app registrations Entra knows (default: the daemon's Partner Center and Dataverse apps). */
  entraClients?: EntraClient[];
  /**
   * The CA that issues the emulators' certificates; a new one by default. A process that talks
   * to Dataverse through dynamics-web-api trusts it only through NODE_EXTRA_CA_CERTS, so it
   * passes the CA it was started with (`loadOrCreateSandboxCa`).
   */
  ca?: Pem;
  /**
   * The emulators' server certificate (for 127.0.0.1 and localhost), issued by `ca`; a new one by
   * default. Many sandboxes in one process (the convergence suite) share one: RSA key generation
   * is what a sandbox's start-up costs most.
   */
  serverCert?: Pem;
}

export interface Sandbox {
  clock: SandboxClock;
  ca: Pem;
  entra: { server: EmulatorServer; control: EntraControl };
  partnerCenter: { server: EmulatorServer; control: PartnerCenterControl };
  salesforce: CrmEmulators['salesforce'] | null;
  dynamics: CrmEmulators['dynamics'] | null;
  /** Stops every emulator; idempotent. */
  close(): Promise<void>;
}

/** A started CRM emulator, by CRM. */
interface CrmEmulators {
  salesforce: { server: EmulatorServer; control: SalesforceControl };
  dynamics: StartedDataverseEmulator;
}

/** What a CRM emulator is started with: the sandbox's options, clock, TLS, org shape and Entra. */
interface CrmEmulatorArgs {
  options: SandboxOptions;
  clock: SandboxClock;
  tls: Pem;
  shape: ReturnType<typeof orgShapeOf>;
  entra: Awaited<ReturnType<typeof startEntraEmulator>>;
}

/** The emulator of each CRM, one entry per CRM. */
const CRM_EMULATORS: { readonly [S in CrmSystem]: (args: CrmEmulatorArgs) => Promise<CrmEmulators[S]> } = {
  salesforce: ({ options, clock, tls, shape }) =>
    startSalesforceEmulator({
      clock,
      seed: options.seed,
      size: options.size,
      tls,
      shape,
      ...(options.salesforce ? { options: options.salesforce } : {}),
      ...(options.faults?.salesforce ? { faults: options.faults.salesforce } : {}),
    }),
  dynamics: ({ options, clock, tls, shape, entra }) =>
    startDataverseEmulator({
      clock,
      seed: options.seed,
      size: options.size,
      tls,
      shape,
      tokenValidator: (token, audience) => entra.tokenValidator(token, audience) !== null,
      options: { tenantId: SANDBOX_TENANT, authorityUrl: entra.server.url, ...options.dynamics },
      ...(options.faults?.dynamics ? { faults: options.faults.dynamics } : {}),
    }),
};

export const SANDBOX_TENANT = '72f988bf-0000-4000-8000-5ad0b0c1e57a';
export const SANDBOX_SOLUTION_ID = 'SOL-15974-MQF';
export const SANDBOX_SF_CLIENT = { clientId: 'cosell-sandbox', clientSecret: 'cosell-sandbox-secret' };
export const SANDBOX_DV_CLIENT = { clientId: '00000000-0000-4000-8000-00000000d365', clientSecret: 'cosell-sandbox-dataverse-secret' };
export const SANDBOX_PC_CLIENT_ID = '00000000-0000-4000-8000-0000c05e11aa';

/** The app registrations of the sandbox tenant: a public client for Partner Center, a confidential one for Dataverse. */
export const SANDBOX_ENTRA_CLIENTS: readonly EntraClient[] = [{ clientId: SANDBOX_PC_CLIENT_ID }, { ...SANDBOX_DV_CLIENT }];

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = options.clock ?? new SandboxClock();
  const ca = options.ca ?? createSandboxCa();
  const tls = options.serverCert ?? issueServerCert(ca, { hosts: ['127.0.0.1', 'localhost'] });
  const crms = options.crms ?? CRM_SYSTEMS;
  const shape = orgShapeOf(options.orgProfile);
  const started: EmulatorServer[] = [];
  try {
    const entra = await startEntraEmulator({
      clock,
      tls,
      // The daemon signs in to the sandbox with the device-code flow; nobody is there to type
      // the code, so the sandbox approves it as its Referral Admin user.
      autoApproveDeviceCodesAs: 'referral.admin@partner.example',
      deviceCodeIntervalSeconds: 0,
      clients: [...(options.entraClients ?? SANDBOX_ENTRA_CLIENTS)],
      ...(options.tokenLifetimeSeconds ? { expiresInSeconds: options.tokenLifetimeSeconds } : {}),
      ...(options.faults?.entra ? { faults: options.faults.entra } : {}),
    });
    started.push(entra.server);
    const partnerCenter = await startPartnerCenterEmulator({
      clock,
      seed: options.seed,
      size: options.referrals ?? Math.ceil(options.size / 10),
      tokenValidator: entra.tokenValidator,
      tls,
      options: { ...options.partnerCenter, webhooks: { trustedCaCert: ca.cert, ca, ...options.partnerCenter?.webhooks } },
      ...(options.faults?.partnerCenter ? { faults: options.faults.partnerCenter } : {}),
    });
    started.push(partnerCenter.server);
    const startCrm = async <S extends CrmSystem>(system: S): Promise<CrmEmulators[S] | null> => {
      if (!crms.includes(system)) return null;
      const emulator = await CRM_EMULATORS[system]({ options, clock, tls, shape, entra });
      started.push(emulator.server);
      return emulator;
    };
    // One at a time, in the order of CRM_SYSTEMS.
    const salesforce = await startCrm('salesforce');
    const dynamics = await startCrm('dynamics');
    let closing: Promise<void> | null = null;
    return {
      clock,
      ca,
      entra: { server: entra.server, control: entra.control },
      partnerCenter,
      salesforce,
      dynamics,
      close: () => (closing ??= Promise.all(started.map((s) => s.close())).then(() => undefined)),
    };
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }
}
