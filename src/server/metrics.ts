import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { ApiCall } from '../../connectors/shared/api-calls.js';
import type { Clock } from '../core/clock.js';
import type { StateStore } from '../store/types.js';

/** A loop whose cycles are recorded as runs of `kind` in the store, labelled by CRM and direction. */
export interface MeteredLoop {
  kind: string;
  crm: string;
  direction: 'outbound' | 'inbound';
}

/** What the scrape-time metrics read: the store (shared by every instance) and the sign-in. */
export interface MetricSources {
  store: StateStore;
  clock: Clock;
  loops: readonly MeteredLoop[];
  /** When the Partner Center access token expires; null when unknown. */
  partnerCenterTokenExpiry?: () => Date | null;
}

/** The process's metrics: one registry others add to, and what the runtime records on. */
export interface Metrics {
  registry: Registry;
  /** Records written (or skipped / failed) per direction and CRM or Partner Center. */
  recordsSynced: Counter<'direction' | 'system' | 'result'>;
  /** Vendor API calls (every request sent, retries included) by system, operation and HTTP status. */
  apiCalls: Counter<'system' | 'operation' | 'status'>;
  /** Duration of each cycle that ran, by CRM and direction. */
  cycleSeconds: Histogram<'crm' | 'direction'>;
  /** The connectors' hook (`onApiCall`): counts the call and keeps the API budget it reported. */
  observeApiCall(call: ApiCall): void;
  /** Starts reading the store and the sign-in on every scrape; before this those series are absent. */
  watch(sources: MetricSources): void;
}

const RECORD_RESULTS = ['read', 'written', 'skipped', 'failed', 'held'] as const;

/**
 * A fresh registry with Node's default metrics and the sync metrics. One per process (the
 * composition root makes it); tests make their own, so nothing is global. Open failures and
 * conflicts, the last cycle of each loop and the token expiry are read when scraped, so they are
 * true whoever changed them (another instance, the CLI) and whether or not anyone opened /status.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cosell_' });
  const registers = [registry];
  let sources: MetricSources | null = null;
  /** Runs `read` against the store; a store closing during shutdown leaves the series unset. */
  const fromStore = async (read: (s: MetricSources) => Promise<void>): Promise<void> => {
    if (sources === null) return;
    await read(sources).catch(() => undefined);
  };

  const apiCalls = new Counter({
    name: 'cosell_api_calls_total',
    help: 'Vendor API requests sent (retries included), by system, operation and HTTP status (ok: a success whose status the client hides; noAnswer: timeout or reset)',
    labelNames: ['system', 'operation', 'status'] as const,
    registers,
  });
  const budgetRemaining = new Gauge({
    name: 'cosell_api_budget_remaining',
    help: "API requests left in the vendor's allowance, as its last answer reported (Salesforce: Sforce-Limit-Info, per 24 hours)",
    labelNames: ['system'] as const,
    registers,
  });
  const budgetLimit = new Gauge({
    name: 'cosell_api_budget_limit',
    help: "The vendor's API allowance, as its last answer reported",
    labelNames: ['system'] as const,
    registers,
  });

  new Gauge({
    name: 'cosell_failures_open',
    help: 'Failed records waiting for a retry or a fix (as `cosell-sync failures list`)',
    registers,
    async collect() {
      await fromStore(async ({ store }) => void this.set((await store.countOpen()).failures));
    },
  });
  new Gauge({
    name: 'cosell_conflicts_open',
    help: 'Held conflicts waiting for a person (as `cosell-sync conflicts list`)',
    registers,
    async collect() {
      await fromStore(async ({ store }) => void this.set((await store.countOpen()).conflicts));
    },
  });
  new Gauge({
    name: 'cosell_seconds_since_last_successful_cycle',
    help: 'Seconds since the last cycle of each loop that finished without stopping (any instance)',
    labelNames: ['crm', 'direction'] as const,
    registers,
    async collect() {
      this.reset();
      await fromStore(async ({ store, clock, loops }) => {
        for (const loop of loops) {
          const run = await store.lastRun({ kind: loop.kind, status: 'succeeded' });
          if (run?.finishedAt) this.set({ crm: loop.crm, direction: loop.direction }, Math.max(0, (clock.now().getTime() - Date.parse(run.finishedAt)) / 1000));
        }
      });
    },
  });
  new Gauge({
    name: 'cosell_last_cycle_records',
    help: 'Records of the last finished cycle of each loop, by what happened to them (read, written, skipped, failed, held)',
    labelNames: ['crm', 'direction', 'result'] as const,
    registers,
    async collect() {
      this.reset();
      await fromStore(async ({ store, loops }) => {
        for (const loop of loops) {
          const run = await store.lastRun({ kind: loop.kind });
          if (run === null) continue;
          for (const result of RECORD_RESULTS) this.set({ crm: loop.crm, direction: loop.direction, result }, run.summary[result] ?? 0);
        }
      });
    },
  });
  new Gauge({
    name: 'cosell_partner_center_token_expiry_timestamp_seconds',
    help: 'When the Partner Center access token expires (renewed on its own before; in the past means renewal fails)',
    registers,
    collect() {
      this.reset();
      const expiry = sources?.partnerCenterTokenExpiry?.() ?? null;
      if (expiry !== null) this.set(expiry.getTime() / 1000);
    },
  });

  return {
    registry,
    recordsSynced: new Counter({
      name: 'cosell_records_synced_total',
      help: 'Records processed by a sync cycle, by direction, system and result',
      labelNames: ['direction', 'system', 'result'] as const,
      registers,
    }),
    apiCalls,
    cycleSeconds: new Histogram({
      name: 'cosell_cycle_seconds',
      help: 'Duration of one sync cycle, by CRM and direction',
      labelNames: ['crm', 'direction'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    observeApiCall: (call) => {
      apiCalls.inc({ system: call.system, operation: call.operation, status: call.status });
      if (call.budget !== undefined && call.budget.limit > 0) {
        budgetRemaining.set({ system: call.system }, call.budget.limit - call.budget.used);
        budgetLimit.set({ system: call.system }, call.budget.limit);
      }
    },
    watch: (given) => {
      sources = given;
    },
  };
}
