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
  /** Why the open store did not answer a probe (unreachable, timed out); null or absent when it did. */
  storeProblem?: string | null;
  /** True once shutdown began: a load balancer should stop sending work (webhooks) here. */
  stopping?: boolean;
  /** By connector name (`partnerCenter`, `salesforce`, ...). */
  connectors: Record<string, ConnectorHealth>;
  /** What is wrong with the sync loops, one line each (a loop stalled, a cycle whose every record failed). */
  loops?: readonly string[];
  /** The loops' leases as this instance sees them; a blocked one stops its loop here. */
  leases?: readonly LeaseView[];
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
  else if (report.storeProblem) reasons.push(`store: not reachable (${report.storeProblem})`);
  for (const [name, health] of Object.entries(report.connectors)) {
    if (health.state === 'authFailed') reasons.push(`${name}: authentication failed${health.detail === null ? '' : ` (${health.detail})`}`);
  }
  reasons.push(...(report.loops ?? []));
  for (const lease of report.leases ?? []) {
    if (lease.state === 'blocked') {
      reasons.push(
        `lease ${lease.name}: held by ${lease.holder ?? 'an unknown instance'} past its expiry (${lease.heldUntil ?? 'unknown'}) since ${lease.blockedSince ?? 'unknown'} and cannot be taken over (clocks out of step, or the store refuses); its loop does not run`,
      );
    }
  }
  return { ready: reasons.length === 0, reasons };
}
