/**
 * Field grants of setup's permission set as sObject Collections (Salesforce REST API Developer
 * Guide, "sObject Collections"): the FieldPermissions rows the set lacks are created, and the rows
 * that grant less than read and edit updated, up to 200 to a request. Which rows the set has comes
 * from the org read the plan was made from, so a grant costs no query of its own.
 */
import type { GrantFieldAccess } from '../../src/domain/crm-setup.js';
import type { ConnectorError } from '../errors.js';
import type { SalesforceClient } from './client.js';
import { collectionWrite, type CollectionRecord } from './collections.js';

/** A permission set's FieldPermissions row ids by `Object.Field`, lower-cased (field names are case-insensitive). */
export class FieldPermissionRows {
  private constructor(
    readonly setId: string,
    private readonly ids: Map<string, string>,
  ) {}

  /** From a query of the set's FieldPermissions (`Id`, `Field`). */
  static of(setId: string, rows: readonly Record<string, unknown>[]): FieldPermissionRows {
    const ids = new Map<string, string>();
    for (const row of rows) if (typeof row['Id'] === 'string' && typeof row['Field'] === 'string') ids.set(row['Field'].toLowerCase(), row['Id']);
    return new FieldPermissionRows(setId, ids);
  }

  idOf(field: string): string | undefined {
    return this.ids.get(field.toLowerCase());
  }

  add(field: string, id: string): void {
    this.ids.set(field.toLowerCase(), id);
  }
}

const ACCESS = { PermissionsRead: true, PermissionsEdit: true };

/** One outcome per grant, in order: null when the field has read and edit. */
export async function grantFieldAccess(args: { client: SalesforceClient; rows: FieldPermissionRows; grants: readonly GrantFieldAccess[] }): Promise<(ConnectorError | null)[]> {
  const { client, rows, grants } = args;
  const updates: { at: number; record: CollectionRecord }[] = [];
  const creates: { at: number; field: string; record: CollectionRecord }[] = [];
  grants.forEach((grant, at) => {
    const field = `${grant.object}.${grant.field}`;
    const id = rows.idOf(field);
    if (id !== undefined) updates.push({ at, record: { attributes: { type: 'FieldPermissions' }, id, ...ACCESS } });
    else creates.push({ at, field, record: { attributes: { type: 'FieldPermissions' }, ParentId: rows.setId, SobjectType: grant.object, Field: field, ...ACCESS } });
  });
  const outcomes: (ConnectorError | null)[] = grants.map(() => null);
  // collectionWrite answers one outcome per record, in the order sent.
  if (updates.length > 0) {
    const results = await collectionWrite({ client, op: 'setup.grant', method: 'PATCH', url: '/composite/sobjects', records: updates.map((u) => u.record), nonIdempotent: false });
    results.forEach((result, i) => {
      const update = updates[i];
      if (update && !result.ok) outcomes[update.at] = result.error;
    });
  }
  if (creates.length > 0) {
    const results = await collectionWrite({ client, op: 'setup.grant', method: 'POST', url: '/composite/sobjects', records: creates.map((c) => c.record), nonIdempotent: true });
    results.forEach((result, i) => {
      const create = creates[i];
      if (!create) return;
      if (result.ok) rows.add(create.field, result.id);
      else outcomes[create.at] = result.error;
    });
  }
  return outcomes;
}
