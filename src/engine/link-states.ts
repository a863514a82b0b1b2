/**
 * The link between a CRM record and a referral as one state machine, the way
 * lifecycle.ts holds Partner Center's statuses: the states, which moves are allowed, and the one
 * function every link write of the engine goes through.
 *
 * - `creating`: the link is stored before the first write to the other side. Outbound, a referral
 *   may or may not exist in Partner Center (a crash or a lost answer), so the next attempt looks it
 *   up by `externalReferenceId` before posting. Inbound, the CRM write is an upsert on the referral
 *   id, so repeating it is safe.
 * - `writeBackPending`: the referral exists; its id is not yet written to the CRM record.
 * - `linked`: both sides know each other. Changes flow both ways.
 * - `held`: a person must decide (the CRM record was deleted under the `hold` policy).
 * - `closed`: the CRM record was deleted and the referral closed as lost.
 * - `unlinked`: the sync no longer follows this pair.
 *
 * One more rule the table cannot say: a link that knows its referral never goes back to
 * `creating`, so no record ever gets a second referral.
 */
import type { Link, LinkInput, LinkState, StateStore } from '../store/types.js';

export const LINK_TRANSITIONS = {
  creating: ['creating', 'writeBackPending', 'linked', 'unlinked'],
  writeBackPending: ['writeBackPending', 'linked', 'held', 'closed', 'unlinked'],
  linked: ['linked', 'held', 'closed', 'unlinked'],
  held: ['held', 'linked', 'closed', 'unlinked'],
  closed: ['closed'],
  // A record flagged again after its link was dropped before any referral existed starts over.
  unlinked: ['unlinked', 'creating'],
} as const satisfies Record<LinkState, readonly LinkState[]>;

/** States in which the sync still moves changes between the two sides. */
export const FOLLOWED_STATES: readonly LinkState[] = ['writeBackPending', 'linked'];

export class IllegalLinkTransitionError extends Error {
  override readonly name = 'IllegalLinkTransitionError';
  constructor(
    readonly linkId: string,
    readonly from: LinkState,
    readonly to: LinkState,
  ) {
    super(`link ${linkId} cannot go from ${from} to ${to}`);
  }
}

export function canMove(from: LinkState, to: LinkState): boolean {
  const allowed: readonly LinkState[] = LINK_TRANSITIONS[from];
  return allowed.includes(to);
}

/** What a new link starts as: always `creating`, before the other side is written. */
export type NewLink = Omit<LinkInput, 'id' | 'state' | 'revision'>;

/** Stores a new link in `creating`. */
export function beginLink(store: StateStore, input: NewLink): Promise<Link> {
  return store.saveLink({ ...input, state: 'creating' });
}

/**
 * Saves `link` with `changes`, checking the move against the table and the revision the link was
 * read at (a `StaleLinkError` when another loop or instance saved it meanwhile).
 */
export function moveLink(store: StateStore, link: Link, changes: Partial<Omit<Link, 'id' | 'revision' | 'createdAt' | 'updatedAt'>>): Promise<Link> {
  const to = changes.state ?? link.state;
  const referralId = changes.referralId === undefined ? link.referralId : changes.referralId;
  const backToCreating = to === 'creating' && link.state !== 'creating' && referralId !== null;
  if (!canMove(link.state, to) || backToCreating) return Promise.reject(new IllegalLinkTransitionError(link.id, link.state, to));
  const { createdAt: _created, updatedAt: _updated, ...rest } = link;
  return store.saveLink({ ...rest, ...changes, state: to });
}
