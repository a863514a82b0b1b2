/**
 * The picklists a new org has: the standard values only (Salesforce Object Reference,
 * "OpportunityStage"; Dynamics 365 "Opportunity table/entity reference"). A value map over one of these fields must name every value; a file
 * whose org has more (the default mappings' co-sell stages, which `crm setup` adds) lists them
 * under `picklists:`, and `mappings validate --live` checks the org's own lists.
 */
import type { CrmObjectKind, CrmSystem } from '../../src/domain/crm-record.js';
import { ASSISTANCE_REQUEST_CODES } from '../../src/domain/referral.js';
import type { MapScalar } from './transforms/value-map.js';

type Picklists = Readonly<Record<string, readonly MapScalar[]>>;

const SALESFORCE: Readonly<Record<CrmObjectKind, Picklists>> = {
  opportunity: {
    StageName: [
      'Prospecting',
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Id. Decision Makers',
      'Perception Analysis',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ],
    // The help codes without 'Unknown', which stands for no help asked (as the sandbox org has it).
    Microsoft_Help__c: ASSISTANCE_REQUEST_CODES.filter((c) => c !== 'Unknown'),
  },
  lead: {
    Status: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
  },
};

const DYNAMICS: Readonly<Record<CrmObjectKind, Picklists>> = {
  opportunity: {
    statecode: [0, 1, 2],
    // 1 In Progress, 2 On Hold (Open); 3 Won; 4 Canceled, 5 Out-Sold (Lost).
    statuscode: [1, 2, 3, 4, 5],
    cosell_microsofthelp: [100000000, 100000001, 100000002, 100000003, 100000004, 100000005],
  },
  // The standard lead status reasons: 1 New, 2 Contacted (Open); 3 Qualified; 4 Lost,
  // 5 Cannot Contact, 6 No Longer Interested, 7 Canceled (Disqualified).
  lead: { statecode: [0, 1, 2], statuscode: [1, 2, 3, 4, 5, 6, 7] },
};

/** One entry per CRM: a CRM added to CRM_SYSTEMS needs its standard picklists here. */
const BY_SYSTEM: Readonly<Record<CrmSystem, Readonly<Record<CrmObjectKind, Picklists>>>> = { salesforce: SALESFORCE, dynamics: DYNAMICS };

export function defaultPicklists(system: CrmSystem, kind: CrmObjectKind): Picklists {
  return BY_SYSTEM[system][kind];
}
