/**
 * The default Dynamics mapping against the sandbox Dataverse org's table definitions (the
 * metadata its EntityDefinitions answer from): every column the mapping reads exists, every
 * column it writes is writable, value maps cover the org's choices, lengths fit.
 */
import { describe, expect, it } from '@jest/globals';
import { tableByLogicalName } from '../../sandbox/dataverse/schema/tables.js';
import type { AttributeDef } from '../../sandbox/dataverse/schema/types.js';
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind } from '../../src/domain/crm-record.js';
import { checkAgainstDescription } from '../../mappings/index.js';
import { loadDefault } from './fixtures.js';

const TYPES: Record<string, CrmFieldDescription['type']> = {
  Uniqueidentifier: 'id',
  String: 'string',
  Memo: 'textarea',
  Money: 'currency',
  Decimal: 'number',
  Integer: 'number',
  BigInt: 'number',
  Boolean: 'boolean',
  Picklist: 'picklist',
  State: 'picklist',
  Status: 'picklist',
  Lookup: 'reference',
  Customer: 'reference',
  Owner: 'reference',
};

function field(a: AttributeDef, prefix: string, readOnly: boolean): CrmFieldDescription {
  return {
    path: `${prefix}${a.logicalName}`,
    type: a.type === 'DateTime' ? (a.dateOnly ? 'date' : 'datetime') : (TYPES[a.type] ?? 'string'),
    label: a.logicalName,
    length: a.maxLength ?? null,
    createable: !readOnly && a.validForCreate,
    updateable: !readOnly && a.validForUpdate,
    required: a.requiredLevel !== 'None',
    picklistValues: a.options ? a.options.map((o) => String(o.value)) : null,
  };
}

/** A table with its lookups' columns as read-only `lookup.column` paths, as a connector would describe it. */
function describeTable(kind: CrmObjectKind): CrmObjectDescription {
  const table = tableByLogicalName(kind)?.def;
  if (!table) throw new Error(`no ${kind} table`);
  const fields = table.attributes.map((a) => field(a, '', false));
  for (const a of table.attributes) {
    for (const [nav, target] of Object.entries(a.navigation ?? {})) {
      const related = tableByLogicalName(target)?.def;
      if (related) fields.push(...related.attributes.map((r) => field(r, `${nav}.`, true)));
    }
  }
  return { kind, fields };
}

describe('default Dynamics mapping against the sandbox Dataverse tables', () => {
  const mapping = loadDefault('dynamics');

  it('finds every mapped column, writable where it is written, with covered choices', () => {
    expect(checkAgainstDescription({ mapping, descriptions: [describeTable('opportunity'), describeTable('lead')] })).toEqual([]);
  });

  it('writes the currency by pointing the lookup, so a read-only lookup is reported', () => {
    const opportunity = describeTable('opportunity');
    const locked = { ...opportunity, fields: opportunity.fields.map((f) => (f.path === 'transactioncurrencyid' ? { ...f, updateable: false } : f)) };
    expect(checkAgainstDescription({ mapping, descriptions: [locked] }).map((p) => p.message)).toEqual([
      'transactioncurrencyid.isocurrencycode is read-only in the CRM, but the rule writes it (direction both)',
    ]);
  });

  it('reads only columns the org has, lookups included', () => {
    for (const kind of ['opportunity', 'lead'] as const) {
      const known = new Set(describeTable(kind).fields.map((f) => f.path));
      expect(mapping[kind].readFields.filter((p) => !known.has(p))).toEqual([]);
    }
  });
});
