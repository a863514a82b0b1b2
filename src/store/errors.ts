import type { CrmSystem } from '../domain/crm-record.js';

/**
 * Thrown by `saveLink` when another link already holds the same (crmSystem, crmId) or the same
 * referralId: two links for one record would make the sync write it twice, so it is refused.
 */
export class DuplicateLinkError extends Error {
  override readonly name = 'DuplicateLinkError';
  readonly crmSystem: CrmSystem;
  readonly crmId: string | null;
  readonly referralId: string | null;
  /** The link that already holds the record, when it could be read back. */
  readonly existingLinkId: string | null;

  constructor(args: { crmSystem: CrmSystem; crmId: string | null; referralId: string | null; existingLinkId: string | null; cause: unknown }) {
    super(
      `a link already exists for ${args.crmSystem} record ${args.crmId ?? '-'} / referral ${args.referralId ?? '-'}` +
        (args.existingLinkId === null ? '' : ` (link ${args.existingLinkId})`),
      { cause: args.cause },
    );
    this.crmSystem = args.crmSystem;
    this.crmId = args.crmId;
    this.referralId = args.referralId;
    this.existingLinkId = args.existingLinkId;
  }
}

/** Thrown when a store (or a transaction handle) is used after it was closed (or committed). */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
}

/**
 * Thrown when code inside `transaction(fn)` calls the store itself instead of the `tx` handle:
 * on SQLite that call would wait for the very transaction waiting on it, and on PostgreSQL it
 * would run outside the transaction.
 */
export class TransactionMisuseError extends Error {
  override readonly name = 'TransactionMisuseError';
}

/**
 * Thrown by `saveLink` when the link changed since the revision the caller read (another loop or
 * instance saved it meanwhile): the caller re-reads and decides again instead of overwriting.
 */
export class StaleLinkError extends Error {
  override readonly name = 'StaleLinkError';
  constructor(
    readonly linkId: string,
    readonly expectedRevision: number,
  ) {
    super(`link ${linkId} changed since revision ${expectedRevision} was read; re-read it and decide again`);
  }
}

/**
 * Thrown by a write made under a lease whose fencing token is no longer current: the lease
 * expired without renewal, was released at shutdown, or another instance took it over. The
 * loop stops; whoever holds the lease now does the work.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly lease: string,
    readonly token: number,
    reason: string,
  ) {
    super(`lease ${lease} (token ${token}) is no longer held: ${reason}; the write was refused`);
  }
}
