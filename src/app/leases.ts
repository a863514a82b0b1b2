/**
 * Scale-out: several daemons on one PostgreSQL store run each loop on exactly one instance. A
 * loop run takes a lease named after it; another instance finding it held skips that run, and
 * takes over once the holder stops renewing (it died).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { StateStore } from '../store/types.js';

export const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export async function withLease(args: {
  store: StateStore;
  clock: Clock;
  name: string;
  ttlMs: number;
  owner?: string;
  run: () => Promise<void>;
}): Promise<boolean> {
  const owner = args.owner ?? instanceId;
  const take = () => args.store.acquireLease({ name: args.name, owner, ttlMs: args.ttlMs, now: args.clock.now().toISOString() });
  if (!(await take())) return false;
  const renew = setInterval(() => void take().catch(() => undefined), Math.max(1000, Math.floor(args.ttlMs / 3)));
  renew.unref();
  try {
    await args.run();
    return true;
  } finally {
    clearInterval(renew);
    await args.store.releaseLease({ name: args.name, owner });
  }
}
