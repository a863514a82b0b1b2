/** Seeded opportunities: a realistic mix of open, won and lost deals (Dynamics 365 "Opportunity table/entity reference"). */
import type { Row, Value } from '../model/row.js';
import { seededGuid } from './guid.js';
import { OPPORTUNITY_TARGETS, put, type SeedContext } from './put.js';

const PRODUCTS = ['Azure migration', 'Dynamics 365 rollout', 'Microsoft 365 E5', 'Data platform modernisation', 'Security assessment', 'AI copilots pilot', 'SAP on Azure', 'Managed services renewal'];
const STAGES = ['1-Qualify', '2-Develop', '3-Propose', '4-Close'];

export function seedOpportunities(args: {
  ctx: SeedContext;
  count: number;
  users: Row[];
  currencies: Row[];
  accounts: Row[];
  contactsByAccount: Map<string, Row[]>;
}): void {
  const { ctx, users, currencies, accounts, contactsByAccount } = args;
  const { random } = ctx;
  const sellers = users.slice(1);
  for (let i = 0; i < args.count; i++) {
    const account = random.pick(accounts);
    const contact = random.pick(contactsByAccount.get(account.id) ?? []);
    const owner = random.pick(sellers);
    const currency = random.bool(0.7) ? (currencies[0] as Row) : random.pick(currencies);
    const stage = random.int(0, 3);
    const value = random.int(1, 500) * 1000;
    const close = new Date(ctx.now + random.int(-60, 180) * 86_400_000).toISOString().slice(0, 10);
    const roll = random.next();
    const state = roll < 0.8 ? 0 : roll < 0.92 ? 1 : 2;
    const status = state === 0 ? (random.bool(0.1) ? 2 : 1) : state === 1 ? 3 : random.pick([4, 5]);
    const sync = random.bool(0.25);
    const values: Record<string, Value> = {
      name: `${String(account.values['name'])} - ${random.pick(PRODUCTS)}`,
      estimatedvalue: value,
      estimatedclosedate: close,
      closeprobability: state === 1 ? 100 : state === 2 ? 0 : 10 + stage * 25,
      salesstage: stage,
      salesstagecode: 1,
      stepname: STAGES[stage] as string,
      opportunityratingcode: random.int(1, 3),
      purchasetimeframe: random.int(0, 4),
      msdyn_forecastcategory: state === 1 ? 100000005 : state === 2 ? 100000006 : random.pick([100000001, 100000002, 100000003]),
      statecode: state,
      statuscode: status,
      actualvalue: state === 1 ? value : null,
      actualclosedate: state === 0 ? null : close,
      customerid: account.id,
      parentaccountid: account.id,
      parentcontactid: contact?.id ?? null,
      transactioncurrencyid: currency.id,
      ownerid: owner.id,
      owninguser: owner.id,
      cosell_syncwithpartnercenter: sync,
      cosell_microsofthelp: sync && random.bool(0.5) ? random.pick([100000000, 100000001, 100000002, 100000003, 100000004, 100000005]) : null,
      cosell_sharewithmicrosoft: sync ? random.bool(0.7) : null,
    };
    put(ctx, 'opportunity', seededGuid(random), values, OPPORTUNITY_TARGETS);
  }
}
