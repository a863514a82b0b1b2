import type { KeyObject } from 'node:crypto';
import type { SandboxClock } from '../shared/clock.js';
import type { FaultRule } from '../shared/faults.js';
import { Router, startEmulatorServer, type EmuRequest, type EmuResponse, type EmulatorServer } from '../shared/http.js';
import { ApiBudget } from './auth/api-budget.js';
import { publicKeyOf } from './auth/jwt.js';
import { Sessions } from './auth/sessions.js';
import { addControlRoutes } from './control/control-routes.js';
import { SalesforceControl } from './control/control.js';
import { addCompositeRequestRoute } from './http/composite-request.js';
import { addCompositeRoutes } from './http/composite-routes.js';
import type { SfContext } from './http/context.js';
import { addDescribeRoutes } from './http/describe-routes.js';
import { addQueryRoutes } from './http/query-routes.js';
import { addReplicationRoutes } from './http/replication-routes.js';
import { JSON_TYPE } from './http/respond.js';
import { addSObjectRoutes } from './http/sobject-routes.js';
import { addTokenRoutes } from './http/token-routes.js';
import { addToolingRoutes } from './http/tooling-routes.js';
import { SalesforceOrg } from './model/org.js';
import { resolveOptions, type SalesforceEmulatorOptions } from './options.js';
import { Catalog, objectDefsOf, withoutCustomFields } from './schema/catalog.js';
import { orgShapeOf, type OrgShape } from '../org-profiles.js';
import { seedOrg } from './seed/seed.js';
import { QueryService } from './soql/query-service.js';
import { CustomFields } from './tooling/custom-fields.js';
import { StandardValueSets } from './tooling/standard-value-sets.js';

export { SalesforceControl } from './control/control.js';
export type { SaveResult } from './model/dml.js';
export type { SalesforceEmulatorOptions } from './options.js';
export { INTEGRATION_USERNAME, type SeedSummary } from './seed/seed.js';

export interface CreateSalesforceEmulatorArgs {
  clock: SandboxClock;
  /** Seed of the deterministic data set. */
  seed: number;
  /** Number of seeded opportunities (accounts, contacts, users and leads scale with it). */
  size: number;
  options?: SalesforceEmulatorOptions;
  /** The org's shape (sandbox/org-profiles.ts); default the standard sandbox org. */
  shape?: OrgShape;
}

/**
 * Builds the Salesforce REST emulator (what jsforce relies on; see README.md) without a server: the router to
 * mount and the control API. Routes are added most specific first, as the router matches in order.
 */
export function createSalesforceEmulator({ clock, seed, size, options, shape = orgShapeOf(undefined) }: CreateSalesforceEmulatorArgs): { router: Router; control: SalesforceControl } {
  const resolved = resolveOptions(options);
  const profiled = objectDefsOf(shape);
  const org = new SalesforceOrg(new Catalog(resolved.customFields === 'absent' ? withoutCustomFields(profiled) : profiled), clock);
  const summary = seedOrg({ org, seed, size, participatingRate: resolved.participatingRate, shape });
  const jwtKeys = new Map<string, KeyObject[]>();
  if (resolved.jwtPublicKeyPem !== undefined) {
    const key = publicKeyOf(resolved.jwtPublicKeyPem);
    for (const id of resolved.clientIds) jwtKeys.set(id, [key]);
  }
  const ctx: SfContext = {
    org,
    clock,
    options: resolved,
    sessions: new Sessions(clock, org.orgId, resolved.sessionTtlMs),
    budget: new ApiBudget(clock, resolved.dailyApiLimit),
    queries: new QueryService(org, clock, resolved),
    jwtKeys,
    integrationUserId: summary.integrationUserId,
    internalCalls: new WeakSet(),
    customFields: new CustomFields(org),
    standardValueSets: new StandardValueSets(org),
  };
  const control = new SalesforceControl(ctx, summary);
  const router = new Router();
  addControlRoutes(router, control);
  addTokenRoutes(router, ctx);
  addToolingRoutes(router, ctx);
  addDescribeRoutes(router, ctx);
  addQueryRoutes(router, ctx);
  addCompositeRoutes(router, ctx);
  addCompositeRequestRoute(router, ctx);
  addReplicationRoutes(router, ctx);
  addSObjectRoutes(router, ctx);
  const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
  // Salesforce REST API Developer Guide, "Status Codes and Error Responses": a known resource under another method is 405; anything else 404, both as error arrays.
  const unmatched = (req: EmuRequest): EmuResponse => {
    const allowed = methods.filter((m) => {
      const found = router.find(m, req.path);
      return m !== req.method && 'route' in found && found.route.name !== 'unmatched';
    });
    const headers = { 'Content-Type': JSON_TYPE, 'Sforce-Limit-Info': ctx.budget.header() };
    return allowed.length > 0
      ? { status: 405, headers, body: [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed. Allowed are ${allowed.join(',')}` }] }
      : { status: 404, headers, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  };
  for (const method of methods) router.add(method, /^\/services\//, unmatched, 'unmatched');
  return { router, control };
}

/** Error bodies of injected faults, in Salesforce's own shapes ("Status Codes and Error Responses"). */
function faultBody(status: number): { body: unknown; headers: Record<string, string> } {
  const code = status === 503 ? 'SERVER_UNAVAILABLE' : status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'UNKNOWN_EXCEPTION';
  const message = status === 503 ? 'Server temporarily unavailable' : status === 429 ? 'Too many requests' : 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)';
  return { body: [{ message, errorCode: code }], headers: { 'Content-Type': JSON_TYPE } };
}

/** Starts the emulator on loopback (TLS when `tls` is given) and returns the server and control API. */
export async function startSalesforceEmulator(
  args: CreateSalesforceEmulatorArgs & { tls?: { key: string; cert: string }; port?: number; faults?: FaultRule[] },
): Promise<{ server: EmulatorServer; control: SalesforceControl }> {
  const { router, control } = createSalesforceEmulator(args);
  const server = await startEmulatorServer({
    name: 'salesforce',
    router,
    clock: args.clock,
    ...(args.tls ? { tls: args.tls } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.faults ? { faults: args.faults } : {}),
    faultSeed: args.seed,
    errorBody: faultBody,
  });
  return { server, control };
}
