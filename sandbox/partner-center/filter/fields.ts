/**
 * Which referral properties `$filter` accepts (Partner Center docs, "Get a list of referrals", and the 2019 parameter list).
 * A filter on anything else is a 400 invalidRequest, as an OData service refuses unknown properties.
 */

export type FieldKind = 'string' | 'datetime' | 'number' | 'boolean';

export const FILTERABLE_FIELDS: Readonly<Record<string, FieldKind>> = {
  id: 'string',
  engagementId: 'string',
  name: 'string',
  status: 'string',
  substatus: 'string',
  type: 'string',
  qualification: 'string',
  direction: 'string',
  externalReferenceId: 'string',
  organizationId: 'string',
  createdDateTime: 'datetime',
  updatedDateTime: 'datetime',
  'customerProfile/name': 'string',
  'customerProfile/size': 'string',
  'customerProfile/address/country': 'string',
  'customerProfile/address/city': 'string',
  'customerProfile/address/state': 'string',
  'customerProfile/address/postalCode': 'string',
  'customerProfile/address/region': 'string',
  'details/currency': 'string',
  'details/dealValue': 'number',
  'details/closingDateTime': 'datetime',
  'inviteContext/invitedBy/organizationId': 'string',
  'trackingInfo/microsoftMsxId': 'string',
};

/** Collections that take `any(x: x/<field> ...)`, with the member fields allowed inside. */
export const FILTERABLE_COLLECTIONS: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  // "Get a list of referrals": team/any(t:t/email eq 'x@y.com')
  team: { email: 'string', firstName: 'string', lastName: 'string' },
  'customerProfile/team': { email: 'string', firstName: 'string', lastName: 'string' },
};
