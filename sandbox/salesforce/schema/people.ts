import { field, picklist, readOnly, reference, required, text, type ObjectDef } from './field-def.js';
import { LEAD_SOURCES } from './opportunity.js';
import { ownerField, systemFields } from './system-fields.js';

function personName(): ReturnType<typeof text>[] {
  return [
    text('FirstName', 40),
    required(text('LastName', 80)),
    // Compound name, computed from the parts (Name is read-only on team members too).
    readOnly(text('Name', 121, { label: 'Full Name' })),
  ];
}

export const CONTACT: ObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: true,
  fields: [
    ...systemFields(),
    ...personName(),
    reference('AccountId', 'Account', { label: 'Account ID' }),
    field('Email', 'email', { length: 80 }),
    field('Phone', 'phone', { length: 40, label: 'Business Phone' }),
    text('Title', 128),
    text('MailingCity', 40),
    text('MailingCountry', 80),
    ownerField(),
  ],
  childRelationships: [
    { relationshipName: 'OpportunityContactRoles', childSObject: 'OpportunityContactRole', field: 'ContactId', cascadeDelete: true },
  ],
};

/** Lead with the inbound-referral custom fields (docs/crm-custom-fields.md). */
export const LEAD: ObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: true,
  fields: [
    ...systemFields(),
    ...personName(),
    required(text('Company', 255)),
    field('Email', 'email', { length: 80 }),
    field('Phone', 'phone', { length: 40 }),
    text('Title', 128),
    // Not nillable, but defaulted on create (docs/crm-custom-fields.md: `Open - Not Contacted`).
    picklist('Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], {
      restricted: true,
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: 'Open - Not Contacted',
      length: 40,
      label: 'Lead Status',
    }),
    picklist('LeadSource', LEAD_SOURCES, { length: 40 }),
    field('Street', 'textarea', { length: 255 }),
    text('City', 40),
    text('State', 80),
    text('PostalCode', 20),
    text('Country', 80),
    field('Description', 'textarea', { length: 32000 }),
    readOnly(field('IsConverted', 'boolean', { nillable: false, label: 'Converted' })),
    ownerField(),
    field('Sync_With_Partner_Center__c', 'boolean', { label: 'Sync with Partner Center' }),
    text('Referral_Id__c', 64, { externalId: true, unique: true, label: 'Referral ID' }),
    field('Referral_Link__c', 'url', { length: 255, label: 'Referral Link' }),
    text('Decline_Reason__c', 255, { label: 'Decline Reason' }),
    text('Referral_Status__c', 40, { label: 'Referral Status' }),
    field('Respond_By__c', 'datetime', { label: 'Respond By' }),
  ],
  childRelationships: [],
};

export const USER: ObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  createable: true,
  updateable: true,
  deletable: false,
  recycleBin: false,
  fields: [
    ...systemFields().filter((f) => f.name !== 'IsDeleted'),
    required(text('Username', 80, { unique: true })),
    ...personName(),
    required(field('Email', 'email', { length: 128 })),
    required(text('Alias', 8)),
    text('Title', 80),
    field('IsActive', 'boolean', { label: 'Active', defaultValue: true }),
  ],
  childRelationships: [
    { relationshipName: 'OpportunityTeamMembers', childSObject: 'OpportunityTeamMember', field: 'UserId', cascadeDelete: true },
  ],
};
