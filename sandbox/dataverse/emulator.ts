/**
 * Builds the Dataverse Web API emulator: seeded org, Web API routes under `/api/data/v9.x/`
 * (one route name per entity set and method, for call counts), control routes, and a server.
 */
import { Router, startEmulatorServer, type EmulatorServer } from '../shared/http.js';
import type { SandboxClock } from '../shared/clock.js';
import type { FaultRule } from '../shared/faults.js';
import { createControl, type DataverseControl } from './control/control.js';
import { addControlRoutes } from './control/routes.js';
import { createApiHandler } from './http/api-handler.js';
import { TokenCheck, type TokenValidator } from './http/auth.js';
import { ServiceProtection } from './http/service-protection.js';
import { OrgStore } from './model/store.js';
import type { Service } from './ops/context.js';
import { resolveOptions, type DataverseOptions } from './options.js';
import { indexTable, OrgSchema, tablesOf, withoutCustomColumns } from './schema/tables.js';
import { orgShapeOf, type OrgShape } from '../org-profiles.js';
import { seedOrg, type SeedResult } from './seed/seed.js';
import { CODES } from './wire/errors.js';

export interface DataverseEmulatorArgs {
  clock: SandboxClock;
  seed: number;
  /** Number of seeded opportunities; accounts and leads are a tenth of it, contacts two per account. */
  size: number;
  options?: DataverseOptions;
  /** The org's shape (sandbox/org-profiles.ts); default the standard sandbox org. */
  shape?: OrgShape;
  /** Accepts a bearer token for an audience; without it only registered/static tokens pass (Dataverse developer guide, "Authenticate to Microsoft Dataverse with the Web API"). */
  tokenValidator?: TokenValidator;
}

export interface DataverseEmulator {
  router: Router;
  control: DataverseControl;
  seeded: SeedResult;
}

const ESCAPE = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export function createDataverseEmulator(args: DataverseEmulatorArgs): DataverseEmulator {
  const options = resolveOptions(args.options);
  const shape = args.shape ?? orgShapeOf(undefined);
  const defs = tablesOf(shape);
  const schema = new OrgSchema((options.customColumns === 'absent' ? withoutCustomColumns(defs) : defs).map(indexTable));
  const store = new OrgStore({ tables: schema.infos });
  for (const [name, enabled] of Object.entries(options.changeTrackingEnabled ?? {})) store.table(name).changeTracking = enabled;
  const seeded = seedOrg({ store, seed: args.seed, size: args.size, now: args.clock.now(), shape });
  const service: Service = { store, clock: args.clock, options, callerId: () => seeded.callerId, baseCurrencyId: () => seeded.baseCurrencyId };
  const tokens = new TokenCheck(args.tokenValidator, options.staticTokens);
  const protection = new ServiceProtection(args.clock, options.serviceProtection ?? null);
  const control = createControl({ service, tokens, protection });
  const handler = createApiHandler({ service, tokens, protection });
  const router = new Router();
  addControlRoutes(router, control);
  const api = '^/api/data/v9\\.\\d/';
  for (const method of METHODS) {
    router.add(method, new RegExp(`${api}\\$batch$`), handler, `${method} $batch`);
    for (const action of ['WinOpportunity', 'LoseOpportunity']) router.add(method, new RegExp(`${api}${action}$`), handler, `${method} ${action}`);
    router.add(method, new RegExp(`${api}EntityDefinitions`), handler, `${method} EntityDefinitions`);
    for (const info of schema.infos) {
      const set = ESCAPE(info.def.entitySetName);
      router.add(method, new RegExp(`${api}${set}(/\\$count)?$`), handler, `${method} ${info.def.entitySetName}`);
      router.add(method, new RegExp(`${api}${set}\\(`), handler, `${method} ${info.def.entitySetName}(id)`);
    }
    // Anything else under the API is an unknown segment: the real 404 0x8006088a ("Query data using the Web API").
    router.add(method, new RegExp(`${api}`), handler, `${method} (unknown segment)`);
  }
  return { router, control, seeded };
}

export interface StartedDataverseEmulator extends DataverseEmulator {
  server: EmulatorServer;
}

/** Starts the emulator on 127.0.0.1 (port 0 unless given), over TLS when `tls` is set. */
export async function startDataverseEmulator(
  args: DataverseEmulatorArgs & { tls?: { key: string; cert: string }; port?: number; faults?: FaultRule[] },
): Promise<StartedDataverseEmulator> {
  const emulator = createDataverseEmulator(args);
  const server = await startEmulatorServer({
    name: 'dataverse',
    router: emulator.router,
    clock: args.clock,
    ...(args.tls ? { tls: args.tls } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.faults ? { faults: args.faults } : {}),
    // Injected faults answer in Dataverse's error shape (Dataverse developer guide, "Compose HTTP
    // requests and handle errors", "Service protection API limits").
    errorBody: (status) =>
      status === 429
        ? { body: { error: { code: CODES.requestsLimit, message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } }
        : { body: { error: { code: '0x80040216', message: status === 503 ? 'Service Unavailable' : 'An unexpected error occurred.' } } },
  });
  emulator.control.attachStats(server.stats);
  return { ...emulator, server };
}
