/**
 * What Entra ID said when it refused a token request, in its own words. msal-node's AuthError
 * carries the OAuth `error` as `errorCode` and the server's `error_description` ("AADSTS7000215:
 * Invalid client secret provided. ...") inside `errorMessage`, followed by trace and correlation
 * ids that help Microsoft support but not the reader; those are cut.
 */
export interface EntraRefusal {
  /** OAuth error code: `invalid_client`, `invalid_grant`, ... */
  code: string | undefined;
  /** `AADSTS7000215`: the Entra error that says what to fix. */
  aadsts: string | undefined;
  /** The description from `AADSTS...:` up to the trace ids. */
  text: string | undefined;
}

/**
 * `heard`: the token service's own error body when msal dropped it (its device-code client keeps
 * only the `error` code); used when the thrown error holds no `AADSTS` text.
 */
export function entraRefusal(cause: unknown, heard?: { error?: string; error_description?: string } | null): EntraRefusal {
  const o = typeof cause === 'object' && cause !== null ? (cause as Record<string, unknown>) : {};
  const own = typeof o['errorMessage'] === 'string' ? o['errorMessage'] : typeof o['message'] === 'string' ? o['message'] : '';
  const message = /AADSTS\d+/.test(own) || !heard?.error_description ? own : heard.error_description;
  const thrownCode = typeof o['errorCode'] === 'string' && o['errorCode'] !== '' && o['errorCode'] !== 'post_request_failed' ? o['errorCode'] : undefined;
  const code = thrownCode ?? heard?.error;
  const described = /(AADSTS\d+:[\s\S]*?)(?=\s+Trace ID:|\s+- Correlation ID:|\s+- Trace ID:|$)/.exec(message)?.[1]?.trim();
  const number = typeof o['errorNo'] === 'string' || typeof o['errorNo'] === 'number' ? String(o['errorNo']) : undefined;
  const aadsts = /^AADSTS\d+/.exec(described ?? '')?.[0] ?? (number ? `AADSTS${number}` : undefined);
  return { code, aadsts, text: described };
}

/** `AADSTS7000215: Invalid client secret provided. ...`, else the OAuth code, else a fallback. */
export function describeEntraRefusal(refusal: EntraRefusal, fallback: string): string {
  return refusal.text ?? (refusal.code ? `${refusal.code} (no description from Entra)` : fallback);
}
