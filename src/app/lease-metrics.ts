import { Counter, Gauge, type Registry } from 'prom-client';

/** Leases on /metrics: which this instance holds, and how they changed hands. */
export interface LeaseMetrics {
  /** 1 while this instance holds the lease. */
  held: Gauge<'lease'>;
  /** acquired, takenOver (from a holder that stopped renewing), reclaimed (after a restart), released, lost. */
  events: Counter<'lease' | 'event'>;
}

export function createLeaseMetrics(registry: Registry): LeaseMetrics {
  const registers = [registry];
  return {
    held: new Gauge({ name: 'cosell_lease_held', help: 'Whether this instance holds the lease of a loop (1) or not (0)', labelNames: ['lease'] as const, registers }),
    events: new Counter({
      name: 'cosell_lease_events_total',
      help: 'Lease changes on this instance: acquired, takenOver, reclaimed, released, lost',
      labelNames: ['lease', 'event'] as const,
      registers,
    }),
  };
}
