import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { parseHttpDate } from '../model/datetime.js';
import { tableOf } from '../model/dml.js';
import type { SfContext } from './context.js';
import { describeObject, describeSummary } from './describe.js';
import { api, sfResponse } from './respond.js';

/** Salesforce REST API Developer Guide, "sObject Describe": describe answers 304 when the metadata has not changed since `If-Modified-Since`. */
function notModified(ctx: SfContext, req: EmuRequest): boolean {
  const header = req.headers['if-modified-since'];
  const since = typeof header === 'string' ? parseHttpDate(header) : undefined;
  return since !== undefined && ctx.org.metadataDate <= since;
}

/** Describe ("sObject Describe"), limits ("Limits") and the version list. */
export function addDescribeRoutes(router: Router, ctx: SfContext): void {
  router.add('GET', '/services/data', () => versions(ctx), 'GET versions');
  router.add('GET', '/services/data/', () => versions(ctx), 'GET versions');
  // The resources of a version; jsforce's identity() reads `identity` from here.
  const resources = api(ctx, (req, call) => {
    const base = `/services/data/v${call.version}`;
    const names = ['sobjects', 'query', 'queryAll', 'composite', 'limits'];
    return sfResponse(ctx, 200, {
      ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])),
      identity: `${req.url.origin}/id/${ctx.org.orgId}/${call.userId}`,
    });
  });
  router.add('GET', '/services/data/:version', resources, 'GET version resources');
  router.add('GET', '/services/data/:version/', resources, 'GET version resources');
  router.add(
    'GET',
    '/services/data/:version/sobjects',
    api(ctx, (req, call) => {
      if (notModified(ctx, req)) return sfResponse(ctx, 304);
      return sfResponse(ctx, 200, {
        encoding: 'UTF-8',
        maxBatchSize: ctx.options.maxBatchSize,
        sobjects: ctx.org.catalog.objects().map((o) => describeSummary(o.def, call.version)),
      });
    }),
    'GET sobjects',
  );
  router.add(
    'GET',
    '/services/data/:version/sobjects/:type/describe',
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      if (notModified(ctx, req)) return sfResponse(ctx, 304);
      return sfResponse(ctx, 200, describeObject(table.schema.def, call.version), {
        'Last-Modified': new Date(ctx.org.metadataDate).toUTCString(),
      });
    }),
    'GET describe',
  );
  router.add(
    'GET',
    '/services/data/:version/sobjects/:type',
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      return sfResponse(ctx, 200, { objectDescribe: describeSummary(table.schema.def, call.version), recentItems: [] });
    }),
    'GET sobject',
  );
  router.add(
    'GET',
    '/services/data/:version/limits',
    api(ctx, () => {
      const { budget } = ctx;
      return sfResponse(ctx, 200, {
        DailyApiRequests: { Max: budget.limit, Remaining: Math.max(0, budget.limit - budget.used) },
        ConcurrentPerOrgLongTxn: { Max: 25, Remaining: 25 },
        DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
        DataStorageMB: { Max: 1024, Remaining: 1000 },
        FileStorageMB: { Max: 1024, Remaining: 1024 },
      });
    }),
    'GET limits',
  );
}

function versions(ctx: SfContext): EmuResponse {
  return sfResponse(
    ctx,
    200,
    ctx.options.apiVersions.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })),
  );
}
