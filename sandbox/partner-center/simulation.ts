/**
 * Behaviour over time on the sandbox clock (Partner Center docs, "Manage co-sell opportunities", "Referrals API introduction"):
 * - inbound New/Pending referrals nobody answers become Closed/Expired after 14 days;
 * - a co-sell request gets a simulated Microsoft seller's answer within its 14 days: accept
 *   (Active/Accepted plus an MSX id), decline (Closed/Declined with a reason) or silence (expiry);
 * - Microsoft marketing and sellers send new leads and co-sell invitations at a rate per day;
 * - a deal registration is reviewed after `registrationReviewDays` (registrations.ts).
 * Events run at their own simulated time, in time order, whenever the clock advances or a request
 * arrives, so a 30-day jump plays out as 30 days would.
 */
import type { SandboxClock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { ANSWER_WINDOW_MS, DAY_MS } from './build-referral.js';
import { DECLINE_REASONS, msxId } from './fake-data.js';
import { makeInbound, withoutContacts, type FactoryDeps, type InboundCategory } from './factories.js';
import { isTerminal } from './lifecycle.js';
import { markStatusDates } from './referral-service.js';
import { FINAL_REGISTRATION_STATUSES, registrationsOf, reviewOutcome, setRegistrationStatus, type RegistrationStatus } from './registrations.js';
import { EventScheduler } from './scheduler.js';
import type { ChangeActor, ReferralChange } from './store.js';
import { formatTicks, timestampMs } from './timestamps.js';
import { targetsMicrosoft, type WireReferral } from './wire-types.js';

export type MicrosoftDecision = 'accept' | 'decline';

export class Simulation {
  private readonly scheduler = new EventScheduler();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly reviewing = new Set<string>();

  constructor(private readonly deps: FactoryDeps & { clock: SandboxClock; simRandom: Random }) {
    this.unsubscribe.push(deps.store.onChange((change) => this.onChange(change)));
    this.unsubscribe.push(deps.clock.onAdvance((now) => this.tick(now)));
    const start = deps.clock.now().getTime();
    this.scheduleArrival('lead', start);
    this.scheduleArrival('coSellInvite', start);
  }

  /** Plays out everything due by `now`. */
  tick(now: Date = this.deps.clock.now()): void {
    this.scheduler.runDue(now.getTime());
  }

  /** A co-sell request still waiting for Microsoft (Partner Center docs, "Create a referral"). */
  isAwaitingMicrosoft(referral: WireReferral, at: Date = this.deps.clock.now()): boolean {
    if (!targetsMicrosoft(referral) || referral.direction !== 'Outgoing' || isTerminal(referral.substatus)) return false;
    // "Create a referral": Microsoft sellers have 14 days to decide; after that nobody answers.
    if (at.getTime() - timestampMs(referral.createdDateTime) >= ANSWER_WINDOW_MS) return false;
    if (this.deps.options.coSellMode === 'twoReferrals') return referral.status === 'New';
    return referral.trackingInfo.microsoftMsxId === null;
  }

  /** Microsoft's seller answers now (control API) or at a simulated time. */
  respond(args: { referral: WireReferral; decision: MicrosoftDecision; reason?: string; at?: Date; actor?: ChangeActor }): WireReferral {
    const { store, simRandom } = this.deps;
    const accept = args.decision === 'accept';
    const reason = args.reason ?? simRandom.pick(DECLINE_REASONS);
    return store.write({
      id: args.referral.id,
      actor: args.actor ?? 'simulation',
      ...(args.at ? { at: args.at } : {}),
      change: (draft) => {
        const before = { status: draft.status };
        if (accept) {
          draft.trackingInfo = { ...draft.trackingInfo, microsoftMsxId: msxId(simRandom) };
          draft.status = 'Active';
          draft.substatus = 'Accepted';
        } else {
          draft.status = 'Closed';
          draft.substatus = 'Declined';
          draft.statusReason = reason;
        }
        draft.expirationDateTime = null;
        markStatusDates(before, draft);
      },
    });
  }

  /**
   * Microsoft's reviewer sets a deal registration's status now (control API) or at a simulated
   * time; a registration already past review is left alone unless `force`.
   */
  reviewRegistration(args: { referralId: string; registrationId?: string; status?: RegistrationStatus; reason?: string; at?: Date; actor?: ChangeActor; force?: boolean }): WireReferral | null {
    const current = this.deps.store.get(args.referralId);
    const target = current && registrationsOf(current).find((r) => args.registrationId === undefined || r.id === args.registrationId);
    if (!current || !target || (!args.force && FINAL_REGISTRATION_STATUSES.has(target.status))) return null;
    return this.deps.store.write({
      id: current.id,
      actor: args.actor ?? 'simulation',
      ...(args.at ? { at: args.at } : {}),
      change: (draft) => {
        const registration = registrationsOf(draft).find((r) => r.id === target.id);
        if (!registration) return;
        const outcome = args.status === undefined ? reviewOutcome(registration) : { status: args.status, reason: args.reason ?? null };
        setRegistrationStatus(registration, outcome.status, outcome.reason, formatTicks((args.at ?? this.deps.clock.now()).getTime(), 0));
      },
    });
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
  }

  private onChange(change: ReferralChange): void {
    this.planRegistrationReviews(change.referral);
    if (change.kind !== 'created') return;
    const referral = change.referral;
    const created = timestampMs(referral.createdDateTime);
    const now = this.deps.clock.now().getTime();
    if (referral.direction === 'Incoming' && referral.status === 'New') {
      this.scheduler.schedule(Math.max(created + ANSWER_WINDOW_MS, now), (at) => this.expire(referral.id, at));
    }
    if (this.isAwaitingMicrosoft(referral)) this.planMicrosoftAnswer(referral, created, now);
  }

  private planRegistrationReviews(referral: WireReferral): void {
    const days = this.deps.options.microsoft.registrationReviewDays;
    if (!(days > 0)) return;
    for (const registration of registrationsOf(referral)) {
      if (registration.status !== 'ReviewPending' || this.reviewing.has(registration.id)) continue;
      this.reviewing.add(registration.id);
      const due = timestampMs(registration.registrationDateTime) + days * DAY_MS;
      this.scheduler.schedule(Math.max(due, this.deps.clock.now().getTime()), (at) => this.reviewRegistration({ referralId: referral.id, registrationId: registration.id, at }));
    }
  }

  /** "Get a list of referrals": no response within 14 days -> Closed/Expired, contacts hidden. */
  private expire(id: string, at: Date): void {
    const current = this.deps.store.get(id);
    if (!current || current.status !== 'New') return;
    this.deps.store.write({
      id,
      actor: 'simulation',
      at,
      change: (draft) => {
        draft.status = 'Closed';
        draft.substatus = 'Expired';
        draft.closedDateTime = draft.updatedDateTime;
        draft.expirationDateTime = null;
        if (draft.direction === 'Incoming') draft.customerProfile = withoutContacts(draft.customerProfile) as never;
      },
    });
  }

  private planMicrosoftAnswer(referral: WireReferral, created: number, now: number): void {
    const { simRandom, options } = this.deps;
    const deadline = created + ANSWER_WINDOW_MS;
    const roll = simRandom.next();
    const { acceptanceRate, noResponseRate } = options.microsoft;
    if (roll >= acceptanceRate && roll < acceptanceRate + noResponseRate) {
      // Silence: in the two-referral reading the Microsoft-side request expires; in the
      // one-referral reading the partner's own deal stays open without Microsoft.
      if (options.coSellMode === 'twoReferrals') this.scheduler.schedule(Math.max(deadline, now), (at) => this.expire(referral.id, at));
      return;
    }
    const decision: MicrosoftDecision = roll < acceptanceRate ? 'accept' : 'decline';
    const from = Math.max(created, now);
    const at = from + Math.floor(simRandom.next() * Math.max(deadline - from, 60_000));
    this.scheduler.schedule(at, (when) => {
      const current = this.deps.store.get(referral.id);
      if (current && this.isAwaitingMicrosoft(current, when)) this.respond({ referral: current, decision, at: when });
    });
  }

  /** Poisson arrivals: exponential gaps at the configured rate per simulated day. */
  private scheduleArrival(category: InboundCategory, after: number): void {
    const { options, simRandom } = this.deps;
    const perDay = category === 'lead' ? options.microsoft.leadsPerDay : options.microsoft.coSellInvitesPerDay;
    if (!(perDay > 0)) return;
    const gap = (-Math.log(1 - simRandom.next()) / perDay) * DAY_MS;
    this.scheduler.schedule(after + Math.max(1, Math.round(gap)), (at) => {
      makeInbound({ ...this.deps, random: this.deps.simRandom }, category, { at, status: 'New', substatus: 'Pending', actor: 'simulation' });
      this.scheduleArrival(category, at.getTime());
    });
  }
}
