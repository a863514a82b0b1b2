import type { EmuRequest, EmuResponse, Handler } from '../../shared/http.js';
import { SfRequestError, requestError, toRestErrors } from '../model/sf-error.js';
import type { SfContext } from './context.js';

/** JSON with this exact content type (jsforce parses only `application/json`), and the usage header on every
 * response (Salesforce REST API Developer Guide, "Limit Info Header"). */
export const JSON_TYPE = 'application/json;charset=UTF-8';

export function sfResponse(ctx: SfContext, status: number, body?: unknown, headers: Record<string, string> = {}): EmuResponse {
  const out: Record<string, string> = { 'Sforce-Limit-Info': ctx.budget.header(), ...headers };
  if (body !== undefined) out['Content-Type'] = JSON_TYPE;
  return body === undefined ? { status, headers: out } : { status, headers: out, body };
}

export function errorResponse(ctx: SfContext, error: SfRequestError): EmuResponse {
  return sfResponse(ctx, error.status, toRestErrors(error.errors));
}

/** What an authenticated REST call knows about itself. */
export interface ApiCall {
  version: string;
  versionNumber: number;
  userId: string;
}

function bearer(req: EmuRequest): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
  return m?.[1];
}

/**
 * Wraps a `/services/data/vXX.X/...` handler: the version must be served, the session valid
 * (401 INVALID_SESSION_ID, "Status Codes and Error Responses"), and the daily allocation not spent (403, Salesforce Developer Limits and Allocations Quick Reference). Errors thrown as
 * SfRequestError become the error array ("Status Codes and Error Responses").
 */
export function api(
  ctx: SfContext,
  handler: (req: EmuRequest, call: ApiCall) => EmuResponse | Promise<EmuResponse>,
  { versioned = true }: { versioned?: boolean } = {},
): Handler {
  const answer = (error: unknown): EmuResponse => {
    if (error instanceof SfRequestError) return errorResponse(ctx, error);
    throw error;
  };
  // Synchronous when the handler is, so `/composite` can run subrequests inside one transaction.
  return (req) => {
    try {
      const raw = req.params['version'] ?? '';
      const version = versioned ? raw.replace(/^v/, '') : (ctx.options.apiVersions.at(-1) ?? '60.0');
      if (versioned && (!raw.startsWith('v') || !ctx.options.apiVersions.includes(version))) {
        throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      }
      const token = bearer(req);
      const session = token === undefined ? undefined : ctx.sessions.check(token);
      if (!session) throw requestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      if (!ctx.internalCalls.has(req)) ctx.budget.consume();
      const out = handler(req, { version, versionNumber: Number(version), userId: session.userId });
      return out instanceof Promise ? out.catch(answer) : out;
    } catch (error) {
      return answer(error);
    }
  };
}

/** Parses a JSON body; a bad one is 400 JSON_PARSER_ERROR ("Status Codes and Error Responses"). */
export function readJson(req: EmuRequest): unknown {
  const text = req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw requestError(400, 'JSON_PARSER_ERROR', `Unexpected character in request body: ${(error as Error).message}`);
  }
}

export function readJsonObject(req: EmuRequest): Record<string, unknown> {
  const body = readJson(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw requestError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of the sObject from a non-object value');
  }
  return body as Record<string, unknown>;
}
