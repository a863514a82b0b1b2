import { field, picklist, readOnly, reference, required, text, type ObjectDef } from './field-def.js';
import { FORECAST_CATEGORY_BY_NAME } from './stages.js';
import { systemFields } from './system-fields.js';

/** OpportunityContactRole (Object Reference): at most one primary per opportunity. */
export const OPPORTUNITY_CONTACT_ROLE: ObjectDef = {
  name: 'OpportunityContactRole',
  label: 'Opportunity Contact Role',
  labelPlural: 'Opportunity Contact Role',
  keyPrefix: '00K',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: true,
  fields: [
    ...systemFields(),
    required(reference('OpportunityId', 'Opportunity', { updateable: false, label: 'Opportunity ID' })),
    required(reference('ContactId', 'Contact', { label: 'Contact ID' })),
    picklist(
      'Role',
      [
        'Business User',
        'Decision Maker',
        'Economic Buyer',
        'Economic Decision Maker',
        'Evaluator',
        'Executive Sponsor',
        'Influencer',
        'Technical Buyer',
        'Other',
      ],
      { length: 40 },
    ),
    field('IsPrimary', 'boolean', { label: 'Primary' }),
  ],
  childRelationships: [],
};

/** OpportunityTeamMember (Object Reference): a deleted member skips the Recycle Bin. */
export const OPPORTUNITY_TEAM_MEMBER: ObjectDef = {
  name: 'OpportunityTeamMember',
  label: 'Opportunity Team Member',
  labelPlural: 'Opportunity Team Member',
  keyPrefix: '00q',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: false,
  fields: [
    ...systemFields(),
    required(reference('OpportunityId', 'Opportunity', { updateable: false, label: 'Opportunity ID' })),
    required(reference('UserId', 'User', { updateable: false, label: 'User ID' })),
    picklist('TeamMemberRole', ['Account Manager', 'Channel Manager', 'Executive Sponsor', 'Lead Qualifier', 'Pre-Sales Consultant', 'Sales Manager', 'Sales Rep'], {
      length: 40,
      label: 'Team Role',
    }),
    picklist('OpportunityAccessLevel', ['Read', 'Edit', 'All'], { restricted: true, defaultedOnCreate: true, defaultValue: 'Read', length: 40 }),
    readOnly(text('Name', 121)),
    readOnly(text('Title', 80)),
    readOnly(field('PhotoUrl', 'url', { length: 1024 })),
  ],
  childRelationships: [],
};

/** The stage table (Object Reference, "OpportunityStage"), read-only through the API. */
export const OPPORTUNITY_STAGE: ObjectDef = {
  name: 'OpportunityStage',
  label: 'Opportunity Stage',
  labelPlural: 'Opportunity Stages',
  keyPrefix: '01J',
  createable: false,
  updateable: false,
  deletable: false,
  recycleBin: false,
  fields: [
    ...systemFields().filter((f) => f.name !== 'IsDeleted'),
    readOnly(text('ApiName', 255, { label: 'Api Name' })),
    readOnly(text('MasterLabel', 255, { label: 'Master Label' })),
    readOnly(field('IsActive', 'boolean', { nillable: false })),
    readOnly(field('IsClosed', 'boolean', { nillable: false })),
    readOnly(field('IsWon', 'boolean', { nillable: false })),
    readOnly(field('DefaultProbability', 'percent')),
    readOnly(picklist('ForecastCategory', Object.values(FORECAST_CATEGORY_BY_NAME), { length: 40 })),
    readOnly(picklist('ForecastCategoryName', Object.keys(FORECAST_CATEGORY_BY_NAME), { length: 40 })),
    readOnly(field('SortOrder', 'int')),
    readOnly(text('Description', 255)),
  ],
  childRelationships: [],
};
