import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { requestError } from '../model/sf-error.js';
import { SoqlError, formatSoqlMessage } from '../soql/tokenizer.js';
import type { SfContext } from './context.js';
import { api, sfResponse, type ApiCall } from './respond.js';

/** `Sforce-Query-Options: batchSize=N` (Salesforce REST API Developer Guide, "Query"). */
function batchSizeOf(req: EmuRequest): number | undefined {
  const header = req.headers['sforce-query-options'];
  const m = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Query, queryAll and query-more ("Query"). Cursor pages are served
 * under `/query/<locator>` and `/queryAll/<locator>` alike.
 */
export function addQueryRoutes(router: Router, ctx: SfContext): void {
  const run = (includeDeleted: boolean) => (req: EmuRequest, call: ApiCall): EmuResponse => {
    const soql = req.query.get('q');
    if (soql === null || soql.trim() === '') throw requestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    try {
      const batchSize = batchSizeOf(req);
      const page = ctx.queries.run({ soql, version: call.version, includeDeleted, ...(batchSize !== undefined ? { batchSize } : {}) });
      return sfResponse(ctx, 200, page);
    } catch (error) {
      if (error instanceof SoqlError) throw requestError(400, error.errorCode, formatSoqlMessage(soql, error));
      throw error;
    }
  };
  const more = (req: EmuRequest, call: ApiCall): EmuResponse => {
    const batchSize = batchSizeOf(req);
    const page = ctx.queries.more({ locator: req.params['locator'] ?? '', version: call.version, ...(batchSize !== undefined ? { batchSize } : {}) });
    return sfResponse(ctx, 200, page);
  };
  router.add('GET', '/services/data/:version/query', api(ctx, run(false)), 'GET query');
  router.add('GET', '/services/data/:version/query/', api(ctx, run(false)), 'GET query');
  router.add('GET', '/services/data/:version/queryAll', api(ctx, run(true)), 'GET queryAll');
  router.add('GET', '/services/data/:version/queryAll/', api(ctx, run(true)), 'GET queryAll');
  router.add('GET', '/services/data/:version/query/:locator', api(ctx, more), 'GET query more');
  router.add('GET', '/services/data/:version/queryAll/:locator', api(ctx, more), 'GET query more');
}
