import { stdSerializers } from 'pino';

/**
 * An error that knows which of its fields are safe to log (a connector error: kind, system,
 * status, vendor code; never the vendor body). Recognised by shape, so logging depends on no
 * connector.
 */
export interface LoggableError extends Error {
  toLog(): Record<string, unknown>;
}

const isLoggableError = (error: Error): error is LoggableError =>
  typeof (error as Partial<LoggableError>).toLog === 'function';

/**
 * Errors as log fields. An error that names its loggable fields logs those only, never a vendor
 * body that may echo customer data; other errors keep type, message, stack and cause.
 */
export function serializeError(error: Error): Record<string, unknown> {
  if (isLoggableError(error)) return error.toLog();
  return { ...stdSerializers.err(error) };
}
