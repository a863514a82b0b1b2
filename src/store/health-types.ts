/**
 * What the store keeps for co-sell health (src/health/): facts about each referral as the sync
 * saw it (when it arrived, when and how it was answered, what kind of deal it is), the expiry
 * reminders sent, and the deal registrations made for won deals. Recorded as things happen, so
 * the reports never reconstruct history from logs.
 */

/** How an inbound referral ended its answer window. */
export type ReferralAnswer = 'accepted' | 'declined' | 'expired';

/** Who sent an inbound referral: Microsoft (sellers, marketing, marketplace) or another partner. */
export type ReferralSource = 'microsoft' | 'partner';

export interface ReferralFacts {
  referralId: string;
  direction: 'Incoming' | 'Outgoing';
  /** Deal name as Partner Center shows it. */
  name: string;
  /** When Partner Center created it (for an inbound referral: when it was received). */
  receivedAt: string;
  /** The answer deadline of an inbound referral (14 days after it was received); null otherwise. */
  respondBy: string | null;
  /** The last status/substatus seen, e.g. `New/Pending`. */
  status: string;
  /** The first answer seen; once set it never changes. */
  answer: ReferralAnswer | null;
  /** When it was accepted or declined (or expired), as Partner Center stamped it; null when unknown. */
  answeredAt: string | null;
  source: ReferralSource;
  /** Inbound category (`coSell`, `qualifiedLead`, `marketplaceLead`) or outbound deal type. */
  dealType: string;
  /** The first solution on the deal (its name, else its id); null when none. */
  solution: string | null;
  /** ISO 3166-1 alpha-2 of the customer, when given. */
  country: string | null;
  /** Partner Center's customer size band (`51to500employees`...), when given. */
  size: string | null;
  dealValue: number | null;
  currency: string | null;
  /** When the sync first and last saw it. */
  firstSeenAt: string;
  lastSeenAt: string;
}

/** One reminder point of one referral: claimed before it is sent, settled after. */
export interface ReminderRecord {
  referralId: string;
  /** Days left before the deadline at which this reminder is due (7, 2, ...). */
  daysLeft: number;
  /** `sending` while claimed; `skipped` when a later point was due at the same time. */
  state: 'sending' | 'sent' | 'failed' | 'skipped';
  /** Who it went to: the CRM owner of the record, or the operators. */
  recipient: 'owner' | 'operators' | null;
  claimedAt: string;
  settledAt: string | null;
  /** Why it failed or was skipped (no contact details). */
  detail: string | null;
}

/** A deal registration asked for a won deal, and its status as last read. */
export interface RegistrationRecord {
  referralId: string;
  /**
   * `registering` is stored before the PATCH, so a crash is followed by a look before adding again;
   * `waiting`: the CRM record lacks a contract field (named in `detail`); `refused`: not eligible,
   * or Partner Center refused it.
   */
  state: 'registering' | 'registered' | 'waiting' | 'refused';
  /** Partner Center's id of the registration, once known. */
  registrationId: string | null;
  /** Partner Center's registration status (ReviewPending, Approved, ...), once known. */
  status: string | null;
  /** The status last written into the CRM record. */
  statusInCrm: string | null;
  attemptedAt: string;
  updatedAt: string;
  detail: string | null;
}

/** The store operations of co-sell health; part of the StateStore contract. */
export interface HealthStoreOps {
  /**
   * Records what was seen of these referrals. A new referral is inserted; a known one gets its
   * latest status and deal attributes, while its first answer and answer time are kept.
   */
  noteReferrals(facts: readonly ReferralFacts[]): Promise<void>;
  /** Referrals received at or after `receivedSince` (all when absent), oldest first. */
  listReferralFacts(args: { receivedSince?: string; direction?: 'Incoming' | 'Outgoing' }): Promise<ReferralFacts[]>;
  /** Inbound referrals still unanswered whose deadline is after `now`, soonest deadline first. */
  listAwaitingAnswer(args: { now: string }): Promise<ReferralFacts[]>;

  /**
   * Claims a reminder point for sending: true when it was never claimed, or it failed, or a claim
   * older than `staleBefore` never settled (its sender died mid-send). Only one caller wins.
   */
  claimReminder(args: { referralId: string; daysLeft: number; now: string; staleBefore: string }): Promise<boolean>;
  settleReminder(args: { referralId: string; daysLeft: number; state: 'sent' | 'failed' | 'skipped'; recipient: ReminderRecord['recipient']; at: string; detail: string | null }): Promise<void>;
  /** Reminders claimed at or after `since`, newest first. */
  listReminders(args: { since: string }): Promise<ReminderRecord[]>;

  getRegistration(referralId: string): Promise<RegistrationRecord | null>;
  saveRegistration(record: RegistrationRecord): Promise<void>;
  listRegistrations(): Promise<RegistrationRecord[]>;
}
