/** Structured logging: one pino factory with redaction of secrets and customer contact details. */
export type { LogContext, Logger, LogLevel } from './create-logger.js';
export { createLogger, withContext } from './create-logger.js';
export {
  CONTACT_KEYS,
  PEOPLE_KEYS,
  REDACT_KEYS,
  REDACT_PATHS,
  REDACTED,
  redactDeep,
  SECRET_KEYS,
} from './redaction.js';
export { EMAIL_REDACTED, PHONE_REDACTED, redactText } from './redact-text.js';
export { serializeError } from './serialize-error.js';
