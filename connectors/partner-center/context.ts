import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { ConnectorError } from '../errors.js';
import type { FilterCapabilities } from './capabilities.js';
import type { PartnerCenterOptions } from './options.js';
import type { Requester } from './request.js';

/** A referral in a response that could not be parsed; it is skipped, never allowed to sink the page. */
export interface InvalidItem {
  id: string | null;
  error: ConnectorError;
}

/** What every operation module needs; built once by createPartnerCenterConnector. */
export interface PcContext {
  options: PartnerCenterOptions;
  request: Requester;
  capabilities: FilterCapabilities;
  logger: Logger;
  clock: Clock;
  newCorrelationId(): string;
  reportInvalid(item: InvalidItem): void;
}
