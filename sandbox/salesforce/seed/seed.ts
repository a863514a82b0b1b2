import type { OrgShape } from '../../org-profiles.js';
import { createRandom, type Random } from '../../shared/random.js';
import { COUNTRIES } from '../../shared/countries.js';
import { deriveFields } from '../model/derive.js';
import { floorTo, formatDate } from '../model/datetime.js';
import type { SalesforceOrg } from '../model/org.js';
import type { Row, Table } from '../model/table.js';
import { ASSISTANCE_CODES, LEAD_SOURCES } from '../schema/opportunity.js';
import { FORECAST_CATEGORY_BY_NAME, stagesOf } from '../schema/stages.js';

const DAY = 86_400_000;
/** The run-as user of the connected app and the JWT `sub` of the sandbox daemon. */
export const INTEGRATION_USERNAME = 'integration@cosell-sandbox.example';

export interface SeedSummary {
  integrationUserId: string;
  users: number;
  accounts: number;
  contacts: number;
  opportunities: number;
  leads: number;
}

// Open stages are more common than closed ones in a live pipeline.
const STAGE_WEIGHTS: ReadonlyArray<[string, number]> = [
  ['Prospecting', 14], ['Qualification', 12], ['Needs Analysis', 10], ['Value Proposition', 9], ['Id. Decision Makers', 6],
  ['Perception Analysis', 5], ['Proposal/Price Quote', 8], ['Negotiation/Review', 6], ['On Hold', 2], ['Closed Won', 14],
  ['Closed Lost', 12], ['Declined', 1], ['Expired', 1],
];
const STAGE_TOTAL = STAGE_WEIGHTS.reduce((s, [, w]) => s + w, 0);

/** A weighted stage; a stage the org does not have (On Hold in a standard org) falls back to Prospecting. */
function pickStage(random: Random, known: ReadonlySet<string>): string {
  let x = random.next() * STAGE_TOTAL;
  for (const [stage, w] of STAGE_WEIGHTS) if ((x -= w) < 0) return known.has(stage) ? stage : 'Prospecting';
  return 'Prospecting';
}

/**
 * Fills an org with deterministic data from a seed: users, accounts with billing address,
 * country code and some DUNS numbers, contacts, opportunities with contact roles and team
 * members (a share flagged `Sync_With_Partner_Center__c`), leads, and the stage table.
 * Rows are written straight into the tables and the stamp index is sorted once at the end.
 */
export function seedOrg({ org, seed, size, participatingRate, shape }: { org: SalesforceOrg; seed: number; size: number; participatingRate: number; shape: OrgShape }): SeedSummary {
  const random = createRandom(seed);
  const stages = stagesOf(shape);
  const stageNames = new Set(stages.map((s) => s.apiName));
  const countryValue = (code: string): string | null => (shape.countries === 'name' || shape.stateCountryPicklists ? (COUNTRIES[code] ?? null) : code);
  const now = floorTo(org.clock.now().getTime(), 1000);
  const stamps = new Map<Table, Array<{ id: string; stamp: number }>>();
  const insert = (type: string, fields: Row, created: number, modified: number, userId?: string): Row => {
    const table = org.table(type) as Table;
    const row = table.blank();
    const id = org.newId(table.schema.def.keyPrefix);
    const by = userId ?? id;
    // An org without some fields (options.customFields, an org profile) seeds only the fields it has;
    // the random draws stay the same, so one seed gives the same records in every shape.
    for (const name of Object.keys(fields)) if (!(name in row)) delete fields[name];
    Object.assign(row, fields, { Id: id, CreatedDate: created, CreatedById: by, LastModifiedDate: modified, LastModifiedById: by, SystemModstamp: modified });
    if ('OwnerId' in row && row['OwnerId'] === null) row['OwnerId'] = by;
    deriveFields({ org, type: table.schema.def.name, row, changes: row });
    table.put(row, { stampIndex: false });
    const list = stamps.get(table) ?? [];
    list.push({ id, stamp: modified });
    stamps.set(table, list);
    return row;
  };
  const past = (maxDaysAgo: number): { created: number; modified: number } => {
    const created = floorTo(now - random.int(1, maxDaysAgo * 24 * 60) * 60_000, 1000);
    const modified = floorTo(created + random.next() * (now - created), 1000);
    return { created, modified };
  };
  const bootAt = now - 400 * DAY;

  const integration = insert('User', { Username: INTEGRATION_USERNAME, FirstName: 'Cosell', LastName: 'Integration', Email: 'integration@cosell-sandbox.example', Alias: 'cosell', Title: 'Integration User' }, bootAt, bootAt);
  const integrationUserId = String(integration['Id']);
  const userCount = Math.min(200, Math.max(5, Math.ceil(size / 500)));
  const users: string[] = [];
  for (let i = 0; i < userCount; i += 1) {
    const { first, last } = random.personName();
    const email = random.email(first, `${last}${i}`, 'cosell-sandbox.example');
    const row = insert('User', { Username: email, FirstName: first, LastName: last, Email: email, Alias: `u${i}`, Title: random.pick(['Account Executive', 'Sales Manager', 'Solutions Engineer']) }, bootAt, bootAt, integrationUserId);
    users.push(String(row['Id']));
  }
  for (const s of stages) {
    insert('OpportunityStage', { ApiName: s.apiName, MasterLabel: s.apiName, IsActive: true, IsClosed: s.isClosed, IsWon: s.isWon, DefaultProbability: s.defaultProbability, ForecastCategoryName: s.forecastCategoryName, ForecastCategory: FORECAST_CATEGORY_BY_NAME[s.forecastCategoryName] ?? null, SortOrder: s.sortOrder }, bootAt, bootAt, integrationUserId);
  }

  const accountCount = Math.max(1, Math.ceil(size / 3));
  const accounts: Array<{ id: string; contacts: string[] }> = [];
  for (let i = 0; i < accountCount; i += 1) {
    const place = random.city();
    const name = `${random.companyName()} ${i + 1}`;
    const { created, modified } = past(365);
    const owner = random.pick(users);
    const account = insert('Account', {
      Name: name, Type: random.pick(['Prospect', 'Customer - Direct', 'Customer - Channel']), Industry: random.pick(['Technology', 'Manufacturing', 'Retail', 'Healthcare', 'Finance']),
      Phone: random.phone(), Website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
      BillingStreet: `${random.int(1, 999)} ${random.pick(['Main St', 'Market St', 'High Street', 'Station Rd'])}`,
      BillingCity: place.city, BillingState: place.state === '' ? null : place.state, BillingStateCode: place.state === '' ? null : place.state,
      BillingPostalCode: place.postalCode, BillingCountryCode: place.country, BillingCountry: countryValue(place.country),
      DUNS__c: random.bool(0.4) ? random.digits(9) : null, OwnerId: owner,
    }, created, modified, owner);
    const contacts: string[] = [];
    for (let c = 0; c < 2; c += 1) {
      const person = random.personName();
      const contact = insert('Contact', {
        FirstName: person.first, LastName: person.last, AccountId: account['Id'] ?? null, Email: random.email(person.first, person.last, `customer${i + 1}.example`),
        Phone: random.phone(), Title: random.pick(['CIO', 'CTO', 'IT Director', 'Procurement Lead', 'VP Engineering']), OwnerId: owner,
      }, created, modified, owner);
      contacts.push(String(contact['Id']));
    }
    accounts.push({ id: String(account['Id']), contacts });
  }

  for (let i = 0; i < size; i += 1) {
    const account = random.pick(accounts);
    const owner = random.pick(users);
    const { created, modified } = past(180);
    const participating = random.bool(participatingRate);
    const coSell = participating && random.bool(0.4);
    const opp = insert('Opportunity', {
      Name: `Opportunity ${i + 1} - ${random.pick(['Azure migration', 'Data platform', 'Copilot rollout', 'Security modernisation', 'Dynamics 365'])}`,
      AccountId: account.id, StageName: pickStage(random, stageNames), CloseDate: formatDate(created + random.int(-30, 180) * DAY),
      Amount: random.int(10, 2000) * 500, CurrencyIsoCode: random.bool(0.85) ? 'USD' : random.pick(['EUR', 'GBP', 'CAD']),
      LeadSource: random.pick(LEAD_SOURCES), Type: 'New Customer', OwnerId: owner, Description: random.bool(0.5) ? 'Customer wants to move workloads to Azure.' : null,
      Sync_With_Partner_Center__c: participating, Share_With_Microsoft__c: participating && random.bool(0.5),
      Microsoft_Help__c: coSell ? random.pick(ASSISTANCE_CODES) : null,
    }, created, modified, owner);
    const roles = random.int(0, 2);
    for (let r = 0; r < roles; r += 1) {
      insert('OpportunityContactRole', { OpportunityId: opp['Id'] ?? null, ContactId: account.contacts[r] ?? null, Role: random.pick(['Decision Maker', 'Economic Buyer', 'Technical Buyer', 'Evaluator']), IsPrimary: r === 0 }, created, modified, owner);
    }
    const team = random.int(0, 2);
    for (let t = 0; t < team; t += 1) {
      insert('OpportunityTeamMember', { OpportunityId: opp['Id'] ?? null, UserId: users[(users.indexOf(owner) + t + 1) % users.length] ?? owner, TeamMemberRole: random.pick(['Sales Rep', 'Pre-Sales Consultant', 'Executive Sponsor']), OpportunityAccessLevel: 'Edit' }, created, modified, owner);
    }
  }

  const leadCount = Math.ceil(size / 10);
  for (let i = 0; i < leadCount; i += 1) {
    const person = random.personName();
    const { created, modified } = past(90);
    const owner = random.pick(users);
    const place = random.city();
    insert('Lead', {
      FirstName: person.first, LastName: person.last, Company: random.companyName(), Email: random.email(person.first, person.last, `lead${i + 1}.example`),
      Phone: random.phone(), City: place.city, PostalCode: place.postalCode, Country: countryValue(place.country), LeadSource: random.pick(LEAD_SOURCES), OwnerId: owner,
    }, created, modified, owner);
  }

  for (const [table, entries] of stamps) table.stamps.bulkLoad(entries);
  return { integrationUserId, users: userCount + 1, accounts: accountCount, contacts: accountCount * 2, opportunities: size, leads: leadCount };
}
