/**
 * The HTTP edge of the Web API: bearer check (Dataverse developer guide, "Authenticate to Microsoft Dataverse with the Web API"), service protection ("Service protection API limits"), translation
 * of a shared-server request into a DvRequest, `$batch` or single dispatch, and the answer back.
 */
import type { EmuRequest, EmuResponse } from '../../shared/http.js';
import { executeBatch } from '../batch/execute.js';
import type { DvRequest, DvResponse, Service } from '../ops/context.js';
import { dispatch, errorResponse } from '../ops/dispatch.js';
import { badRequest, CODES, DvError } from '../wire/errors.js';
import { bearerToken, callerKey, unauthorized, type TokenCheck } from './auth.js';
import type { ServiceProtection } from './service-protection.js';

export interface ApiDeps {
  service: Service;
  tokens: TokenCheck;
  protection: ServiceProtection;
}

const API_PREFIX = /^\/api\/data\/(v9\.\d)\/?(.*)$/;

function flatHeaders(req: EmuRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** `https://127.0.0.1:PORT`: links are absolute on the host the client used ("Page results using the Web API"). */
export function originOf(req: EmuRequest): string {
  const host = typeof req.headers.host === 'string' && req.headers.host.length > 0 ? req.headers.host : req.url.host;
  return `${req.url.protocol}//${host}`;
}

function toDvRequest(req: EmuRequest): DvRequest {
  const match = API_PREFIX.exec(req.url.pathname);
  if (!match) throw new DvError(404, CODES.resourceNotFoundForSegment, `Resource not found for the segment '${req.path}'.`);
  let resource: string;
  try {
    resource = decodeURIComponent(match[2] as string);
  } catch {
    throw badRequest('The request URL is not valid.', CODES.propertyNotFound);
  }
  return {
    method: req.method,
    resource,
    rawQuery: req.url.search.replace(/^\?/, ''),
    query: req.url.searchParams,
    headers: flatHeaders(req),
    body: req.text(),
    apiBase: `${originOf(req)}/api/data/${match[1]}/`,
  };
}

function toEmu(response: DvResponse, extraHeaders: Record<string, string>): EmuResponse {
  const out: EmuResponse = { status: response.status, headers: { ...extraHeaders, ...response.headers } };
  if (response.body !== undefined) out.body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  return out;
}

export function createApiHandler(deps: ApiDeps): (req: EmuRequest) => Promise<EmuResponse> {
  const { service, tokens, protection } = deps;
  return async (req) => {
    const origin = originOf(req);
    const token = bearerToken(req.headers.authorization);
    if (!(await tokens.accepts(token, service.options.audience ?? origin))) {
      return unauthorized({ authorityUrl: service.options.authorityUrl, tenantId: service.options.tenantId, resource: origin });
    }
    const user = callerKey(token as string);
    let end: (ms: number) => void;
    try {
      end = protection.begin(user);
    } catch (error) {
      if (error instanceof DvError) return toEmu(errorResponse(error), protection.headers(user));
      throw error;
    }
    const started = performance.now();
    try {
      const request = toDvRequest(req);
      const response =
        request.resource === '$batch' && request.method === 'POST'
          ? executeBatch(service, request, (inner) => dispatch(service, inner))
          : dispatch(service, request);
      return toEmu(response, protection.headers(user));
    } catch (error) {
      if (error instanceof DvError) return toEmu(errorResponse(error), protection.headers(user));
      throw error;
    } finally {
      end(performance.now() - started);
    }
  };
}
