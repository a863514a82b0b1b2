/**
 * describe(kind): the object's fields with type, length, picklist values and permissions, plus
 * child relationships as type 'child', so a mapping is checked before any write.
 * Parent paths (`Account.Name`) are listed for the relationships the sync reads.
 */
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind } from '../../src/domain/crm-record.js';
import type { SalesforceClient } from './client.js';
import { parseDescribe, type SalesforceDescribe, type SalesforceDescribeField } from './wire/rest.js';

const TYPES: Readonly<Record<string, CrmFieldDescription['type']>> = {
  id: 'id',
  string: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  encryptedstring: 'string',
  combobox: 'string',
  textarea: 'textarea',
  double: 'number',
  int: 'number',
  long: 'number',
  percent: 'number',
  currency: 'currency',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  picklist: 'picklist',
  multipicklist: 'picklist',
  reference: 'reference',
};

/** The canonical type of a describe field. */
export const fieldTypeOf = (field: SalesforceDescribeField): CrmFieldDescription['type'] => TYPES[field.type] ?? 'string';

function fieldDescription(field: SalesforceDescribeField, prefix: string, readOnly: boolean): CrmFieldDescription {
  const picklist = field.picklistValues?.filter((p) => p.active).map((p) => p.value) ?? [];
  return {
    path: `${prefix}${field.name}`,
    type: fieldTypeOf(field),
    label: field.label,
    length: field.length > 0 ? field.length : null,
    createable: !readOnly && field.createable,
    updateable: !readOnly && field.updateable,
    // Checkboxes are never nillable yet always hold a value; only other types can be left empty.
    required: !field.nillable && field.type !== 'boolean',
    picklistValues: field.type === 'picklist' || field.type === 'multipicklist' ? picklist : null,
  };
}

export class DescribeCache {
  private readonly cache = new Map<string, Promise<SalesforceDescribe>>();

  constructor(private readonly client: SalesforceClient) {}

  /** Raw describe of one sObject, fetched once per run. */
  sobject(name: string): Promise<SalesforceDescribe> {
    let cached = this.cache.get(name);
    if (!cached) {
      cached = this.client
        .call<unknown>({ op: 'describe', method: 'GET', url: `/sobjects/${encodeURIComponent(name)}/describe` })
        .then((body) => parseDescribe(body, `describe ${name}`));
      // A failed describe is not cached, so the next run asks again.
      cached.catch(() => this.cache.delete(name));
      this.cache.set(name, cached);
    }
    return cached;
  }

  async describe(args: { kind: CrmObjectKind; object: string; parents: readonly string[] }): Promise<CrmObjectDescription> {
    // A parent relationship names its object in every org the sync reads (Opportunity.Account is
    // an Account): it is asked for beside the object instead of after it, one round trip less.
    for (const parent of args.parents) this.sobject(parent).catch(() => undefined);
    const own = await this.sobject(args.object);
    const fields = own.fields.map((f) => fieldDescription(f, '', false));
    for (const rel of own.childRelationships ?? []) {
      if (rel.relationshipName) {
        fields.push({ path: rel.relationshipName, type: 'child', label: rel.childSObject, length: null, createable: false, updateable: false, required: false, picklistValues: null });
      }
    }
    for (const parent of args.parents) {
      const reference = own.fields.find((f) => f.relationshipName === parent);
      const target = reference?.referenceTo?.[0];
      if (!target) continue;
      const parentDescribe = await this.sobject(target);
      // Parent fields are read through the record but written on the parent, never through it.
      fields.push(...parentDescribe.fields.map((f) => fieldDescription(f, `${parent}.`, true)));
    }
    return { kind: args.kind, fields };
  }
}
