/** The OAuth token endpoint's answers (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration") and their parsing. */
import { ConnectorError } from '../../errors.js';
import type { JsforceHttpResponse } from '../transport.js';

/** Success body; only the fields the connector uses. */
export interface SalesforceTokenBody {
  access_token: string;
  instance_url?: string;
  id?: string;
  token_type?: string;
  issued_at?: string;
}

/** Error body: `{"error":"invalid_grant","error_description":"..."}` with HTTP 400. */
export interface SalesforceTokenErrorBody {
  error: string;
  error_description?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

/** Turns a token endpoint answer into a grant, or a classified error (never echoing the body). */
export function parseTokenResponse(response: JsforceHttpResponse): { accessToken: string; instanceUrl: string | null } {
  const body = parseJson(response.body);
  if (response.statusCode === 200 && isObject(body) && typeof body['access_token'] === 'string') {
    const instanceUrl = body['instance_url'];
    return { accessToken: body['access_token'], instanceUrl: typeof instanceUrl === 'string' ? instanceUrl : null };
  }
  const vendorCode = isObject(body) && typeof body['error'] === 'string' ? body['error'] : `HTTP_${response.statusCode}`;
  const description = isObject(body) && typeof body['error_description'] === 'string' ? body['error_description'] : null;
  const transient = response.statusCode >= 500 || response.statusCode === 429;
  throw new ConnectorError({
    kind: transient ? 'transient' : 'auth',
    system: 'salesforce',
    status: response.statusCode,
    vendorCode,
    message: `Salesforce refused the sign-in: ${vendorCode}${description ? `: ${description}` : ''}`,
  });
}
