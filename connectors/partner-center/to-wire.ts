/**
 * Canonical draft + deal type -> create bodies (Partner Center docs, "Create a referral"). Kept apart from parse.ts so the
 * two directions can be read side by side.
 */
import type { DealType, Member, ReferralDraft, Target } from '../../src/domain/referral.js';
import { ConnectorError } from '../errors.js';
import { partnerCenterFacts } from './options.js';
import type { WireReferralCreate } from './wire.js';

const member = (m: Member): Record<string, string | null> => ({
  firstName: m.firstName,
  lastName: m.lastName,
  email: m.email,
  phoneNumber: m.phoneNumber,
  title: m.title,
});

const msftTarget: Target = { type: 'BusinessProfileLocation', id: partnerCenterFacts.microsoftLocationId };

type WireSolution = { id: string; name: string | null; type: string | null };

/**
 * A co-sell names the partner's co-sell solution among `details.requirements.solutions` too, not
 * only as the target: under one reading of the API a Microsoft-side referral without it is refused.
 */
function withSolution(solutions: readonly WireSolution[], solutionId: string): WireSolution[] {
  return solutions.some((s) => s.id === solutionId) ? [...solutions] : [...solutions, { id: solutionId, name: null, type: null }];
}

function baseBody(draft: ReferralDraft): WireReferralCreate {
  return {
    name: draft.name,
    externalReferenceId: draft.externalReferenceId,
    status: draft.status,
    substatus: draft.substatus,
    statusReason: draft.statusReason,
    type: draft.type,
    qualification: draft.qualification,
    customerProfile: {
      name: draft.customerProfile.name,
      size: draft.customerProfile.size,
      address: { ...draft.customerProfile.address },
      team: draft.customerProfile.team.map(member),
      ids: draft.customerProfile.ids.map((i) => ({ profileType: i.profileType, id: i.id })),
    },
    consent: { ...draft.consent },
    details: {
      notes: draft.details.notes,
      // Numbers, not strings, although the "Update a referral" sample sends "10000".
      dealValue: draft.details.dealValue,
      currency: draft.details.currency,
      closingDateTime: draft.details.closingDateTime,
      requirements: { solutions: draft.details.solutions.map((s) => ({ id: s.id, name: s.name, type: s.type })) },
    },
    team: draft.team.map(member),
    target: draft.target.map((t) => ({ ...t })),
    campaignId: draft.campaignId,
    ...(draft.inviteContext === null ? {} : { inviteContext: draft.inviteContext }),
  };
}

export interface CreatePlan {
  /** The partner's own referral. */
  primary: WireReferralCreate;
  /** Builds the connected Microsoft-side referral once the engagement id is known (co-sell, two POSTs). */
  microsoftSide: ((engagementId: string) => WireReferralCreate) | null;
}

/** The solution a co-sell targets: the configured one, else the deal's own first solution. */
function coSellSolution(draft: ReferralDraft, configured: string | null): string {
  const id = configured ?? draft.details.solutions.find((s) => s.id !== '')?.id;
  if (id !== undefined) return id;
  throw new ConnectorError({
    kind: 'invalid',
    system: 'partnerCenter',
    message: 'a co-sell referral targets a co-sell solution: give the deal a solution (details.solutions) or set partnerCenter.solutionId',
  });
}

/**
 * What to POST for a deal type: private, partner-led or co-sell ("Create a referral", deal types). The deal type,
 * not the draft, decides `type`, the share-with-Microsoft consent flag and the targets.
 */
export function planCreate(args: {
  draft: ReferralDraft;
  dealType: DealType;
  solutionId: string | null;
  coSellMode: 'twoReferrals' | 'singleReferral';
}): CreatePlan {
  const { draft, dealType, solutionId } = args;
  const body = baseBody(draft);
  if (dealType.kind === 'private' || dealType.kind === 'partnerLed') {
    const share = dealType.kind === 'partnerLed';
    // The docs show only the private example; partner-led is read as the same shape with consent true.
    return {
      primary: { ...body, type: 'Independent', target: [], consent: { ...draft.consent, consentToShareReferralWithMicrosoftSellers: share } },
      microsoftSide: null,
    };
  }
  const solution = coSellSolution(draft, solutionId);
  const solutionTarget: Target = { type: 'SolutionProfile', id: solution };
  const invite = { notes: dealType.notes, assistanceRequestCode: dealType.help };
  const consent = { ...draft.consent, consentToShareReferralWithMicrosoftSellers: true };
  const solutions = withSolution(draft.details.solutions, solution);
  body.details = { ...(body.details as Record<string, unknown>), requirements: { solutions } };
  if (args.coSellMode === 'singleReferral') {
    // The second reading of "Create a referral": one POST carrying both targets and the invite context.
    return {
      primary: { ...body, type: 'Shared', consent, target: [solutionTarget, msftTarget], inviteContext: invite },
      microsoftSide: null,
    };
  }
  const primary: WireReferralCreate = { ...body, type: 'Shared', consent, target: [solutionTarget] };
  delete primary.inviteContext;
  return {
    primary,
    microsoftSide: (engagementId) => {
      // The Microsoft side carries no externalReferenceId, so a lookup by CRM id finds only our own referral.
      const side: WireReferralCreate = { ...body, engagementId, type: 'Shared', consent, target: [msftTarget], inviteContext: invite };
      delete side.externalReferenceId;
      return side;
    },
  };
}

/** Whether a referral is the Microsoft-side invite of an engagement. */
export const isMicrosoftSide = (r: { target: readonly Target[] }): boolean =>
  r.target.some((t) => t.type === msftTarget.type && t.id === msftTarget.id);
