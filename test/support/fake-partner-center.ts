/**
 * An in-memory Partner Center behind the PartnerCenterConnector contract (connectors/types.ts),
 * for engine unit tests. It keeps the documented behaviours the engine relies on:
 * - every write gets a new eTag and a later updatedDateTime; a PATCH with a stale eTag is a
 *   `conflict` (412 preconditionFailed) and changes nothing;
 * - status moves New -> Active -> Closed only, substatus with its status; a closed referral
 *   refuses every write (409 `conflict` by default, or 400 `invalid`: the docs do not say);
 * - own referrals come back Active/Accepted whatever was sent; in two-referral mode a co-sell's
 *   Microsoft-side referral is a second POST into the engagement and waits New/Pending;
 * - lookup by externalReferenceId; listing oldest first after a cursor (updatedDateTime plus the
 *   ids read at that instant), in pages;
 * - injectable failures per call (`faults`), including the answer lost after the write was
 *   applied; `cutOffCreates` is the answer lost but found again within the call, as the real
 *   connector does.
 * It passes the Partner Center contract suite (test/connectors/partner-center/fake-pc.contract.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ChangePage, CreatedReferral, PartnerCenterConnector, ReferralRef } from '../../connectors/types.js';
import type { JsonPatchOp } from '../../src/domain/json-patch.js';
import type { ConnectorError } from '../../connectors/errors.js';
import type { Clock } from '../../src/core/clock.js';
import type { DealType, Member, Referral, ReferralDraft, ReferralStatus, ReferralSubstatus, Solution } from '../../src/domain/referral.js';
import { CallLog, connectorError, Faults } from './faults.js';

const DAY = 86_400_000;
const MSFT = 'msft';
/** Substatuses allowed with each status, and the statuses each may move to (Partner Center's lifecycle). */
const WITH: Record<ReferralStatus, readonly ReferralSubstatus[]> = { New: ['Pending', 'Received'], Active: ['Accepted'], Closed: ['Won', 'Lost', 'Declined', 'Expired'] };
const MOVES: Record<ReferralStatus, readonly ReferralStatus[]> = { New: ['New', 'Active', 'Closed'], Active: ['Active', 'Closed'], Closed: [] };

export interface FakePartnerCenterOptions {
  clock: Clock;
  coSellMode?: 'twoReferrals' | 'singleReferral';
  /** The partner's co-sell solution (config `partnerCenter.solutionId`). */
  solutionId?: string | null;
  pageSize?: number;
  /** What a write to a closed referral answers: 409 (conflict) or 400 (invalid). */
  terminalWriteStatus?: 409 | 400;
}

const invalid = (message: string): ConnectorError => connectorError('partnerCenter', 'invalid', message, { status: 400, vendorCode: 'invalidRequest' });

export class FakePartnerCenter implements PartnerCenterConnector {
  readonly faults = new Faults();
  readonly log = new CallLog();
  /** While on, a create is applied and its answer lost; it is found again within the call. */
  cutOffCreates = false;
  /** How Microsoft's side takes an invitation: refuse it, or require solutions on it. */
  microsoftSide: { refuse: boolean; requireSolutions: boolean } = { refuse: false, requireSolutions: false };
  private readonly byId = new Map<string, Referral>();
  private lastStamp = 0;
  private eTags = 0;

  constructor(private readonly options: FakePartnerCenterOptions) {}

  get invitesMicrosoftSeparately(): boolean {
    return (this.options.coSellMode ?? 'twoReferrals') === 'twoReferrals';
  }

  // --- the contract --------------------------------------------------------------------------

  async *listChanged(args: { cursor: string | null; signal?: AbortSignal }): AsyncIterable<ChangePage<Referral>> {
    await this.call('listChanged', { cursor: args.cursor }, () => undefined);
    const state = args.cursor === null ? { t: -1, ids: [] as string[] } : (JSON.parse(Buffer.from(args.cursor, 'base64url').toString('utf8')) as { t: number; ids: string[] });
    const rows = [...this.byId.values()]
      .filter((r) => stampOf(r) > state.t || (stampOf(r) === state.t && !state.ids.includes(r.id)))
      .sort((a, b) => stampOf(a) - stampOf(b) || a.id.localeCompare(b.id))
      .map((r) => structuredClone(r));
    const size = this.options.pageSize ?? 100;
    for (let i = 0; i < rows.length; i += size) {
      const items = rows.slice(i, i + size);
      for (const r of items) {
        if (stampOf(r) !== state.t) state.ids = [];
        state.t = stampOf(r);
        state.ids.push(r.id);
      }
      yield { items, deletedIds: [], cursor: Buffer.from(JSON.stringify(state)).toString('base64url') };
    }
  }

  getReferral(id: string): Promise<Referral | null> {
    return this.call('getReferral', { id }, () => this.get(id));
  }

  listEngagement(engagementId: string): Promise<Referral[]> {
    return this.call('listEngagement', { engagementId }, () => this.engagement(engagementId));
  }

  findByExternalReferenceId(externalReferenceId: string): Promise<Referral | null> {
    return this.call('findByExternalReferenceId', { externalReferenceId }, () => {
      const found = [...this.byId.values()].find((r) => r.externalReferenceId === externalReferenceId);
      return found ? structuredClone(found) : null;
    });
  }

  async createReferral(args: { draft: ReferralDraft; dealType: DealType }): Promise<CreatedReferral> {
    const created = await this.call('createReferral', args, () => this.createOwn(args.draft, args.dealType));
    return { referral: created, existed: this.cutOffCreates };
  }

  findMicrosoftSide(own: ReferralRef): Promise<Referral | null> {
    return this.call('findMicrosoftSide', own, () => this.engagement(own.engagementId).find((r) => r.id !== own.id && isMicrosoftSide(r)) ?? null);
  }

  inviteMicrosoft(args: { own: ReferralRef; draft: ReferralDraft; dealType: Extract<DealType, { kind: 'coSell' }> }): Promise<Referral> {
    return this.call('inviteMicrosoft', args, () => this.createMicrosoftSide(args));
  }

  updateReferral(args: { id: string; eTag: string; patch: readonly JsonPatchOp[] }): Promise<Referral> {
    return this.call('updateReferral', args, () => this.patch(args));
  }

  health(): ReturnType<PartnerCenterConnector['health']> {
    return { state: 'ok', detail: null, pausedUntil: null };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  // --- what people at the partner and at Microsoft do ----------------------------------------

  get(id: string): Referral | null {
    const found = this.byId.get(id);
    return found ? structuredClone(found) : null;
  }

  all(): Referral[] {
    return [...this.byId.values()].map((r) => structuredClone(r));
  }

  countByExternalReferenceId(externalReferenceId: string): number {
    return [...this.byId.values()].filter((r) => r.externalReferenceId === externalReferenceId).length;
  }

  engagement(engagementId: string): Referral[] {
    return [...this.byId.values()].filter((r) => r.engagementId === engagementId).map((r) => structuredClone(r));
  }

  /** Microsoft sends the partner a lead (Independent) or a co-sell invitation (Shared). */
  receive(category: 'lead' | 'coSellInvite', overrides: Partial<Referral> = {}): Referral {
    const now = this.options.clock.now();
    const lead = category === 'lead';
    const base: Referral = {
      id: randomUUID(),
      engagementId: randomUUID(),
      eTag: '',
      name: lead ? 'Tailspin Toys - Azure OpenAI' : 'Woodgrove Bank - data platform',
      externalReferenceId: null,
      status: 'New',
      substatus: 'Pending',
      statusReason: null,
      type: lead ? 'Independent' : 'Shared',
      qualification: 'SalesQualified',
      direction: 'Incoming',
      customerProfile: {
        name: lead ? 'Tailspin Toys' : 'Woodgrove Bank',
        size: '51to500employees',
        address: { addressLine1: '1 Harbour Rd', addressLine2: null, city: 'Seattle', state: 'WA', postalCode: '98101', region: null, country: 'US' },
        team: [{ firstName: 'Jo', lastName: 'Park', email: 'jo.park@customer.example', phoneNumber: '+1 206 555 0199', title: 'CIO' }],
        ids: [],
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true, consentToContact: true, consentToToShareInfoWithOthers: true },
      details: { notes: 'Customer asked to be contacted.', dealValue: 40000, currency: 'USD', closingDateTime: new Date(now.getTime() + 60 * DAY).toISOString(), solutions: [] },
      team: [],
      inviteContext: { notes: 'Please help us land this.', assistanceRequestCode: 'GeneralOrOther', invitedBy: { organizationId: MSFT, organizationName: 'Microsoft' } },
      target: [],
      campaignId: null,
      createdDateTime: '',
      updatedDateTime: '',
      expirationDateTime: new Date(now.getTime() + 14 * DAY).toISOString(),
      acceptedDateTime: null,
      closedDateTime: null,
      microsoftMsxId: null,
      registrations: [],
      ...structuredClone(overrides),
    };
    return this.store(base, true);
  }

  /** A person (or Microsoft, or Partner Center itself) changes a referral outside the sync. */
  edit(id: string, changes: Partial<Referral>): Referral {
    const current = this.byId.get(id);
    if (!current) throw new Error(`no referral ${id} in the fake Partner Center`);
    const next: Referral = {
      ...current,
      ...structuredClone(changes),
      details: { ...current.details, ...structuredClone(changes.details ?? {}) },
      customerProfile: { ...current.customerProfile, ...structuredClone(changes.customerProfile ?? {}) },
      consent: { ...current.consent, ...structuredClone(changes.consent ?? {}) },
    };
    markStatusDates(current, next, this.options.clock.now());
    return this.store(next, false);
  }

  /** Partner Center expires an unanswered referral and clears its customer contacts. */
  expire(id: string): Referral {
    const current = this.byId.get(id);
    if (!current) throw new Error(`no referral ${id}`);
    return this.edit(id, { status: 'Closed', substatus: 'Expired', customerProfile: { ...current.customerProfile, team: [] } });
  }

  // --- inside ---------------------------------------------------------------------------------

  private async call<T>(method: string, args: unknown, apply: () => T): Promise<T> {
    this.log.record(method, args);
    const fault = this.faults.take(method, args);
    if (fault && !fault.afterApply) throw fault.error;
    const result = apply();
    if (fault) throw fault.error;
    return Promise.resolve(result);
  }

  /** Stores `referral` with a new eTag and a later updatedDateTime (and createdDateTime when new). */
  private store(referral: Referral, created: boolean): Referral {
    const stamp = Math.max(this.options.clock.now().getTime(), this.lastStamp + 1);
    this.lastStamp = stamp;
    this.eTags += 1;
    const at = new Date(stamp).toISOString();
    const stored: Referral = { ...referral, eTag: `"etag-${this.eTags}"`, updatedDateTime: at, ...(created ? { createdDateTime: at } : {}) };
    if (created && stored.status === 'Active') stored.acceptedDateTime = at;
    this.byId.set(stored.id, structuredClone(stored));
    return structuredClone(stored);
  }

  private coSellSolution(draft: ReferralDraft): string {
    const id = this.options.solutionId ?? draft.details.solutions.find((s) => s.id !== '')?.id;
    if (id === undefined) throw invalid('A co-sell referral must target a co-sell solution');
    return id;
  }

  private fromDraft(draft: ReferralDraft): Referral {
    return {
      ...structuredClone(draft),
      id: randomUUID(),
      engagementId: randomUUID(),
      eTag: '',
      direction: 'Outgoing',
      createdDateTime: '',
      updatedDateTime: '',
      expirationDateTime: null,
      acceptedDateTime: null,
      closedDateTime: null,
      microsoftMsxId: null,
      registrations: [],
    };
  }

  private createOwn(draft: ReferralDraft, dealType: DealType): Referral {
    if (draft.name.trim() === '') throw invalid("'name' is required");
    const referral = this.fromDraft(draft);
    // Whatever status was sent, an own referral comes back Active/Accepted.
    Object.assign(referral, { status: 'Active', substatus: 'Accepted', statusReason: null });
    if (dealType.kind !== 'coSell') {
      Object.assign(referral, { type: 'Independent', target: [], inviteContext: null });
      referral.consent = { ...referral.consent, consentToShareReferralWithMicrosoftSellers: dealType.kind === 'partnerLed' };
    } else {
      const solution = this.coSellSolution(draft);
      referral.type = 'Shared';
      referral.consent = { ...referral.consent, consentToShareReferralWithMicrosoftSellers: true };
      referral.details = { ...referral.details, solutions: withSolution(referral.details.solutions, solution) };
      referral.target = [{ type: 'SolutionProfile', id: solution }];
      referral.inviteContext = null;
      if (!this.invitesMicrosoftSeparately) {
        referral.target.push({ type: 'BusinessProfileLocation', id: MSFT });
        referral.inviteContext = { notes: dealType.notes, assistanceRequestCode: dealType.help, invitedBy: null };
      }
    }
    return this.store(referral, true);
  }

  private createMicrosoftSide(args: { own: ReferralRef; draft: ReferralDraft; dealType: Extract<DealType, { kind: 'coSell' }> }): Referral {
    if (!this.invitesMicrosoftSeparately) throw invalid('single-referral mode has no separate Microsoft-side referral');
    if (this.engagement(args.own.engagementId).length === 0) throw invalid(`Engagement '${args.own.engagementId}' was not found`);
    const solution = this.coSellSolution(args.draft);
    const solutions = withSolution(args.draft.details.solutions, solution);
    if (this.microsoftSide.refuse) throw invalid('The Microsoft-side referral was refused');
    if (this.microsoftSide.requireSolutions && solutions.length === 0) throw invalid("'details.requirements.solutions' is required");
    const side = this.fromDraft(args.draft);
    Object.assign(side, {
      engagementId: args.own.engagementId,
      externalReferenceId: null,
      status: 'New',
      substatus: 'Pending',
      type: 'Shared',
      target: [{ type: 'BusinessProfileLocation', id: MSFT }],
      inviteContext: { notes: args.dealType.notes, assistanceRequestCode: args.dealType.help, invitedBy: null },
      expirationDateTime: new Date(this.options.clock.now().getTime() + 14 * DAY).toISOString(),
    });
    side.consent = { ...side.consent, consentToShareReferralWithMicrosoftSellers: true };
    side.details = { ...side.details, solutions };
    return this.store(side, true);
  }

  private patch(args: { id: string; eTag: string; patch: readonly JsonPatchOp[] }): Referral {
    const current = this.byId.get(args.id);
    if (!current) throw connectorError('partnerCenter', 'notFound', `Referral '${args.id}' was not found`, { status: 404 });
    if (args.eTag !== '*' && args.eTag !== current.eTag) {
      throw connectorError('partnerCenter', 'conflict', 'The referral was modified since it was read', { status: 412, vendorCode: 'preconditionFailed' });
    }
    if (args.patch.length === 0) throw invalid('The request body must be a non-empty JSON Patch array');
    if (current.status === 'Closed') {
      const status = this.options.terminalWriteStatus ?? 409;
      throw connectorError('partnerCenter', status === 409 ? 'conflict' : 'invalid', `The referral is ${current.status}/${current.substatus} and can no longer be updated`, { status, vendorCode: 'invalidRequest' });
    }
    const next = structuredClone(current);
    for (const op of args.patch) applyOp(next, op);
    if (next.status !== current.status || next.substatus !== current.substatus) {
      if (!MOVES[current.status].includes(next.status) || !WITH[next.status].includes(next.substatus)) {
        throw invalid(`${current.status}/${current.substatus} cannot become ${next.status}/${next.substatus}`);
      }
    }
    if (current.consent.consentToShareReferralWithMicrosoftSellers && !next.consent.consentToShareReferralWithMicrosoftSellers) {
      throw invalid('A referral shared with Microsoft sellers cannot be made private again');
    }
    if (next.name.trim() === '') throw invalid("'name' is required");
    markStatusDates(current, next, this.options.clock.now());
    return this.store(next, false);
  }
}

const stampOf = (r: Referral): number => Date.parse(r.updatedDateTime);

export const isMicrosoftSide = (r: Pick<Referral, 'target'>): boolean => r.target.some((t) => t.type === 'BusinessProfileLocation' && t.id === MSFT);

function withSolution(solutions: readonly Solution[], id: string): Solution[] {
  return solutions.some((s) => s.id === id) ? [...solutions] : [...solutions, { id, name: null, type: null }];
}

function markStatusDates(before: Referral, after: Referral, now: Date): void {
  if (after.status === 'Active' && before.status !== 'Active') after.acceptedDateTime = now.toISOString();
  if (after.status === 'Closed' && before.status !== 'Closed') after.closedDateTime = now.toISOString();
}

const SCALARS = new Set(['/name', '/externalReferenceId', '/status', '/substatus', '/statusReason', '/campaignId']);
const DETAILS = new Set(['/details/notes', '/details/dealValue', '/details/currency', '/details/closingDateTime']);

/** One JSON Patch operation on the wire paths Partner Center accepts; anything else is refused. */
function applyOp(r: Referral, op: JsonPatchOp): void {
  const target = r as unknown as Record<string, unknown>;
  const details = r.details as unknown as Record<string, unknown>;
  if (op.op === 'replace' && SCALARS.has(op.path)) target[op.path.slice(1)] = op.value;
  else if (op.op === 'replace' && DETAILS.has(op.path)) details[op.path.slice('/details/'.length)] = op.value;
  else if (op.op === 'replace' && op.path === '/details/requirements/solutions' && Array.isArray(op.value)) r.details.solutions = op.value.map(toSolution);
  else if (op.op === 'add' && op.path === '/details/requirements/solutions/-') r.details.solutions.push(toSolution(op.value));
  else if (op.op === 'add' && op.path === '/team/-') r.team.push(toMember(op.value));
  else if (op.op === 'replace' && op.path === '/consent/consentToShareReferralWithMicrosoftSellers' && typeof op.value === 'boolean') r.consent.consentToShareReferralWithMicrosoftSellers = op.value;
  else throw invalid(`'${op.op} ${op.path}' is not a change Partner Center takes`);
}

function toSolution(value: unknown): Solution {
  const s = value as Partial<Solution>;
  if (typeof s?.id !== 'string') throw invalid('a solution needs an id');
  return { id: s.id, name: s.name ?? null, type: s.type ?? null };
}

function toMember(value: unknown): Member {
  const m = value as Partial<Member>;
  return { firstName: m.firstName ?? null, lastName: m.lastName ?? null, email: m.email ?? null, phoneNumber: m.phoneNumber ?? null, title: m.title ?? null };
}
