/**
 * createRecords: accounts matched (or created) first, then one collection upsert per 200 records
 * on the external-id field (`PATCH /composite/sobjects/{Object}/{Field}`; the value travels in
 * the body, so it needs no URL encoding) while the accounts' contacts are matched (or created),
 * then contact roles. Upsert makes a repeated create (after a crash, or a retry whose answer was
 * lost) find the first record, never a second; contacts are matched by email, so a contact made
 * for a record whose upsert failed is the one found next time.
 */
import { ConnectorError } from '../errors.js';
import type { CrmCreate, WriteOutcome } from '../types.js';
import { resolveAccounts } from './account-match.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError } from './classify-error.js';
import { chunk, type CollectionRecord } from './collections.js';
import { writeThenReadVersions, type CompositeSupport } from './composite.js';
import { ensureContactRoles, resolveContacts, type ContactsResolution } from './contact-match.js';
import { salesforceDescriptor } from './descriptor.js';
import { assertFieldName, soqlList } from './soql.js';
import { readVersions } from './versions.js';

interface Pending {
  write: CrmCreate;
  index: number;
  object: string;
  accountId: string | null;
  id: string | null;
  created: boolean;
  /** Read with the upsert when `/composite` allowed it. */
  version: string | null;
}

async function upsertBatch(args: {
  client: SalesforceClient;
  apiVersion: string;
  composite: CompositeSupport;
  key: string;
  batch: Pending[];
  fail: (p: Pending, error: ConnectorError) => void;
}): Promise<void> {
  const { batch } = args;
  const records: CollectionRecord[] = batch.map((p) => ({
    attributes: { type: p.object },
    ...(p.object === 'Lead' ? leadDefaults(p.write) : {}),
    ...p.write.fields,
    ...(p.accountId ? { AccountId: p.accountId } : {}),
    [p.write.externalId.field]: p.write.externalId.value,
  }));
  const [object, field] = args.key.split('/') as [string, string];
  const { results, versions } = await writeThenReadVersions({
    client: args.client,
    apiVersion: args.apiVersion,
    support: args.composite,
    op: 'create.upsert',
    url: `/composite/sobjects/${args.key}`,
    records,
    versionSoql: `SELECT Id, LastModifiedDate FROM ${object} WHERE ${field} IN ${soqlList(batch.map((p) => p.write.externalId.value))}`,
  });
  batch.forEach((p, i) => {
    const r = results[i];
    if (r?.ok) Object.assign(p, { id: r.id, created: r.created, version: versions?.get(r.id) ?? null });
    else if (r) args.fail(p, r.error);
  });
}

/**
 * Lead requires Company and LastName: when the mapping leaves them unset, they come from the
 * customer. Nothing else is written that the mapping does not name (an address the admin left
 * out stays out).
 */
function leadDefaults(write: CrmCreate): Record<string, unknown> {
  const candidates: Record<string, unknown> = {
    Company: write.customer?.account?.name,
    LastName: write.customer?.contacts[0]?.lastName,
  };
  return Object.fromEntries(Object.entries(candidates).filter(([k, v]) => v !== undefined && v !== null && !(k in write.fields)));
}

export async function createRecords(args: {
  client: SalesforceClient;
  writes: readonly CrmCreate[];
  objectFor: (write: CrmCreate) => string;
  dunsField: string | null;
  accountFields: () => Promise<ReadonlySet<string>>;
  apiVersion: string;
  composite: CompositeSupport;
}): Promise<WriteOutcome[]> {
  const { client, writes } = args;
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(writes.length);
  const fail = (p: Pending, error: ConnectorError): void => {
    outcomes[p.index] = { ok: false, error };
  };
  let pending: Pending[] = writes.map((write, index) => ({ write, index, object: args.objectFor(write), accountId: null, id: null, created: false, version: null }));

  const needAccount = pending.filter((p) => p.object !== 'Lead' && p.write.customer?.account);
  if (needAccount.length > 0) {
    const resolved = await resolveAccounts({ client, dunsField: args.dunsField, accountFields: args.accountFields, accounts: needAccount.map((p) => p.write.customer?.account).filter((a) => a != null) });
    needAccount.forEach((p, i) => {
      const r = resolved[i];
      if (r?.ok) p.accountId = r.id;
      else if (r) fail(p, r.error);
    });
  }
  pending = pending.filter((p) => outcomes[p.index] === undefined);

  const groups = new Map<string, Pending[]>();
  for (const p of pending) {
    const bad = Object.keys(p.write.fields).find((path) => path.includes('.'));
    if (bad) {
      fail(p, new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `${bad} cannot be written through ${p.object}` }));
      continue;
    }
    const key = `${p.object}/${assertFieldName(p.write.externalId.field)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const batches = [...groups].flatMap(([key, group]) => chunk(group, salesforceDescriptor.collectionMaxRecords).map((batch) => ({ key, batch })));
  const withContacts = [...groups.values()].flat().filter((p) => p.accountId !== null && (p.write.customer?.contacts.length ?? 0) > 0);
  // Batches in parallel, and the contacts beside them (they need only the account): the client's
  // RateLimiter bounds the concurrency.
  const [, contacts] = await Promise.all([Promise.all(batches.map(({ key, batch }) => upsertBatch({ ...args, key, batch, fail }))), contactsOf({ client, withContacts })]);
  const written = pending.filter((p) => p.id !== null && outcomes[p.index] === undefined);

  // Versions were read with the upsert, before contact roles were added: a new contact role does
  // not move the opportunity's LastModifiedDate (nor does it in the sandbox). If an org's
  // automation made it move, the next update would be held as a conflict, never lost.
  await linkContacts({ client, written, contacts, fail });
  await finish({ client, written: written.filter((p) => outcomes[p.index] === undefined), outcomes, fail });
  return outcomes;
}

/** The contacts of each record, matched or created under its account; never rejects. */
async function contactsOf(args: { client: SalesforceClient; withContacts: Pending[] }): Promise<Map<Pending, ContactsResolution>> {
  const { withContacts } = args;
  if (withContacts.length === 0) return new Map();
  const resolved = await resolveContacts({
    client: args.client,
    requests: withContacts.map((p) => ({ accountId: p.accountId ?? '', contacts: p.write.customer?.contacts ?? [] })),
  }).catch((error: unknown) => withContacts.map((): ContactsResolution => ({ ok: false, error: asConnectorError(error, 'contact matching') })));
  return new Map(withContacts.map((p, i) => [p, resolved[i] ?? { ok: false, error: asConnectorError(new Error('contacts not resolved'), 'contact matching') }]));
}

async function linkContacts(args: { client: SalesforceClient; written: Pending[]; contacts: Map<Pending, ContactsResolution>; fail: (p: Pending, e: ConnectorError) => void }): Promise<void> {
  const withContacts = args.written.filter((p) => args.contacts.has(p));
  if (withContacts.length === 0) return;
  const links: { opportunityId: string; contactIds: string[] }[] = [];
  for (const p of withContacts) {
    const r = args.contacts.get(p);
    if (r?.ok) links.push({ opportunityId: p.id ?? '', contactIds: r.ids });
    else if (r) args.fail(p, r.error);
  }
  const roleFailures = await ensureContactRoles({ client: args.client, links });
  for (const p of withContacts) {
    const failure = roleFailures.get(p.id ?? '');
    if (failure) args.fail(p, failure);
  }
}

async function finish(args: {
  client: SalesforceClient;
  written: Pending[];
  outcomes: WriteOutcome[];
  fail: (p: Pending, e: ConnectorError) => void;
}): Promise<void> {
  for (const p of args.written) {
    if (p.id !== null && p.version !== null) args.outcomes[p.index] = { ok: true, id: p.id, version: p.version, created: p.created };
  }
  const unknown = args.written.filter((p) => p.version === null);
  for (const object of new Set(unknown.map((p) => p.object))) {
    const group = unknown.filter((p) => p.object === object);
    try {
      const versions = await readVersions({ client: args.client, object, ids: group.map((p) => p.id ?? ''), op: 'create.readVersions' });
      for (const p of group) {
        const version = p.id === null ? undefined : versions.get(p.id);
        if (version === undefined || p.id === null) args.fail(p, new ConnectorError({ kind: 'notFound', system: 'salesforce', message: `${object} ${p.id ?? '?'} vanished after the create` }));
        else args.outcomes[p.index] = { ok: true, id: p.id, version, created: p.created };
      }
    } catch (error) {
      for (const p of group) args.fail(p, asConnectorError(error, 'reading versions'));
    }
  }
}
