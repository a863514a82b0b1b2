/**
 * Customer contacts under an account: matched by email (else first + last name), created when
 * none matches, then linked to the opportunity as OpportunityContactRoles (the first contact is
 * primary). Existing roles are read first, so a repeated create adds no second role.
 */
import type { ConnectorError } from '../errors.js';
import type { ContactInput } from '../../src/domain/customer.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError } from './classify-error.js';
import { chunk, collectionWrite, type CollectionRecord } from './collections.js';
import { salesforceDescriptor } from './descriptor.js';
import { queryAllRows } from './query-pages.js';
import { soqlList } from './soql.js';

export type ContactsResolution = { ok: true; ids: string[] } | { ok: false; error: ConnectorError };

const norm = (v: string | null | undefined): string => (v ?? '').trim().toLowerCase();
const keyOf = (accountId: string, c: { email: string | null; firstName: string | null; lastName: string | null }): string =>
  c.email ? `${accountId}|e|${norm(c.email)}` : `${accountId}|n|${norm(c.firstName)}|${norm(c.lastName)}`;

export async function resolveContacts(args: {
  client: SalesforceClient;
  requests: readonly { accountId: string; contacts: readonly ContactInput[] }[];
}): Promise<ContactsResolution[]> {
  const { client, requests } = args;
  const known = new Map<string, string>();
  const accountIds = [...new Set(requests.filter((r) => r.contacts.length > 0).map((r) => r.accountId))];
  try {
    for (const ids of chunk(accountIds, salesforceDescriptor.idsPerQuery)) {
      const rows = await queryAllRows({
        client,
        op: 'contacts.byAccount',
        soql: `SELECT Id, AccountId, Email, FirstName, LastName FROM Contact WHERE AccountId IN ${soqlList(ids)} ORDER BY Id`,
      });
      for (const row of rows) {
        if (typeof row['Id'] !== 'string' || typeof row['AccountId'] !== 'string') continue;
        const contact = { email: (row['Email'] as string | null) ?? null, firstName: (row['FirstName'] as string | null) ?? null, lastName: (row['LastName'] as string | null) ?? null };
        const key = keyOf(row['AccountId'], contact);
        if (!known.has(key)) known.set(key, row['Id']);
        // A contact with an email also matches an input that only has the same name.
        const byName = keyOf(row['AccountId'], { ...contact, email: null });
        if (!known.has(byName)) known.set(byName, row['Id']);
      }
    }
  } catch (error) {
    const failed = asConnectorError(error, 'contact matching');
    return requests.map(() => ({ ok: false, error: failed }));
  }
  const toCreate = new Map<string, { accountId: string; contact: ContactInput }>();
  for (const r of requests) {
    for (const c of r.contacts) {
      const key = keyOf(r.accountId, c);
      if (!known.has(key) && !toCreate.has(key)) toCreate.set(key, { accountId: r.accountId, contact: c });
    }
  }
  const failures = new Map<string, ConnectorError>();
  if (toCreate.size > 0) {
    const entries = [...toCreate];
    const records: CollectionRecord[] = entries.map(([, { accountId, contact }]) => ({
      attributes: { type: 'Contact' },
      AccountId: accountId,
      FirstName: contact.firstName,
      // LastName is required by Salesforce; an email-only contact is named after its mailbox.
      LastName: contact.lastName ?? contact.email?.split('@')[0] ?? 'Unknown',
      Email: contact.email,
      Phone: contact.phone,
      Title: contact.title,
    }));
    const results = await collectionWrite({ client, op: 'contacts.create', method: 'POST', url: '/composite/sobjects', records, nonIdempotent: true });
    entries.forEach(([key], i) => {
      const r = results[i];
      if (r?.ok) known.set(key, r.id);
      else if (r) failures.set(key, r.error);
    });
  }
  return requests.map((r): ContactsResolution => {
    const ids: string[] = [];
    for (const c of r.contacts) {
      const key = keyOf(r.accountId, c);
      const failure = failures.get(key);
      if (failure) return { ok: false, error: failure };
      const id = known.get(key);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    return { ok: true, ids };
  });
}

/** Adds the missing OpportunityContactRoles; returns, per opportunity, the error if any. */
export async function ensureContactRoles(args: {
  client: SalesforceClient;
  links: readonly { opportunityId: string; contactIds: readonly string[] }[];
}): Promise<Map<string, ConnectorError>> {
  const { client, links } = args;
  const failures = new Map<string, ConnectorError>();
  const wanted = links.filter((l) => l.contactIds.length > 0);
  if (wanted.length === 0) return failures;
  const existing = new Set<string>();
  const withRoles = new Set<string>();
  try {
    for (const ids of chunk([...new Set(wanted.map((l) => l.opportunityId))], salesforceDescriptor.idsPerQuery)) {
      const rows = await queryAllRows({ client, op: 'contactRoles.read', soql: `SELECT Id, OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN ${soqlList(ids)}` });
      for (const row of rows) {
        existing.add(`${String(row['OpportunityId'])}|${String(row['ContactId'])}`);
        withRoles.add(String(row['OpportunityId']));
      }
    }
  } catch (error) {
    const failed = asConnectorError(error, 'reading contact roles');
    for (const l of wanted) failures.set(l.opportunityId, failed);
    return failures;
  }
  const rows: { opportunityId: string; record: CollectionRecord }[] = [];
  for (const l of wanted) {
    l.contactIds.forEach((contactId, i) => {
      if (existing.has(`${l.opportunityId}|${contactId}`)) return;
      rows.push({
        opportunityId: l.opportunityId,
        record: { attributes: { type: 'OpportunityContactRole' }, OpportunityId: l.opportunityId, ContactId: contactId, IsPrimary: i === 0 && !withRoles.has(l.opportunityId) },
      });
    });
  }
  if (rows.length === 0) return failures;
  const results = await collectionWrite({ client, op: 'contactRoles.create', method: 'POST', url: '/composite/sobjects', records: rows.map((r) => r.record), nonIdempotent: true });
  rows.forEach((r, i) => {
    const result = results[i];
    if (result && !result.ok && !failures.has(r.opportunityId)) failures.set(r.opportunityId, result.error);
  });
  return failures;
}
