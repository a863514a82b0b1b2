import { stdSerializers } from 'pino';

import { isConnectorError } from '../../connectors/errors.js';

/**
 * Errors as log fields. A connector error logs its known fields only, never a vendor body that
 * may echo customer data; other errors keep type, message, stack and cause.
 */
export function serializeError(error: Error): Record<string, unknown> {
  if (isConnectorError(error)) return error.toLog();
  return { ...stdSerializers.err(error) };
}
