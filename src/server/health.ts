import type { ConnectorHealth } from '../../connectors/types.js';

/** A loop's lease as this instance sees it. */
export interface LeaseView {
  name: string;
  state: 'held' | 'elsewhere' | 'blocked' | 'free';
  holder: string | null;
  heldUntil: string | null;
  /** When this instance first saw it blocked: held past its expiry by over a TTL, and not obtainable. */
  blockedSince: string | null;
}

/** What readiness is judged on; the daemon assembles it from the store and the connectors. */
export interface HealthReport {
  storeOpen: boolean;
  /** True once shutdown began: a load balancer should stop sending work (webhooks) here. */
  stopping?: boolean;
  /** By connector name (`partnerCenter`, `salesforce`, ...). */
  connectors: Record<string, ConnectorHealth>;
  /** What is wrong with the sync loops, one line each (a loop stalled, a cycle whose every record failed). */
  loops?: readonly string[];
}

export interface Readiness {
  ready: boolean;
  /** Why not ready, one line each (empty when ready). */
  reasons: string[];
}

/**
 * Ready unless the store is closed or a connector cannot sign in. A paused (rate limited) or
 * degraded connector is still ready: it recovers by itself, and restarting the pod would not help.
 */
export function judgeReadiness(report: HealthReport): Readiness {
  const reasons: string[] = [];
  if (report.stopping === true) reasons.push('daemon: shutting down');
  if (!report.storeOpen) reasons.push('store: not open');
  for (const [name, health] of Object.entries(report.connectors)) {
    if (health.state === 'authFailed') reasons.push(`${name}: authentication failed${health.detail === null ? '' : ` (${health.detail})`}`);
  }
  reasons.push(...(report.loops ?? []));
  return { ready: reasons.length === 0, reasons };
}
