/**
 * The emulator's referrals, kept in memory. Every write goes through `write`, which is where the
 * eTag and updatedDateTime change (Partner Center docs, "Referral resources", "Update a referral") and where change listeners
 * (webhooks) hear about it.
 */
import type { SandboxClock } from '../shared/clock.js';
import { EtagSource } from './etag.js';
import { TimestampSource } from './timestamps.js';
import type { WireReferral } from './wire-types.js';

/** Who made a change; webhooks fire for all of them (Partner Center docs, "Partner Center webhook events"). */
export type ChangeActor = 'api' | 'control' | 'simulation' | 'seed';

export interface ReferralChange {
  kind: 'created' | 'updated';
  referral: WireReferral;
  actor: ChangeActor;
}

export class ReferralStore {
  private readonly byId = new Map<string, WireReferral>();
  private readonly byEngagement = new Map<string, Set<string>>();
  private readonly listeners = new Set<(change: ReferralChange) => void>();
  readonly stamps = new TimestampSource();
  readonly etags = new EtagSource();

  constructor(private readonly clock: SandboxClock) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): WireReferral | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<WireReferral> {
    return this.byId.values();
  }

  engagementExists(engagementId: string): boolean {
    return this.byEngagement.has(engagementId);
  }

  /** Every referral in the engagement, the given one included. */
  engagement(engagementId: string): WireReferral[] {
    const ids = this.byEngagement.get(engagementId) ?? new Set<string>();
    return [...ids].map((id) => this.byId.get(id)).filter((r): r is WireReferral => r !== undefined);
  }

  /** A fresh stamp and eTag for a write happening now (or at `at`, for simulated events). */
  nextVersion(at: Date = this.clock.now()): { stamp: string; eTag: string } {
    return { stamp: this.stamps.stamp(at), eTag: this.etags.next(at) };
  }

  /** Adds a referral whose stamps and eTag are already set. */
  insert(referral: WireReferral, actor: ChangeActor): WireReferral {
    this.byId.set(referral.id, referral);
    let group = this.byEngagement.get(referral.engagementId);
    if (!group) {
      group = new Set();
      this.byEngagement.set(referral.engagementId, group);
    }
    group.add(referral.id);
    this.emit({ kind: 'created', referral, actor });
    return referral;
  }

  /**
   * Applies `change` to a copy of the referral, bumps its eTag and updatedDateTime, stores it and
   * tells the listeners. Returns the stored copy.
   */
  write(args: { id: string; actor: ChangeActor; at?: Date; change: (draft: WireReferral) => void }): WireReferral {
    const current = this.byId.get(args.id);
    if (!current) throw new Error(`no referral ${args.id}`);
    const draft = structuredClone(current);
    const { stamp, eTag } = this.nextVersion(args.at);
    // Set before the change so it can date status moves with the write's own stamp, and again
    // after it so a change can never keep the old version.
    draft.updatedDateTime = stamp;
    draft.eTag = eTag;
    args.change(draft);
    draft.updatedDateTime = stamp;
    draft.eTag = eTag;
    this.byId.set(draft.id, draft);
    this.emit({ kind: 'updated', referral: draft, actor: args.actor });
    return draft;
  }

  onChange(listener: (change: ReferralChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ReferralChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
