/**
 * Leases: each loop of the daemon runs on exactly one instance at a time. A lease is held by an
 * instance (`owner`, its persisted identity) in one process life (`session`) and carries a
 * fencing `token` that grows with every change of hands; a write made under a lease is refused
 * once its token is no longer current (`LeaseLostError`), so a holder that was frozen, cut off
 * or outlived its grace period cannot write after another instance took over.
 */

/** A lease as the store holds it. */
export interface LeaseRecord {
  name: string;
  owner: string;
  session: string;
  token: number;
  /** ISO-8601 expiry; null once the holder released it. */
  heldUntil: string | null;
}

/** What a successful `acquireLease` hands out. */
export interface LeaseGrant {
  name: string;
  token: number;
  heldUntil: string;
  /**
   * The holder this acquisition replaced without a release: one that stopped renewing (expired),
   * or this same instance in an earlier process life. Null when the lease was free or released.
   */
  replaced: { owner: string; session: string; token: number; heldUntil: string } | null;
  /** Runs that earlier holders left `running` under this lease, now marked `abandoned`. */
  abandonedRuns: string[];
}

export interface LeaseStoreOps {
  /**
   * Takes `name` for `owner` in `session` until `now + ttlMs`, with a new token. Granted when the
   * lease is free, released, expired, or held by the same owner in another session (the instance
   * restarted: its earlier life is dead). Never granted twice to the same session: a second
   * caller in the same process gets null, as does any caller while another live holder has it.
   */
  acquireLease(args: { name: string; owner: string; session: string; ttlMs: number; now: string }): Promise<LeaseGrant | null>;
  /** Pushes the expiry to `now + ttlMs`; false when `token` is no longer current or has expired. */
  renewLease(args: { name: string; token: number; ttlMs: number; now: string }): Promise<boolean>;
  /** Frees the lease if `token` is still current (keeping the token counter). */
  releaseLease(args: { name: string; token: number; now: string }): Promise<void>;
  getLease(name: string): Promise<LeaseRecord | null>;
  /**
   * Throws `LeaseLostError` unless `token` is the current, unexpired token of `name`. Inside a
   * transaction it also keeps the lease from changing hands until that transaction ends, so a
   * write after this check cannot land after a takeover.
   */
  assertLease(args: { name: string; token: number; now: string }): Promise<void>;
}
