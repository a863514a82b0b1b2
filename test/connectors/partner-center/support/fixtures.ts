/**
 * Recorded-style Referrals API payloads (Partner Center docs, "Referral resources"): camelCase, 7-digit fractions, quoted
 * Cosmos-style eTags, nulls and empty strings where real data has them.
 */
import type { ReferralDraft } from '../../../../src/domain/referral.js';

export const PARTNER_ORG = 'b1c6a1e4-5f1d-4c63-9d6f-2f3a61a0c0de';
export const SOLUTION_ID = 'SOL-15974-MQF';

export function wireReferral(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = typeof overrides.id === 'string' ? overrides.id : '7f1c2b9e-3d4a-4e5f-9a1b-2c3d4e5f6a7b';
  return {
    '@odata.context': 'https://api.partner.microsoft.com/v1.0/engagements/$metadata#Referrals/$entity',
    id,
    engagementId: 'e2a1b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
    organizationId: PARTNER_ORG,
    organizationName: 'Contoso Cloud Partners',
    name: 'Fabrikam - Azure migration',
    externalReferenceId: '006Hs00001AbCdEIAZ',
    createdDateTime: '2024-03-07T06:42:06.5326107Z',
    updatedDateTime: '2024-03-07T06:42:07.1138543Z',
    expirationDateTime: null,
    acceptedDateTime: '2024-03-07T06:42:06.5326107Z',
    closedDateTime: null,
    status: 'Active',
    substatus: 'Accepted',
    statusReason: null,
    type: 'Shared',
    qualification: 'SalesQualified',
    direction: 'Outgoing',
    customerProfile: {
      name: 'Fabrikam Inc',
      size: '51to500employees',
      isMatchingComplete: false,
      address: { addressLine1: '1 Main St', addressLine2: '', city: 'Redmond', state: null, postalCode: '98052', region: 'WA', country: 'US' },
      team: [{ firstName: 'Dana', lastName: 'Ng', email: 'dana@fabrikam.example', phoneNumber: '+1 425 555 0100', title: 'CTO', contactPreference: { locale: 'en-us', disableNotifications: false } }],
      ids: [{ profileType: 'Duns', id: '315000554' }, { profileType: 'External', id: '' }],
    },
    consent: { consentToToShareInfoWithOthers: true, consentToContact: true, consentToShareReferralWithMicrosoftSellers: true, consentToMicrosoftToContactSpecificPartners: null },
    details: {
      notes: 'Lift and shift of 40 VMs',
      dealValue: 125000.5,
      currency: 'USD',
      closingDateTime: '2024-11-14T00:00:00Z',
      customerRequestedContact: false,
      requirements: {
        industries: [],
        products: [],
        services: [],
        solutions: [{ id: SOLUTION_ID, name: 'Contoso Migrate', type: 'Name', price: 0, quantity: 1, currency: 'USD', publisherName: 'Contoso', solutionType: '3P' }],
        offers: [],
        salesPlays: [],
        additionalRequirements: { attributes: [{ type: 'CustomerMarketplaceIntent', id: 'HaveNotDecided' }] },
      },
    },
    team: [{ firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso.example', phoneNumber: null, title: 'AE' }],
    inviteContext: null,
    target: [{ type: 'SolutionProfile', id: SOLUTION_ID }],
    eTag: '"84001c9d-0000-0100-0000-6225a63e0000"',
    links: {
      relatedReferrals: { uri: `https://api.partner.microsoft.com/v1.0/engagements/referrals?$filter=engagementId eq 'e2a1b3c4-d5e6-4f70-8192-a3b4c5d6e7f8'`, method: 'GET' },
      self: { uri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${id}`, method: 'GET' },
    },
    trackingInfo: { microsoftMsxId: null, microsoftUSFedOpportunityId: null },
    salesStage: '100',
    campaignId: '',
    favorite: false,
    quality: 'Unknown',
    isSpam: false,
    mpnId: '4812345',
    tags: [],
    registrationStatus: 'None',
    registrations: [],
    ...overrides,
  };
}

export const page = (items: unknown[], nextLink?: string): Record<string, unknown> => ({
  '@odata.context': 'https://api.partner.microsoft.com/v1.0/engagements/$metadata#Referrals',
  '@odata.count': items.length,
  value: items,
  ...(nextLink === undefined ? {} : { '@odata.nextLink': nextLink }),
});

export function draft(overrides: Partial<ReferralDraft> = {}): ReferralDraft {
  return {
    name: 'Fabrikam - Azure migration',
    externalReferenceId: '006Hs00001AbCdEIAZ',
    status: 'New',
    substatus: 'Pending',
    statusReason: null,
    type: 'Shared',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Fabrikam Inc',
      size: '51to500employees',
      address: { addressLine1: '1 Main St', addressLine2: null, city: 'Redmond', state: 'WA', postalCode: '98052', region: null, country: 'US' },
      team: [{ firstName: 'Dana', lastName: 'Ng', email: 'dana@fabrikam.example', phoneNumber: null, title: 'CTO' }],
      ids: [],
    },
    consent: { consentToShareReferralWithMicrosoftSellers: false, consentToContact: true, consentToToShareInfoWithOthers: true },
    details: { notes: 'Lift and shift', dealValue: 0, currency: 'USD', closingDateTime: '2024-11-14T00:00:00Z', solutions: [{ id: SOLUTION_ID, name: null, type: 'Name' }] },
    team: [{ firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso.example', phoneNumber: null, title: 'AE' }],
    inviteContext: null,
    target: [],
    campaignId: null,
    ...overrides,
  };
}
