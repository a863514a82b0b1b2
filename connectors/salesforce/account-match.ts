/**
 * Account matching before an account is created: by DUNS when the input has one and
 * an account holds it, else by Name + BillingPostalCode (case and spacing ignored); an account
 * is created only when neither matches. Inputs with the same key share one account, so a batch
 * never creates two. A crash after the create heals: the next attempt matches what was created.
 */
import type { ConnectorError } from '../errors.js';
import type { AccountInput } from '../../src/domain/customer.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError } from './classify-error.js';
import { chunk, collectionWrite } from './collections.js';
import { salesforceDescriptor } from './descriptor.js';
import { queryAllRows } from './query-pages.js';
import { assertFieldName, soqlList } from './soql.js';

export type AccountResolution = { ok: true; id: string } | { ok: false; error: ConnectorError };

const norm = (v: string | null | undefined): string => (v ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
const nameKey = (a: AccountInput): string => `${norm(a.name)}|${norm(a.postalCode)}`;
const dunsOf = (a: AccountInput): string | null => (a.duns && a.duns.trim() !== '' ? a.duns.trim() : null);

/** Resolves every input to an account id (same order), creating what does not exist. */
export async function resolveAccounts(args: {
  client: SalesforceClient;
  accounts: readonly AccountInput[];
  /** Null when the mapping names no DUNS field. */
  dunsField: string | null;
  /** The Account fields the org has (describe): no DUNS matching without a DUNS field. */
  accountFields: () => Promise<ReadonlySet<string>>;
}): Promise<AccountResolution[]> {
  const { client, accounts } = args;
  const byDuns = new Map<string, string>();
  const byName = new Map<string, string>();
  let has: ReadonlySet<string>;
  try {
    has = await args.accountFields();
  } catch (error) {
    const failed = asConnectorError(error, 'account matching');
    return accounts.map(() => ({ ok: false, error: failed }));
  }
  const dunsField = args.dunsField !== null && has.has(args.dunsField) ? assertFieldName(args.dunsField) : null;
  try {
    const dunsValues = dunsField === null ? [] : [...new Set(accounts.map(dunsOf).filter((d): d is string => d !== null))];
    // Both lookups at once (one round trip, not two): the name lookup also covers the inputs a DUNS
    // match settles, and a DUNS match still wins below.
    const names = [...new Set(accounts.map((a) => a.name))];
    const [dunsRows, nameRows] = await Promise.all([
      Promise.all(
        chunk(dunsValues, salesforceDescriptor.idsPerQuery).map((values) =>
          queryAllRows({ client, op: 'accounts.byDuns', soql: `SELECT Id, ${dunsField as string} FROM Account WHERE ${dunsField as string} IN ${soqlList(values)} ORDER BY Id` }),
        ),
      ),
      Promise.all(
        chunk(names, salesforceDescriptor.idsPerQuery).map((values) =>
          queryAllRows({ client, op: 'accounts.byName', soql: `SELECT Id, Name, BillingPostalCode FROM Account WHERE Name IN ${soqlList(values)} ORDER BY Id` }),
        ),
      ),
    ]);
    for (const row of dunsRows.flat()) {
      const duns = row[dunsField as string];
      if (typeof duns === 'string' && typeof row['Id'] === 'string' && !byDuns.has(duns)) byDuns.set(duns, row['Id']);
    }
    for (const row of nameRows.flat()) {
      const key = `${norm(row['Name'] as string | null)}|${norm(row['BillingPostalCode'] as string | null)}`;
      if (typeof row['Id'] === 'string' && !byName.has(key)) byName.set(key, row['Id']);
    }
  } catch (error) {
    const failed = asConnectorError(error, 'account matching');
    return accounts.map(() => ({ ok: false, error: failed }));
  }

  const matched = (a: AccountInput): string | undefined => byDuns.get(dunsOf(a) ?? '') ?? byName.get(nameKey(a));
  const toCreate = new Map<string, AccountInput>();
  for (const a of accounts) if (matched(a) === undefined && !toCreate.has(nameKey(a))) toCreate.set(nameKey(a), a);
  const created = new Map<string, AccountResolution>();
  if (toCreate.size > 0) {
    const inputs = [...toCreate.values()];
    const results = await collectionWrite({
      client,
      op: 'accounts.create',
      method: 'POST',
      url: '/composite/sobjects',
      nonIdempotent: true,
      records: inputs.map((a) => ({
        attributes: { type: 'Account' },
        Name: a.name,
        BillingStreet: a.street,
        BillingCity: a.city,
        BillingState: a.state,
        BillingPostalCode: a.postalCode,
        // With State and Country picklists the code field exists; without them BillingCountry is
        // free text (and BillingCountryCode an INVALID_FIELD).
        ...(has.has('BillingCountryCode') ? { BillingCountryCode: a.country } : { BillingCountry: a.countryText ?? a.country }),
        ...(dunsField && dunsOf(a) ? { [dunsField]: dunsOf(a) } : {}),
      })),
    });
    inputs.forEach((a, i) => {
      const r = results[i];
      if (r) created.set(nameKey(a), r.ok ? { ok: true, id: r.id } : { ok: false, error: r.error });
    });
  }
  return accounts.map((a): AccountResolution => {
    const id = matched(a);
    if (id !== undefined) return { ok: true, id };
    return created.get(nameKey(a)) ?? { ok: false, error: asConnectorError(new Error('account not resolved'), 'account matching') };
  });
}
