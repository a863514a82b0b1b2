/**
 * The referrals API (Partner Center docs, "Referrals API introduction"): POST/GET/PATCH `/v1.0/engagements/referrals[/{id}]` and the legacy PUT.
 */
import type { EmuRequest, Router } from '../../shared/http.js';
import { notFound, notFoundPath } from '../errors.js';
import {
  present,
  readJson,
  REFERRALS_AUDIENCE,
  requireToken,
  requireWriter,
  responseHeaders,
  visibleTo,
  type Caller,
  type RouteContext,
} from './context.js';

const COLLECTION = '/v1.0/engagements/referrals';

export function addApiRoutes(router: Router, ctx: RouteContext): void {
  const guard = (req: EmuRequest): Caller => {
    const caller = requireToken(ctx, req, REFERRALS_AUDIENCE);
    ctx.simulation.tick();
    return caller;
  };
  const visible = (caller: Caller, id: string) => {
    const referral = ctx.service.get(id);
    if (visibleTo(caller)?.(referral) === false) throw notFound(id);
    return referral;
  };

  router.add(
    'POST',
    COLLECTION,
    (req) => {
      requireWriter(guard(req));
      const requestId = req.headers['ms-requestid'];
      const referral = ctx.service.create(readJson(req), 'api', ctx.options.honorMsRequestId && typeof requestId === 'string' ? requestId : undefined);
      const body = present(ctx.options, referral);
      // Partner Center docs, "Create a referral": 200 or 201 ("Referrals API response codes" lists both; option createStatus).
      return { status: ctx.options.createStatus, headers: responseHeaders(req, { ETag: referral.eTag, Location: body.links.self.uri }), body };
    },
    'pc.create',
  );

  router.add(
    'GET',
    COLLECTION,
    (req) => {
      const page = ctx.service.list(req.query, visibleTo(guard(req)));
      const value = page.items.map((r) => project(present(ctx.options, r), page.select));
      const body: Record<string, unknown> = {
        '@odata.context': `${ctx.options.baseUrl}/v1.0/engagements/$metadata#Referrals`,
        '@odata.count': page.count,
        value,
      };
      if (page.nextToken) body['@odata.nextLink'] = nextLink(ctx, page.nextToken);
      return { status: 200, headers: responseHeaders(req), body };
    },
    'pc.list',
  );

  router.add(
    'GET',
    `${COLLECTION}/:id`,
    (req) => {
      const referral = visible(guard(req), req.params.id ?? '');
      // Partner Center docs, "Get a referral by ID": @odata.context ends in $metadata#Referrals/$entity.
      const body = { '@odata.context': `${ctx.options.baseUrl}/v1.0/engagements/$metadata#Referrals/$entity`, ...present(ctx.options, referral) };
      return { status: 200, headers: responseHeaders(req, { ETag: referral.eTag }), body };
    },
    'pc.get',
  );

  router.add(
    'PATCH',
    `${COLLECTION}/:id`,
    (req) => {
      requireWriter(guard(req));
      const ifMatch = req.headers['if-match'];
      const referral = ctx.service.patch({ id: req.params.id ?? '', body: readJson(req), ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined });
      const headers = responseHeaders(req, { ETag: referral.eTag });
      // Partner Center docs, "Update a referral": `Prefer: return=representation` returns the referral, else 204.
      const prefer = String(req.headers.prefer ?? '');
      if (/return=representation/i.test(prefer)) return { status: 200, headers, body: present(ctx.options, referral) };
      return { status: 204, headers };
    },
    'pc.patch',
  );
  addLegacyPutRoute(router, ctx);
  // Any other GET under /v1.0 (the quirky nextLink path, a misspelled `/engagments/`, "Referrals API introduction")
  // is a 404 in the Partner API shape.
  router.add('GET', /^\/v1\.0\//, (req) => {
    throw notFoundPath(req.path);
  }, 'pc.unknown');
}

export function addLegacyPutRoute(router: Router, ctx: RouteContext): void {
  router.add(
    'PUT',
    `${COLLECTION}/:id`,
    (req) => {
      requireWriter(requireToken(ctx, req, REFERRALS_AUDIENCE));
      ctx.simulation.tick();
      const ifMatch = req.headers['if-match'];
      const referral = ctx.service.replace({ id: req.params.id ?? '', body: readJson(req), ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined });
      return { status: 200, headers: responseHeaders(req, { ETag: referral.eTag }), body: present(ctx.options, referral) };
    },
    'pc.put',
  );
}

/**
 * "Get a list of referrals": the documented nextLink is `http://` and lacks `/engagements` ('quirk'); 'clean'
 * is a link the client can follow as given.
 */
function nextLink(ctx: RouteContext, token: string): string {
  const query = `$skiptoken=${encodeURIComponent(token)}`;
  if (ctx.options.nextLinkStyle === 'clean') return `${ctx.options.baseUrl}/v1.0/engagements/referrals?${query}`;
  return `http://${new URL(ctx.options.baseUrl).host}/v1.0/referrals?${query}`;
}

/** "Get a list of referrals" `$select`: only the named top-level properties. */
function project(referral: object, select: string[] | null): object {
  if (!select) return referral;
  const source = referral as Record<string, unknown>;
  return Object.fromEntries(select.filter((key) => key in source).map((key) => [key, source[key]]));
}
