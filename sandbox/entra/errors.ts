/**
 * Entra (AAD) OAuth error answers: `{ error, error_description: "AADSTSnnnnn: ...", error_codes, ... }`.
 */
import { randomUUID } from 'node:crypto';
import { EmuHttpError } from '../shared/http.js';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'authorization_declined'
  | 'expired_token'
  | 'unauthorized_client';

export function oauthError(args: { code: OAuthErrorCode; aadsts: number; message: string; at: Date; status?: number }): EmuHttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = args.at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return new EmuHttpError(args.status ?? (args.code === 'invalid_client' ? 401 : 400), {
    error: args.code,
    error_description: `AADSTS${args.aadsts}: ${args.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [args.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${args.aadsts}`,
  });
}
