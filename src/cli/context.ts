import type { Writable } from 'node:stream';

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

/**
 * Everything a command touches outside itself, injected so tests run the program in-process.
 * Only `bin.ts` builds it from `process`.
 */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Decides `logging.pretty: auto` (logs go to stderr). */
  stderrIsTty: boolean;
  version: string;
  /** Calls `handler` on SIGTERM / SIGINT; returns a function that stops listening. */
  onShutdownSignal: (handler: (signal: string) => void) => () => void;
  /** Where commands log (default: `stderr`). */
  logDestination?: Writable;
  /** Builds the sync loops for `run`; without it the daemon runs its shell only (store, server). */
  composeRuntime?: ComposeRuntime;
}

/** Thrown by a command to end the program with `code` (its message already printed). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/**
 * The exit codes every command keeps (documented in the README): 0 done; 1 a fatal error (the
 * command could not do what was asked); 2 the configuration or the command line is wrong, and
 * nothing was done; 3 the command ran, but some records failed (listed by `failures list`).
 */
export const EXIT_OK = 0;
export const EXIT_FATAL = 1;
export const EXIT_CONFIG_INVALID = 2;
export const EXIT_RECORD_FAILURES = 3;
