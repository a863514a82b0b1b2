/**
 * What never reaches a log line: credentials and customer contact details.
 *
 * Two layers. `REDACT_PATHS` goes to pino's own `redact` (exact paths, for known places such as
 * request headers). `REDACT_KEYS` is matched by name at any depth by `redactDeep`, which the
 * logger runs over every log object and binding. A key walk is used for depth because pino's
 * wildcard paths (`*.email`, `*.*.email`, ...) cost 40 µs per line at one level and 300 µs at five
 * for this key list (measured), against about 4 µs for the walk.
 */

import { redactText } from './redact-text.js';
import { serializeError } from './serialize-error.js';

export const REDACTED = '[REDACTED]';

/** Keys that hold credentials, wherever they appear (request headers, token responses, configs). */
export const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'privateKey',
  'assertion',
  'token',
  'tokenCacheKey',
] as const;

/** Keys that hold a person's contact details, in referral, Salesforce and Dataverse spellings. */
export const CONTACT_KEYS = [
  'email',
  'phoneNumber',
  'phone',
  'mobilePhone',
  'firstName',
  'lastName',
  'Email',
  'Phone',
  'MobilePhone',
  'FirstName',
  'LastName',
  'firstname',
  'lastname',
  'fullname',
  'emailaddress1',
  'emailaddress2',
  'emailaddress3',
  'telephone1',
  'telephone2',
  'telephone3',
  'mobilephone',
] as const;

/** Keys whose whole value is a list of people: the customer's contacts, the partner's sellers. */
export const PEOPLE_KEYS = ['team', 'contacts', 'OpportunityContactRoles', 'OpportunityTeamMembers'] as const;

/** Every key redacted at any depth; extend with your own and pass to `createLogger({ redactKeys })`. */
export const REDACT_KEYS: readonly string[] = [...SECRET_KEYS, ...CONTACT_KEYS, ...PEOPLE_KEYS];

/**
 * Exact pino redact paths (no leading wildcards: see the cost note above). The top-level keys are
 * here too because pino applies these paths to child-logger bindings, which `redactDeep` never
 * sees; so pass only ids to `child()` (`withContext` takes nothing else).
 */
export const REDACT_PATHS: readonly string[] = [
  ...REDACT_KEYS.map((key) => (/^\w+$/.test(key) ? key : `["${key}"]`)),
  'customerProfile.team',
  'referral.customerProfile.team',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'res.headers["set-cookie"]',
];

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every key in `keys` replaced by `[REDACTED]`, at any depth and inside
 * arrays, and e-mail addresses and phone numbers inside every string replaced (`redactText`).
 * Errors are serialised first, so their message and stack survive, redacted. Values that
 * serialise themselves (`toJSON`: dates, buffers, config secrets) are kept whole. Anything nested
 * deeper than `MAX_DEPTH` (a cycle, say) is replaced rather than risked.
 */
export function redactDeep(value: unknown, keys: ReadonlySet<string>, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, keys, depth + 1));
  if (value instanceof Error) return redactDeep(serializeError(value), keys, depth + 1);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = keys.has(key) ? REDACTED : redactDeep(inner, keys, depth + 1);
  }
  return copy;
}
