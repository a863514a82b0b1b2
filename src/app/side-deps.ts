/** What every CRM side (connector + mapping) is built with, besides its own configuration section. */
import type { Logger } from 'pino';
import type { ApiCallObserver } from '../../connectors/shared/api-calls.js';
import type { RetryPolicy } from '../../connectors/shared/retry.js';
import type { Clock } from '../core/clock.js';
import type { StateStore } from '../store/types.js';

export interface SideDeps {
  retry: RetryPolicy;
  logger: Logger;
  clock: Clock;
  store: StateStore;
  /** The configured CA, for the clients that take one (Dataverse's trusts the process's CAs). */
  ca: string | null;
  onApiCall?: ApiCallObserver;
}
