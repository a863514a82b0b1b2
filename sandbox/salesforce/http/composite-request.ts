import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { requestError } from '../model/sf-error.js';
import type { SfContext } from './context.js';
import { api, readJsonObject, sfResponse } from './respond.js';

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;
const MAX_SUBREQUESTS = 25;

const halted = (referenceId: string, message: string): SubResult => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

/** The value at `.records[0].Id`-style path of an earlier subrequest's body. */
function lookup(body: unknown, path: string): unknown {
  let current = body;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Replaces `@{ref.path}` with earlier results (Salesforce REST API Developer Guide, "Composite"). A string that is one whole reference takes
 * the value's own type; otherwise the value is spliced in as text. Unresolvable references throw.
 */
function resolve(value: unknown, done: ReadonlyMap<string, SubResult>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(value);
    const find = (ref: string, path: string): unknown => {
      const result = done.get(ref);
      const found = result && result.httpStatusCode < 400 ? lookup(result.body, path) : undefined;
      if (found === undefined) throw new Error(`Invalid reference specified. No value for ${ref}${path} found in ${ref}.`);
      return found;
    };
    if (whole) return find(whole[1] as string, whole[2] ?? '');
    return value.replace(REFERENCE, (_m, ref: string, path: string) => String(find(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, done));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, done)]));
  }
  return value;
}

function parseSubrequests(raw: unknown): Subrequest[] {
  if (!Array.isArray(raw) || raw.length === 0) throw requestError(400, 'INVALID_API_INPUT', 'compositeRequest must be a non-empty array');
  // "Composite": at most 25 subrequests. The errorCode for more is not documented.
  if (raw.length > MAX_SUBREQUESTS) throw requestError(400, 'INVALID_API_INPUT', `Maximum number of subrequests (${MAX_SUBREQUESTS}) exceeded`);
  const seen = new Set<string>();
  return raw.map((item: unknown) => {
    const s = (item ?? {}) as Partial<Subrequest>;
    if (typeof s.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string' || !/^[A-Za-z0-9_]+$/.test(s.referenceId) || seen.has(s.referenceId)) {
      throw requestError(400, 'INVALID_API_INPUT', 'each subrequest needs method, url and a unique alphanumeric referenceId');
    }
    seen.add(s.referenceId);
    return s as Subrequest;
  });
}

/**
 * `POST /composite` ("Composite"): up to 25 subrequests run in order through the same
 * routes, counted as one API call; later ones may reference earlier results. With `allOrNone` the
 * first failure rolls everything back and the other subrequests report PROCESSING_HALTED. The
 * top level always answers 200.
 */
export function addCompositeRequestRoute(router: Router, ctx: SfContext): void {
  router.add(
    'POST',
    '/services/data/:version/composite',
    api(ctx, (req) => {
      const body = readJsonObject(req);
      const subrequests = parseSubrequests(body['compositeRequest']);
      const allOrNone = body['allOrNone'] === true;
      const done = new Map<string, SubResult>();
      const results: SubResult[] = [];
      let failed = false;
      ctx.org.transaction(() => {
        for (const sub of subrequests) {
          if (failed && allOrNone) break;
          let result: SubResult;
          try {
            result = run(router, ctx, req, sub, done);
          } catch (error) {
            result = halted(sub.referenceId, (error as Error).message);
          }
          done.set(sub.referenceId, result);
          results.push(result);
          if (result.httpStatusCode >= 400) failed = true;
        }
        return !(failed && allOrNone);
      });
      if (failed && allOrNone) {
        const rolledBack = 'The transaction was rolled back since another operation in the same transaction failed.';
        const out = subrequests.map((sub) => {
          const own = done.get(sub.referenceId);
          return own && own.httpStatusCode >= 400 ? own : halted(sub.referenceId, rolledBack);
        });
        return sfResponse(ctx, 200, { compositeResponse: out });
      }
      return sfResponse(ctx, 200, { compositeResponse: results });
    }),
    'POST composite',
  );
}

/** Dispatches one subrequest to its route synchronously; handlers of this emulator never await I/O. */
function run(router: Router, ctx: SfContext, outer: EmuRequest, sub: Subrequest, done: ReadonlyMap<string, SubResult>): SubResult {
  const url = new URL(String(resolve(sub.url, done)), outer.url.origin);
  const method = sub.method.toUpperCase();
  if (!url.pathname.startsWith('/services/data/') || /\/composite\/?$/.test(url.pathname)) {
    return { body: [{ errorCode: 'INVALID_API_INPUT', message: `Invalid url for a subrequest: ${sub.url}` }], httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId };
  }
  const found = router.find(method, url.pathname);
  if (!('route' in found)) {
    return { body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], httpHeaders: {}, httpStatusCode: 404, referenceId: sub.referenceId };
  }
  const text = sub.body === undefined ? '' : JSON.stringify(resolve(sub.body, done));
  const headers = { ...outer.headers, ...Object.fromEntries(Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  const request: EmuRequest = {
    method,
    url,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.from(text),
    text: () => text,
    json: <T>() => JSON.parse(text) as T,
    params: found.params,
  };
  ctx.internalCalls.add(request);
  const answer = found.route.handler(request);
  if (answer instanceof Promise) throw new Error('asynchronous subrequest handlers are not supported');
  return toSubResult(answer, sub, url.pathname);
}

function toSubResult(answer: EmuResponse, sub: Subrequest, path: string): SubResult {
  const httpHeaders: Record<string, string> = {};
  const body = answer.body === undefined ? null : answer.body;
  if (answer.status === 201 && body !== null && typeof body === 'object' && 'id' in body) {
    httpHeaders['Location'] = `${path}/${String((body as { id: unknown }).id)}`;
  }
  return { body, httpHeaders, httpStatusCode: answer.status, referenceId: sub.referenceId };
}
