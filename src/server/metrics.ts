import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's metrics: one registry others add to, and the counters every part records on. */
export interface Metrics {
  registry: Registry;
  /** Records written (or skipped / failed) per direction and CRM or Partner Center. */
  recordsSynced: Counter<'direction' | 'system' | 'result'>;
  /** Vendor API calls by outcome (ok, rateLimited, transient, auth, ...), for API economy. */
  apiCalls: Counter<'system' | 'outcome'>;
  conflictsOpen: Gauge;
  failuresOpen: Gauge;
  cycleSeconds: Histogram<'direction'>;
}

/**
 * A fresh registry with Node's default metrics and the sync metrics. One per process (the
 * composition root makes it); tests make their own, so nothing is global.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cosell_' });
  const registers = [registry];
  return {
    registry,
    recordsSynced: new Counter({
      name: 'cosell_records_synced_total',
      help: 'Records processed by a sync cycle, by direction, system and result',
      labelNames: ['direction', 'system', 'result'] as const,
      registers,
    }),
    apiCalls: new Counter({
      name: 'cosell_api_calls_total',
      help: 'Vendor API calls, by system and outcome',
      labelNames: ['system', 'outcome'] as const,
      registers,
    }),
    conflictsOpen: new Gauge({ name: 'cosell_conflicts_open', help: 'Held conflicts waiting for a person', registers }),
    failuresOpen: new Gauge({ name: 'cosell_failures_open', help: 'Failed records waiting for a retry or a fix', registers }),
    cycleSeconds: new Histogram({
      name: 'cosell_cycle_seconds',
      help: 'Duration of one sync cycle, by direction',
      labelNames: ['direction'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}
