/**
 * Account and contact matching for inbound referrals (as in the Salesforce connector): the
 * account by DUNS when given, else by name + address1_postalcode, created when none matches;
 * the first contact by emailaddress1 under that account, created when none matches.
 */
import type { AccountInput, ContactInput } from '../types.js';
import type { DataverseClient } from './client.js';

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

async function firstId(client: DataverseClient, op: string, url: string, key: string): Promise<string | null> {
  const page = await client.json<{ value: Record<string, unknown>[] }>({ op, method: 'GET', url });
  const id = page.value[0]?.[key];
  return typeof id === 'string' ? id : null;
}

async function create(client: DataverseClient, op: string, set: string, key: string, body: Record<string, unknown>): Promise<string> {
  const row = await client.json<Record<string, unknown>>({ op, method: 'POST', url: `${set}?$select=${key}`, body, headers: { prefer: 'return=representation' }, write: true });
  return String(row[key]);
}

export async function matchAccount(args: { client: DataverseClient; account: AccountInput; dunsField: string }): Promise<string> {
  const { client, account, dunsField } = args;
  const sel = '$select=accountid&$top=1';
  if (account.duns) {
    const byDuns = await firstId(client, 'matchAccount', `accounts?${sel}&$filter=${encodeURIComponent(`${dunsField} eq ${quote(account.duns)}`)}`, 'accountid');
    if (byDuns) return byDuns;
  }
  const byName = `name eq ${quote(account.name)}${account.postalCode ? ` and address1_postalcode eq ${quote(account.postalCode)}` : ''}`;
  const found = await firstId(client, 'matchAccount', `accounts?${sel}&$filter=${encodeURIComponent(byName)}`, 'accountid');
  if (found) return found;
  return create(client, 'createAccount', 'accounts', 'accountid', {
    name: account.name,
    address1_line1: account.street,
    address1_city: account.city,
    address1_stateorprovince: account.state,
    address1_postalcode: account.postalCode,
    address1_country: account.country,
    ...(account.duns ? { [dunsField]: account.duns } : {}),
  });
}

export async function matchContact(args: { client: DataverseClient; contact: ContactInput; accountId: string | null }): Promise<string | null> {
  const { client, contact, accountId } = args;
  if (!contact.email && !contact.lastName) return null;
  if (contact.email) {
    const under = accountId ? ` and _parentcustomerid_value eq ${accountId}` : '';
    const found = await firstId(client, 'matchContact', `contacts?$select=contactid&$top=1&$filter=${encodeURIComponent(`emailaddress1 eq ${quote(contact.email)}${under}`)}`, 'contactid');
    if (found) return found;
  }
  return create(client, 'createContact', 'contacts', 'contactid', {
    firstname: contact.firstName,
    lastname: contact.lastName ?? contact.email,
    emailaddress1: contact.email,
    telephone1: contact.phone,
    jobtitle: contact.title,
    ...(accountId ? { 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` } : {}),
  });
}
