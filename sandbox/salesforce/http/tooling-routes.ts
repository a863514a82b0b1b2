import type { Router } from '../../shared/http.js';
import { requestError } from '../model/sf-error.js';
import { runToolingQuery } from '../tooling/tooling-query.js';
import type { SfContext } from './context.js';
import { api, readJsonObject, sfResponse } from './respond.js';

/**
 * The Tooling API calls jsforce's `conn.tooling` makes for custom fields (Salesforce Tooling API
 * Developer Guide: CustomField; REST resources `tooling/sobjects/CustomField[/<id>]` and
 * `tooling/query`) and for the opportunity stages (StandardValueSet: query and PATCH). Other
 * Tooling sObjects are not served (404 NOT_FOUND).
 */
export function addToolingRoutes(router: Router, ctx: SfContext): void {
  const base = '/services/data/:version/tooling';
  const urlOf = (version: string) => (id: string) => `/services/data/v${version}/tooling/sobjects/CustomField/${id}`;
  const customFieldOnly = (type: string | undefined): void => {
    if (type?.toLowerCase() !== 'customfield') throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  };
  router.add(
    'POST',
    `${base}/sobjects/:type`,
    api(ctx, (req) => {
      customFieldOnly(req.params['type']);
      const body = readJsonObject(req);
      const id = ctx.customFields.create(body['FullName'], body['Metadata']);
      return sfResponse(ctx, 201, { id, success: true, errors: [], warnings: [], infos: [] });
    }),
    'POST tooling sobject',
  );
  router.add(
    'GET',
    `${base}/sobjects/:type/:id`,
    api(ctx, (req, call) => {
      customFieldOnly(req.params['type']);
      const row = ctx.customFields.get(req.params['id'] ?? '');
      if (!row) throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return sfResponse(ctx, 200, { attributes: { type: 'CustomField', url: urlOf(call.version)(row.Id) }, ...row });
    }),
    'GET tooling sobject',
  );
  router.add(
    'PATCH',
    `${base}/sobjects/:type/:id`,
    api(ctx, (req) => {
      if (req.params['type']?.toLowerCase() === 'standardvalueset') {
        ctx.standardValueSets.update(req.params['id'] ?? '', readJsonObject(req)['Metadata']);
        return sfResponse(ctx, 204);
      }
      customFieldOnly(req.params['type']);
      ctx.customFields.update(req.params['id'] ?? '', readJsonObject(req)['Metadata']);
      return sfResponse(ctx, 204);
    }),
    'PATCH tooling sobject',
  );
  const query = api(ctx, (req, call) => {
    const soql = req.query.get('q') ?? '';
    if (/\bFROM\s+StandardValueSet\b/i.test(soql)) {
      return sfResponse(ctx, 200, ctx.standardValueSets.query(soql, (id) => `/services/data/v${call.version}/tooling/sobjects/StandardValueSet/${id}`));
    }
    return sfResponse(ctx, 200, runToolingQuery(soql, ctx.customFields.rows(), urlOf(call.version)));
  });
  router.add('GET', `${base}/query`, query, 'GET tooling query');
  router.add('GET', `${base}/query/`, query, 'GET tooling query');
}
