/** The tables of the emulated org, looked up by entity set name or logical name (Dataverse developer guide, "Query data using the Web API"). */
import { STANDARD_SHAPE, type OrgShape } from '../../org-profiles.js';
import { accountTable, contact, systemuser, transactioncurrency } from './core-tables.js';
import { lead, opportunityTable, opportunityclose } from './sales-tables.js';
import { isLookup, lookupValueName, type AlternateKeyDef, type AttributeDef, type TableDef } from './types.js';

/** The tables of an org of this shape (sandbox/org-profiles.ts). */
export const tablesOf = (shape: OrgShape): readonly TableDef[] => [opportunityTable(shape), accountTable(shape), contact, lead, transactioncurrency, systemuser, opportunityclose];

/** The publisher prefix of the columns the default mapping uses (docs/crm-custom-fields.md). */
export const CUSTOM_PREFIX = 'cosell_';

/** The definitions without the `cosell_` columns and the keys on them: an org before `crm setup`. */
export function withoutCustomColumns(defs: readonly TableDef[]): TableDef[] {
  return defs.map((def) => ({
    ...def,
    attributes: def.attributes.filter((a) => !a.logicalName.startsWith(CUSTOM_PREFIX)),
    alternateKeys: def.alternateKeys.filter((k) => k.columns.every((c) => !c.startsWith(CUSTOM_PREFIX))),
  }));
}

/** Indexed view of one table; changed in place when the Web API adds a column or a key. */
export interface TableInfo {
  def: TableDef;
  byName: ReadonlyMap<string, AttributeDef>;
  /** `_x_value` -> lookup attribute. */
  byLookupValue: ReadonlyMap<string, AttributeDef>;
  /** navigation property -> { attribute, target logical name }. */
  byNavigation: ReadonlyMap<string, { attribute: AttributeDef; target: string }>;
}

export function indexTable(def: TableDef): TableInfo {
  const byName = new Map<string, AttributeDef>();
  const byLookupValue = new Map<string, AttributeDef>();
  const byNavigation = new Map<string, { attribute: AttributeDef; target: string }>();
  for (const attribute of def.attributes) {
    byName.set(attribute.logicalName, attribute);
    if (!isLookup(attribute)) continue;
    byLookupValue.set(lookupValueName(attribute.logicalName), attribute);
    for (const [nav, target] of Object.entries(attribute.navigation ?? {})) byNavigation.set(nav, { attribute, target });
  }
  return { def, byName, byLookupValue, byNavigation };
}

/** The tables of one org, by entity set name (case-sensitive, "Query data using the Web API") and by logical name. */
export class OrgSchema {
  private readonly bySet: ReadonlyMap<string, TableInfo>;
  private readonly byLogical: ReadonlyMap<string, TableInfo>;

  constructor(readonly infos: readonly TableInfo[]) {
    this.bySet = new Map(infos.map((info) => [info.def.entitySetName, info]));
    this.byLogical = new Map(infos.map((info) => [info.def.logicalName, info]));
  }

  static of(shape: OrgShape): OrgSchema {
    return new OrgSchema(tablesOf(shape).map(indexTable));
  }

  tableBySet(entitySetName: string): TableInfo | undefined {
    return this.bySet.get(entitySetName);
  }

  tableByLogicalName(logicalName: string): TableInfo | undefined {
    return this.byLogical.get(logicalName);
  }

  /** Adds a column to a table (the caller has checked it is new); the definition is replaced. */
  addAttribute(info: TableInfo, attribute: AttributeDef): void {
    Object.assign(info, indexTable({ ...info.def, attributes: [...info.def.attributes, attribute] }));
  }

  /** Replaces a column's definition (new options); the caller keeps its name and type. */
  replaceAttribute(info: TableInfo, attribute: AttributeDef): void {
    Object.assign(info, indexTable({ ...info.def, attributes: info.def.attributes.map((a) => (a.logicalName === attribute.logicalName ? attribute : a)) }));
  }

  addKey(info: TableInfo, key: AlternateKeyDef): void {
    info.def = { ...info.def, alternateKeys: [...info.def.alternateKeys, key] };
  }
}

const STANDARD = OrgSchema.of(STANDARD_SHAPE);

/** The standard sandbox org's tables (tests and tools that need no profile). */
export function tableBySet(entitySetName: string): TableInfo | undefined {
  return STANDARD.tableBySet(entitySetName);
}

export function tableByLogicalName(logicalName: string): TableInfo | undefined {
  return STANDARD.tableByLogicalName(logicalName);
}

export function allTables(): readonly TableInfo[] {
  return STANDARD.infos;
}
