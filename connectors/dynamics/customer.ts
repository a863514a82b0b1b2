/**
 * Account and contact matching for inbound referrals (as in the Salesforce connector): the
 * account by DUNS when given, else by name + address1_postalcode, created when none matches;
 * the first contact by emailaddress1 under that account, created when none matches.
 */
import type { AccountInput, ContactInput } from '../../src/domain/customer.js';
import type { DataverseClient } from './client.js';

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

async function firstId(client: DataverseClient, args: { op: string; collection: string; key: string; filter: string }): Promise<string | null> {
  const page = await client.call({ op: args.op }, (dwa, extras) =>
    dwa.retrieveMultiple<Record<string, unknown>>({ collection: args.collection, select: [args.key], filter: args.filter, top: 1, ...extras }),
  );
  const id = page.value[0]?.[args.key];
  return typeof id === 'string' ? id : null;
}

async function create(client: DataverseClient, args: { op: string; collection: string; key: string; data: Record<string, unknown> }): Promise<string> {
  const row = await client.call({ op: args.op, write: true }, (dwa, extras) =>
    dwa.create<Record<string, unknown>>({ collection: args.collection, data: args.data, returnRepresentation: true, select: [args.key], ...extras }),
  );
  return String(row[args.key]);
}

export async function matchAccount(args: { client: DataverseClient; account: AccountInput; dunsField: string | null; accountColumns: () => Promise<ReadonlySet<string>> }): Promise<string> {
  const { client, account } = args;
  // Without a DUNS column (none mapped, or the org lacks it: a filter on it is a 400) accounts
  // match by name and postal code only.
  const dunsField = args.dunsField !== null && (await args.accountColumns()).has(args.dunsField) ? args.dunsField : null;
  const accounts = { op: 'matchAccount', collection: 'accounts', key: 'accountid' };
  if (account.duns && dunsField) {
    const byDuns = await firstId(client, { ...accounts, filter: `${dunsField} eq ${quote(account.duns)}` });
    if (byDuns) return byDuns;
  }
  const found = await firstId(client, { ...accounts, filter: `name eq ${quote(account.name)}${account.postalCode ? ` and address1_postalcode eq ${quote(account.postalCode)}` : ''}` });
  if (found) return found;
  const data = {
    name: account.name,
    address1_line1: account.street,
    address1_city: account.city,
    address1_stateorprovince: account.state,
    address1_postalcode: account.postalCode,
    address1_country: account.countryText ?? account.country,
    ...(account.duns && dunsField ? { [dunsField]: account.duns } : {}),
  };
  return create(client, { op: 'createAccount', collection: 'accounts', key: 'accountid', data });
}

export async function matchContact(args: { client: DataverseClient; contact: ContactInput; accountId: string | null }): Promise<string | null> {
  const { client, contact, accountId } = args;
  if (!contact.email && !contact.lastName) return null;
  if (contact.email) {
    const under = accountId ? ` and _parentcustomerid_value eq ${accountId}` : '';
    const found = await firstId(client, { op: 'matchContact', collection: 'contacts', key: 'contactid', filter: `emailaddress1 eq ${quote(contact.email)}${under}` });
    if (found) return found;
  }
  const data = {
    firstname: contact.firstName,
    lastname: contact.lastName ?? contact.email,
    emailaddress1: contact.email,
    telephone1: contact.phone,
    jobtitle: contact.title,
    ...(accountId ? { 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` } : {}),
  };
  return create(client, { op: 'createContact', collection: 'contacts', key: 'contactid', data });
}
