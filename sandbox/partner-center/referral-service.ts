/**
 * The referral operations behind the API and the control routes: create (Partner Center docs, "Create a referral"),
 * get, JSON Patch update with If-Match (Partner Center docs, "Update a referral") and list (Partner Center docs, "Get a list of referrals").
 */
import type { SandboxClock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { ANSWER_WINDOW_MS, buildReferral } from './build-referral.js';
import { invalidRequest, notFound, partnerError } from './errors.js';
import { applyPatch, parsePatch, READ_ONLY_ROOTS } from './json-patch.js';
import { checkTransition, isTerminal } from './lifecycle.js';
import { listReferrals, readListQuery, type ListPage } from './listing.js';
import { checkMicrosoftSide } from './microsoft-side.js';
import type { PartnerCenterOptions } from './options.js';
import type { ChangeActor, ReferralStore } from './store.js';
import { formatTicks } from './timestamps.js';
import {
  checkConsent,
  checkCreateBody,
  checkCustomerProfile,
  checkDetails,
  checkInviteContext,
  checkMembers,
  checkTargets,
  isObject,
  type JsonObject,
} from './validation.js';
import { prepareRegistrationOps, touchesRegistrations } from './registrations.js';
import { QUALIFICATIONS, REFERRAL_TYPES, targetsMicrosoft, type WireReferral } from './wire-types.js';

export class ReferralService {
  private readonly createdByRequest = new Map<string, string>();

  constructor(
    private readonly deps: { store: ReferralStore; options: PartnerCenterOptions; random: Random; clock: SandboxClock },
  ) {}

  /** Partner Center docs, "Create a referral": the server fills id, engagementId, eTag, stamps, direction and organization. */
  create(body: unknown, actor: ChangeActor = 'api', requestId?: string): WireReferral {
    const { store, options, random } = this.deps;
    // "Partner Center REST and response headers": MS-RequestId as a retry-idempotency key, when the option says the service honours it.
    const earlier = requestId === undefined ? undefined : store.get(this.createdByRequest.get(requestId) ?? '');
    if (earlier) return earlier;
    const fields = checkCreateBody(body);
    if (targetsMicrosoft(fields)) checkMicrosoftSide({ details: fields.details, switches: options.microsoftSide });
    const engagementId = this.engagementFor(fields.engagementId);
    // Partner Center docs, "Create a referral", the shared-referral steps: in the two-referral reading, the referral that targets `msft` is the
    // request Microsoft answers, so it waits New/Pending; every other outgoing referral comes back
    // Active/Accepted whatever status was sent (Partner Center docs, "Create a referral").
    const awaitsMicrosoft = targetsMicrosoft(fields) && options.coSellMode === 'twoReferrals';
    const now = this.deps.clock.now();
    const { stamp, eTag } = store.nextVersion(now);
    const referral = buildReferral({
      fields,
      id: random.guid(),
      engagementId,
      direction: 'Outgoing',
      status: awaitsMicrosoft ? 'New' : 'Active',
      substatus: awaitsMicrosoft ? 'Pending' : 'Accepted',
      stamp,
      eTag,
      organization: { id: options.partnerOrganizationId, name: options.partnerOrganizationName, mpnId: options.partnerMpnId },
      expirationDateTime: awaitsMicrosoft ? formatTicks(now.getTime() + ANSWER_WINDOW_MS, 0) : null,
    });
    if (requestId !== undefined) this.createdByRequest.set(requestId, referral.id);
    return store.insert(referral, actor);
  }

  get(id: string): WireReferral {
    const referral = this.deps.store.get(id);
    if (!referral) throw notFound(id);
    return referral;
  }

  /** Partner Center docs, "Update a referral": concurrency, transitions and terminal states. */
  patch(args: { id: string; body: unknown; ifMatch?: string | undefined; actor?: ChangeActor }): WireReferral {
    const current = this.get(args.id);
    if (args.ifMatch !== undefined && !etagMatches(args.ifMatch, current.eTag)) {
      throw partnerError({
        status: 412,
        code: 'preconditionFailed',
        message: 'The referral was modified since it was read; GET it again and retry',
        target: 'If-Match',
      });
    }
    const parsed = parsePatch(args.body);
    // A won deal is closed to edits but not to its deal registration.
    const registering = current.substatus === 'Won' && parsed.every(touchesRegistrations);
    if (isTerminal(current.substatus) && !registering) {
      throw partnerError({
        status: this.deps.options.terminalWriteStatus,
        code: 'invalidRequest',
        message: `The referral is ${current.status}/${current.substatus} and can no longer be updated`,
        target: 'status',
      });
    }
    const operations = prepareRegistrationOps({ current, operations: parsed, now: formatTicks(this.deps.clock.now().getTime(), 0), newId: () => this.deps.random.guid() });
    const draft = structuredClone(current) as unknown as JsonObject;
    if (!Array.isArray(draft['registrations'])) draft['registrations'] = [];
    applyPatch(draft, operations);
    const next = checkPatched(current, draft);
    return this.deps.store.write({
      id: current.id,
      actor: args.actor ?? 'api',
      change: (stored) => {
        const { updatedDateTime: _stamp, eTag: _eTag, ...changed } = next;
        Object.assign(stored, changed);
        markStatusDates(current, stored);
      },
    });
  }

  /**
   * Legacy full replace (the 2019 Partner API docs and the connector's `UpdateReferralById`): If-Match is
   * mandatory; the writable properties in the body replace the stored ones and the server-owned
   * ones are ignored, as Microsoft's 2019 flow PUT back a whole GET result.
   */
  replace(args: { id: string; body: unknown; ifMatch?: string | undefined }): WireReferral {
    if (args.ifMatch === undefined) throw invalidRequest('If-Match is required to replace a referral', 'If-Match');
    if (!isObject(args.body)) throw invalidRequest('The request body must be a referral object', 'body');
    const operations = Object.entries(args.body)
      .filter(([key]) => !READ_ONLY_ROOTS.has(key) && !key.startsWith('@odata.'))
      .map(([key, value]) => ({ op: 'replace', path: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value }));
    if (operations.length === 0) throw invalidRequest('The body has no writable properties', 'body');
    return this.patch({ id: args.id, body: operations, ifMatch: args.ifMatch });
  }

  /** `visible` narrows the list to what the caller may see (Partner Center docs, "Referrals API authentication"). */
  list(params: URLSearchParams, visible: ((referral: WireReferral) => boolean) | null = null): ListPage {
    const { store, options } = this.deps;
    const { query, cursor, skip } = readListQuery(params, options.maxTop);
    return listReferrals({
      referrals: visible ? [...store.all()].filter(visible) : store.all(),
      query,
      cursor,
      skip,
      capabilities: { externalReferenceId: options.filterExternalReferenceId, updatedDateTimeRange: options.filterUpdatedDateTimeGt },
    });
  }

  countByExternalReferenceId(externalReferenceId: string): number {
    let count = 0;
    for (const referral of this.deps.store.all()) if (referral.externalReferenceId === externalReferenceId) count += 1;
    return count;
  }

  private engagementFor(given: unknown): string {
    if (given === undefined || given === null) return this.deps.random.guid();
    // "Referral resources": engagementId is set on create only to connect a second referral to an existing engagement.
    if (typeof given !== 'string' || !this.deps.store.engagementExists(given)) {
      throw invalidRequest(`Engagement '${String(given)}' was not found`, 'engagementId');
    }
    return given;
  }
}

/** If-Match carries the eTag verbatim ("Referral resources"); `*` matches anything. */
function etagMatches(header: string, eTag: string): boolean {
  const value = header.trim().replace(/^W\//, '');
  return value === '*' || value === eTag;
}

/** Re-validates a patched referral as a whole (Partner Center docs, "Referral resources", "Update a referral", "Create a referral"). */
function checkPatched(current: WireReferral, draft: JsonObject): WireReferral {
  if (typeof draft.name !== 'string' || draft.name.trim() === '') throw invalidRequest("'name' is required", 'name');
  if (!REFERRAL_TYPES.includes(draft.type as never)) throw invalidRequest("'type' must be Independent or Shared", 'type');
  if (!QUALIFICATIONS.includes(draft.qualification as never)) throw invalidRequest("'qualification' is not valid", 'qualification');
  if (draft.externalReferenceId !== null && typeof draft.externalReferenceId !== 'string') {
    throw invalidRequest("'externalReferenceId' must be a string", 'externalReferenceId');
  }
  checkCustomerProfile(draft.customerProfile);
  const consent = checkConsent(draft.consent);
  // "Create a referral": once a deal is visible to Microsoft, that cannot be undone.
  if (current.consent.consentToShareReferralWithMicrosoftSellers && !consent.consentToShareReferralWithMicrosoftSellers) {
    throw invalidRequest('A referral shared with Microsoft sellers cannot be made private again', 'consent.consentToShareReferralWithMicrosoftSellers');
  }
  draft.details = checkDetails(draft.details);
  checkMembers(draft.team, 'team');
  checkTargets(draft.target);
  checkInviteContext(draft.inviteContext);
  if (draft.statusReason !== null && draft.statusReason !== undefined && typeof draft.statusReason !== 'string') {
    throw invalidRequest("'statusReason' must be a string", 'statusReason');
  }
  if (draft.status !== current.status || draft.substatus !== current.substatus) {
    const check = checkTransition({ from: current, to: { status: String(draft.status), substatus: String(draft.substatus) } });
    if (!check.ok) throw invalidRequest(check.message, check.target);
  }
  if (!isObject(draft)) throw invalidRequest('The patched referral is not an object', 'referral');
  return draft as unknown as WireReferral;
}

/** acceptedDateTime / closedDateTime follow the status ("Referral resources"). */
export function markStatusDates(before: Pick<WireReferral, 'status'>, after: WireReferral): void {
  if (after.status === 'Active' && before.status !== 'Active') after.acceptedDateTime = after.updatedDateTime;
  if (after.status === 'Closed' && before.status !== 'Closed') after.closedDateTime = after.updatedDateTime;
}
