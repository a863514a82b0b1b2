import type { FastifyInstance } from 'fastify';

import type { StateStore } from '../store/types.js';

/**
 * A unit of recurring work (outbound sync, inbound sync, reconcile, the webhook queue). `run` must
 * stop promptly when `signal` aborts: the daemon waits for it only `sync.shutdownGraceMs`.
 */
export interface Loop {
  name: string;
  /** A node-cron expression (runs never overlap), or one long-running task restarted if it ends early. */
  schedule: { kind: 'cron'; expression: string } | { kind: 'continuous' };
  run(signal: AbortSignal): Promise<void>;
}

/** Loops built once the store is open, with what they hold open (connectors) to release on shutdown. */
export interface LoopSet {
  loops: readonly Loop[];
  /**
   * Runs once running work finished or its grace period ended, before anything else closes: stops
   * every loop's writes at once and releases their leases (so another instance can take over).
   */
  stopWrites?: () => Promise<void>;
  /** Runs after the loops have stopped and the server is down, before the store closes. */
  close?: () => Promise<void>;
}

/** Builds the loops from the open store (the engine needs it); see `startDaemon`. */
export type LoopFactory = (deps: { store: StateStore }) => Promise<LoopSet>;

/** What a server factory may use: the open store, and for /readyz whether it is open and whether shutdown began. */
export interface DaemonServerDeps {
  store: StateStore;
  storeOpen: () => boolean;
  /** True from the moment `close()` is called. */
  stopping: () => boolean;
}

/** The admin listener (status page, JSON API, metrics) and, when webhooks are on, the public webhook listener. */
export interface DaemonServers {
  admin: FastifyInstance;
  webhooks: FastifyInstance | null;
}

/** Builds the servers once the store is open; the daemon listens and closes them. */
export type ServerFactory = (deps: DaemonServerDeps) => Promise<DaemonServers>;

export interface Daemon {
  readonly store: StateStore;
  /** `http://host:port` the admin listener listens on, or null when it is disabled. */
  readonly serverAddress: string | null;
  /** `http://host:port` of the webhook listener, or null when there is none. */
  readonly webhookAddress: string | null;
  /**
   * Runs a cron loop now (a webhook asks for inbound). If it is already running, one more run
   * follows it, so a change that arrived mid-run is not missed; the promise settles after that run.
   */
  trigger(name: string): Promise<void>;
  /**
   * The one ordered shutdown: stop schedules, abort the signal, wait for running work up to
   * `shutdownGraceMs`, stop the server, close the store. Idempotent: every call gets the same promise.
   */
  close(): Promise<void>;
}
