/** The one retry policy the configuration gives every connector (`sync.retry`). */
import type { RetryPolicy } from '../../connectors/shared/retry.js';
import type { Config } from '../config/index.js';

/**
 * `sync.retry` as a connector's policy. A write whose answer was lost may be repeated only when
 * repeating it cannot duplicate anything; the connectors turn that off for creates themselves.
 */
export function connectorRetryPolicy(sync: Config['sync']): RetryPolicy {
  return { ...sync.retry, retryUnknownOutcome: true };
}
