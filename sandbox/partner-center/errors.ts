/**
 * Partner API error bodies (Partner Center docs, "Referrals API response codes"): `{ error: { code, message, target } }`, codes from the
 * documented closed list.
 */
import { EmuHttpError } from '../shared/http.js';

export type PartnerErrorCode =
  | 'accessDenied'
  | 'generalException'
  | 'invalidRequest'
  | 'itemNotFound'
  | 'preconditionFailed'
  | 'resourceModified'
  | 'serviceNotAvailable'
  | 'unauthenticated';

export function partnerErrorBody(code: PartnerErrorCode, message: string, target = 'referral'): unknown {
  // "Referrals API response codes": message is at most 1024 characters.
  return { error: { code, message: message.slice(0, 1024), target } };
}

export function partnerError(args: {
  status: number;
  code: PartnerErrorCode;
  message: string;
  target?: string;
  headers?: Record<string, string>;
}): EmuHttpError {
  return new EmuHttpError(args.status, partnerErrorBody(args.code, args.message, args.target), args.headers ?? {});
}

export function invalidRequest(message: string, target = 'referral'): EmuHttpError {
  return partnerError({ status: 400, code: 'invalidRequest', message, target });
}

export function notFound(id: string): EmuHttpError {
  return partnerError({ status: 404, code: 'itemNotFound', message: `Referral '${id}' was not found`, target: 'id' });
}

export function notFoundPath(path: string): EmuHttpError {
  return partnerError({ status: 404, code: 'itemNotFound', message: `No resource at '${path}'`, target: 'path' });
}
