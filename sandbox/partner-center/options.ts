/**
 * Switches where Microsoft's documentation allows two readings, plus the simulation rates.
 * Every switch names the Partner Center page it comes from.
 */
import type { Pem } from '../shared/tls.js';

export interface MicrosoftSimulationOptions {
  /** Share of co-sell requests a simulated Microsoft seller accepts (the rest decline or stay silent). */
  acceptanceRate: number;
  /** Share of co-sell requests nobody at Microsoft answers; they expire after 14 days (Partner Center docs, "Get a list of referrals"). */
  noResponseRate: number;
  /** Qualified leads Microsoft marketing/sellers send per simulated day (Partner Center docs, "Referrals API introduction"). */
  leadsPerDay: number;
  /** Co-sell invitations Microsoft sellers send per simulated day (Partner Center docs, "Referrals API introduction"). */
  coSellInvitesPerDay: number;
  /** Days Microsoft takes to review a deal registration (approved at USD 25,000 or more, else failed); 0: never on its own. */
  registrationReviewDays: number;
}

export interface WebhookOptions {
  /** "Partner Center webhooks": 10 attempts, then the event goes to an offline queue. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to retryMaxMs. Small values keep tests fast. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long one delivery attempt may take before it counts as failed. */
  attemptTimeoutMs: number;
  /**
   * Posts open at once, each on a kept-alive connection: the pool of connections a burst is
   * delivered over. "Partner Center webhooks" states no limit and describes each event as
   * delivered on its own, so a burst arrives as concurrent posts, and a slow answer holds up only
   * its own connection. One connection per event (a pool as large as the burst) cost the sandbox
   * and the receiver each about 0.2 s of CPU more per burst of 100 than a pool of 16.
   */
  maxConcurrentDeliveries: number;
  /** PEM of a CA the emulator trusts when the receiver is HTTPS (the sandbox CA). */
  trustedCaCert?: string;
  /** The CA that issues the signing certificate; one is made on first use when absent. */
  ca?: Pem;
  /**
   * "Partner Center webhooks": the documented ResourceUri points at `api.partnercenter.microsoft.com/engagements/v1/...`,
   * not the referrals API (which host arrives in practice is not documented). 'documented' sends that literal URI;
   * 'emulator' sends this emulator's own referral URL.
   */
  resourceUriStyle: 'documented' | 'emulator';
}

/**
 * How the service treats the Microsoft-side referral of a co-sell (the one whose target is the
 * `msft` business profile location). The co-sell pages of the Partner Center Referrals API
 * documentation do not say what that referral must carry; these switches play the stricter
 * readings and a refusing service.
 */
export interface MicrosoftSideOptions {
  /**
   * Two readings of Microsoft's documentation: one refuses the Microsoft-side referral with 400 invalidRequest
   * unless `details.requirements.solutions` names at least one solution. Off: no such check.
   */
  requireSolutions: boolean;
  /**
   * Refuses every Microsoft-side POST with this status (400 invalidRequest, 403 accessDenied,
   * 503 serviceNotAvailable), so a failing invitation can be tested. Off: `false`.
   */
  refuse: false | 400 | 403 | 503;
}

export interface PartnerCenterOptions {
  /** "Get a list of referrals": the documented nextLink uses http:// and lacks /engagements ('quirk'), or a followable link ('clean'). */
  nextLinkStyle: 'quirk' | 'clean';
  /** Partner Center docs, "Get a list of referrals": whether `$filter` may use externalReferenceId (not documented). */
  filterExternalReferenceId: boolean;
  /** "Get a list of referrals": whether `updatedDateTime gt <ts>` (and ge/lt/le) is accepted (listed only in the 2019 docs); off -> 400. */
  filterUpdatedDateTimeGt: boolean;
  /** "Referrals API response codes" lists both: create answers 200 or 201. */
  createStatus: 200 | 201;
  /** Two readings of "Create a referral": co-sell by two connected POSTs, or one POST with the msft target. */
  coSellMode: 'twoReferrals' | 'singleReferral';
  /** The `$top` cap: "Get a list of referrals" states none (the 2018 docs: 100). */
  maxTop: number;
  /** Status of a write to a terminal referral (not documented: 400 or 409). */
  terminalWriteStatus: 400 | 409;
  /** "Referrals API authentication": the referrals API takes delegated (App+User) tokens only; true also admits app-only tokens. */
  acceptAppOnlyTokens: boolean;
  /**
   * Partner Center docs, "Referrals API authentication": users (UPNs) holding Referral User instead of Referral Admin. They read only
   * referrals whose team includes them and cannot write.
   */
  referralUserUpns: string[];
  /** Partner Center docs, "Partner Center REST and response headers": whether a repeated `MS-RequestId` on create returns the first result (documented for CSP APIs, not for referrals). */
  honorMsRequestId: boolean;
  partnerOrganizationId: string;
  partnerOrganizationName: string;
  partnerMpnId: string;
  /** Where links and nextLinks point; set to the server URL once it listens. */
  baseUrl: string;
  microsoft: MicrosoftSimulationOptions;
  webhooks: WebhookOptions;
  microsoftSide: MicrosoftSideOptions;
}

export type PartnerCenterOptionsInput = Partial<Omit<PartnerCenterOptions, 'microsoft' | 'webhooks' | 'microsoftSide'>> & {
  microsoft?: Partial<MicrosoftSimulationOptions>;
  webhooks?: Partial<WebhookOptions>;
  microsoftSide?: Partial<MicrosoftSideOptions>;
};

/** Defaults: the documented reading where the docs show one, else the permissive one. */
export const DEFAULT_OPTIONS: PartnerCenterOptions = {
  nextLinkStyle: 'quirk',
  filterExternalReferenceId: true,
  filterUpdatedDateTimeGt: true,
  createStatus: 201,
  coSellMode: 'twoReferrals',
  maxTop: 100,
  terminalWriteStatus: 400,
  acceptAppOnlyTokens: false,
  referralUserUpns: [],
  honorMsRequestId: false,
  partnerOrganizationId: 'b1c6a1e4-5f1d-4c63-9d6f-2f3a61a0c0de',
  partnerOrganizationName: 'Contoso Cloud Partners',
  partnerMpnId: '4812345',
  baseUrl: 'https://api.partner.microsoft.com',
  microsoft: { acceptanceRate: 0.6, noResponseRate: 0.1, leadsPerDay: 0, coSellInvitesPerDay: 0, registrationReviewDays: 3 },
  webhooks: { maxAttempts: 10, retryBaseMs: 1000, retryMaxMs: 60_000, attemptTimeoutMs: 5000, maxConcurrentDeliveries: 16, resourceUriStyle: 'documented' },
  microsoftSide: { requireSolutions: false, refuse: false },
};

export function resolveOptions(input: PartnerCenterOptionsInput = {}): PartnerCenterOptions {
  const { microsoft, webhooks, microsoftSide, ...rest } = input;
  return {
    ...DEFAULT_OPTIONS,
    ...rest,
    microsoft: { ...DEFAULT_OPTIONS.microsoft, ...microsoft },
    webhooks: { ...DEFAULT_OPTIONS.webhooks, ...webhooks },
    microsoftSide: { ...DEFAULT_OPTIONS.microsoftSide, ...microsoftSide },
  };
}
