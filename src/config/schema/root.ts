import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { dynamicsSchema } from './dynamics.js';
import { graphSchema } from './graph.js';
import { healthSchema } from './health.js';
import { leasesSchema } from './leases.js';
import { loggingSchema } from './logging.js';
import { partnerCenterSchema } from './partner-center.js';
import { retentionSchema } from './retention.js';
import { salesforceSchema } from './salesforce.js';
import { sandboxSchema } from './sandbox.js';
import { serverSchema } from './server.js';
import { storeSchema } from './store.js';
import { syncSchema } from './sync.js';

/** The whole file: strict at every level, so a misspelt key is reported instead of ignored. */
export const configSchema = (ctx: LoadContext) =>
  z.strictObject({
    store: storeSchema(ctx),
    partnerCenter: partnerCenterSchema(ctx),
    salesforce: salesforceSchema(ctx).nullable().default(null),
    dynamics: dynamicsSchema(ctx).nullable().default(null),
    graph: graphSchema(ctx).nullable().default(null),
    sync: syncSchema,
    health: healthSchema,
    leases: leasesSchema(ctx),
    retention: retentionSchema,
    server: serverSchema(ctx),
    logging: loggingSchema,
    sandbox: sandboxSchema(ctx),
  });

/** The effective configuration, with defaults filled in, paths absolute and secrets resolved. */
export type Config = z.output<ReturnType<typeof configSchema>>;
