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
const session = randomUUID();

export async function withLease(args: {
  store: StateStore;
  clock: Clock;
  name: string;
  ttlMs: number;
  owner?: string;
  run: () => Promise<void>;
}): Promise<boolean> {
  const owner = args.owner ?? instanceId;
  const now = (): string => args.clock.now().toISOString();
  const grant = await args.store.acquireLease({ name: args.name, owner, session, ttlMs: args.ttlMs, now: now() });
  if (grant === null) return false;
  const { token } = grant;
  const renew = setInterval(
    () => void args.store.renewLease({ name: args.name, token, ttlMs: args.ttlMs, now: now() }).catch(() => undefined),
    Math.max(1000, Math.floor(args.ttlMs / 3)),
  );
  renew.unref();
  try {
    await args.run();
    return true;
  } finally {
    clearInterval(renew);
    await args.store.releaseLease({ name: args.name, token, now: now() });
  }
}
