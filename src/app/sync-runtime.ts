/** What `run` asks of the composition root: the sync loops and what the daemon's listeners show. */
import type { ConnectorHealth } from '../../connectors/types.js';
import type { Config } from '../config/index.js';
import type { Loop } from '../daemon/index.js';
import type { Logger } from '../logging/index.js';
import type { LeaseView } from '../server/health.js';
import type { Metrics, RouteRegistrar } from '../server/index.js';
import type { StateStore } from '../store/types.js';

/** What the running sync consists of: built by the composition root once the store is open. */
export interface SyncRuntime {
  loops: readonly Loop[];
  /** Health of each connector by name, for /readyz. */
  connectorHealth: () => Record<string, ConnectorHealth>;
  /** What is wrong with the sync loops (stalled, every record failed), for /readyz; empty when nothing. */
  loopReadiness?: () => Promise<string[]>;
  /** Routes for the admin listener (status page, JSON API). */
  routes?: RouteRegistrar;
  /** Routes for the public webhook listener; absent, that listener is not opened. */
  webhookRoutes?: RouteRegistrar;
  /** The loops' leases as this instance sees them, for /readyz and the status page. */
  leases?: () => LeaseView[];
  /** Shutdown, once running work finished or its grace period ended: stops loop writes, releases leases. */
  stopWrites?: () => Promise<void>;
  /** Releases connectors after the loops stopped, before the store closes. */
  close: () => Promise<void>;
}

/** Builds the sync runtime for `run`; `trigger` runs a loop now (a webhook wakes inbound). */
export type ComposeRuntime = (deps: {
  config: Config;
  logger: Logger;
  store: StateStore;
  metrics: Metrics;
  trigger: (loop: string) => Promise<void>;
}) => Promise<SyncRuntime>;
