/**
 * Deterministic org data from a seed: currencies (USD EUR GBP JPY INR), system users, accounts
 * with address1_* (ISO country codes) and some DUNS, contacts, leads, and `size` opportunities
 * with parent account, contact, currency and owner; a share flagged for Partner Center sync
 * (docs/crm-custom-fields.md). Rows go straight into the store: 100,000 opportunities in seconds.
 */
import type { OrgShape } from '../../org-profiles.js';
import { COUNTRIES } from '../../shared/countries.js';
import type { Row } from '../model/row.js';
import type { OrgStore } from '../model/store.js';
import { createRandom } from '../../shared/random.js';
import { seedOpportunities } from './opportunities.js';
import { seededGuid } from './guid.js';
import { CONTACT_TARGETS, OWNER_TARGETS, put, type SeedContext } from './put.js';

export interface SeedResult {
  callerId: string;
  baseCurrencyId: string;
  counts: Record<string, number>;
}

const STREETS = ['Main St', 'Market St', 'High St', 'Station Rd', 'Park Ave', 'Church Ln', 'Mill Rd', 'Harbour Way'];
const TITLES = ['CIO', 'CTO', 'IT Director', 'Procurement Lead', 'Cloud Architect', 'VP Operations', 'Head of Data'];
const CURRENCIES: [string, string, string, number, number][] = [
  ['USD', 'US Dollar', '$', 1, 2],
  ['EUR', 'Euro', '€', 0.92, 2],
  ['GBP', 'Pound Sterling', '£', 0.79, 2],
  ['JPY', 'Japanese Yen', '¥', 151.2, 0],
  ['INR', 'Indian Rupee', '₹', 83.3, 2],
];

function slug(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function seedCore(ctx: SeedContext, size: number, shape: OrgShape): { users: Row[]; currencies: Row[]; accounts: Row[]; contactsByAccount: Map<string, Row[]> } {
  const { random } = ctx;
  const country = (code: string): string => (shape.countries === 'name' ? (COUNTRIES[code] ?? code) : code);
  // A single-currency org has its base currency only.
  const currencies = (shape.multiCurrency ? CURRENCIES : CURRENCIES.slice(0, 1)).map(([iso, name, symbol, rate, precision]) =>
    put(ctx, 'transactioncurrency', seededGuid(random), { isocurrencycode: iso, currencyname: name, currencysymbol: symbol, exchangerate: rate, currencyprecision: precision, statecode: 0, statuscode: 1 }),
  );
  const userCount = Math.max(5, Math.min(50, Math.ceil(size / 1000) + 5));
  const users: Row[] = [put(ctx, 'systemuser', seededGuid(random), { firstname: '# cosell-sync', lastname: 'application user', fullname: '# cosell-sync application user', isdisabled: false, azureactivedirectoryobjectid: seededGuid(random) })];
  for (let i = 1; i < userCount; i++) {
    const { first, last } = random.personName();
    const email = random.email(first, last, 'partner.example');
    users.push(put(ctx, 'systemuser', seededGuid(random), { firstname: first, lastname: last, fullname: `${first} ${last}`, internalemailaddress: email, domainname: email, title: random.pick(['Account Executive', 'Sales Manager', 'Partner Development Manager']), isdisabled: false, azureactivedirectoryobjectid: seededGuid(random) }));
  }
  const accounts: Row[] = [];
  const contactsByAccount = new Map<string, Row[]>();
  const accountCount = Math.max(5, Math.ceil(size / 10));
  for (let i = 0; i < accountCount; i++) {
    const name = random.companyName();
    const place = random.city();
    const owner = random.pick(users.slice(1));
    const account = put(ctx, 'account', seededGuid(random), {
      name,
      accountnumber: `AC-${String(i + 1).padStart(6, '0')}`,
      address1_line1: `${random.int(1, 9999)} ${random.pick(STREETS)}`,
      address1_city: place.city,
      address1_stateorprovince: place.state || null,
      address1_postalcode: place.postalCode,
      address1_country: country(place.country),
      telephone1: random.phone(),
      websiteurl: `https://www.${slug(name)}.example`,
      numberofemployees: random.int(10, 50000),
      // Drawn in every shape, so one seed gives the same records whatever the org has.
      ...withDuns(shape, random.bool(0.6) ? random.digits(9) : null),
      transactioncurrencyid: (currencies[0] as Row).id,
      ownerid: owner.id,
      owninguser: owner.id,
      statecode: 0,
      statuscode: 1,
    }, OWNER_TARGETS);
    accounts.push(account);
    const contacts: Row[] = [];
    for (let c = 0; c < 2; c++) {
      const { first, last } = random.personName();
      contacts.push(put(ctx, 'contact', seededGuid(random), {
        firstname: first,
        lastname: last,
        fullname: `${first} ${last}`,
        emailaddress1: random.email(first, last, `${slug(name)}.example`),
        telephone1: random.phone(),
        jobtitle: random.pick(TITLES),
        parentcustomerid: account.id,
        ownerid: owner.id,
        owninguser: owner.id,
        statecode: 0,
        statuscode: 1,
      }, CONTACT_TARGETS));
    }
    contactsByAccount.set(account.id, contacts);
  }
  return { users, currencies, accounts, contactsByAccount };
}

const withDuns = (shape: OrgShape, duns: string | null): Record<string, string | null> => (shape.duns ? { cosell_duns: duns } : {});

function seedLeads(ctx: SeedContext, count: number, users: Row[], currencyId: string, shape: OrgShape): void {
  const { random } = ctx;
  for (let i = 0; i < count; i++) {
    const { first, last } = random.personName();
    const company = random.companyName();
    const owner = random.pick(users.slice(1));
    const place = random.city();
    const open = random.bool(0.8);
    put(ctx, 'lead', seededGuid(random), {
      subject: `${company} - interested in cloud migration`,
      firstname: first,
      lastname: last,
      fullname: `${first} ${last}`,
      companyname: company,
      emailaddress1: random.email(first, last, `${slug(company)}.example`),
      telephone1: random.phone(),
      address1_city: place.city,
      address1_country: shape.countries === 'name' ? (COUNTRIES[place.country] ?? place.country) : place.country,
      estimatedamount: random.int(5, 200) * 1000,
      transactioncurrencyid: currencyId,
      ownerid: owner.id,
      owninguser: owner.id,
      statecode: open ? 0 : 2,
      statuscode: open ? random.pick([1, 2]) : random.pick([4, 5, 6, 7]),
      cosell_syncwithpartnercenter: random.bool(0.2),
    }, OWNER_TARGETS);
  }
}

/** Fills the store; delta tokens minted before seeding do not exist, so nothing is logged. */
export function seedOrg(args: { store: OrgStore; seed: number; size: number; now: Date; shape: OrgShape }): SeedResult {
  const ctx: SeedContext = { store: args.store, random: createRandom(args.seed), now: args.now.getTime() };
  const core = seedCore(ctx, args.size, args.shape);
  const base = core.currencies[0] as Row;
  seedLeads(ctx, Math.max(5, Math.ceil(args.size / 10)), core.users, base.id, args.shape);
  seedOpportunities({ ctx, count: args.size, ...core });
  const counts: Record<string, number> = {};
  for (const table of args.store.allTables()) {
    counts[table.info.def.logicalName] = table.rows.size;
    table.minDeltaVersion = args.store.currentVersion();
  }
  return { callerId: (core.users[0] as Row).id, baseCurrencyId: base.id, counts };
}

