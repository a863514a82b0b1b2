/** The tables of the emulated org, looked up by entity set name or logical name (§2.1, §10.1). */
import { account, contact, systemuser, transactioncurrency } from './core-tables.js';
import { lead, opportunity, opportunityclose } from './sales-tables.js';
import { isLookup, lookupValueName, type AttributeDef, type TableDef } from './types.js';

export const TABLES: readonly TableDef[] = [opportunity, account, contact, lead, transactioncurrency, systemuser, opportunityclose];

/** Indexed view of one table, built once. */
export interface TableInfo {
  def: TableDef;
  byName: ReadonlyMap<string, AttributeDef>;
  /** `_x_value` -> lookup attribute. */
  byLookupValue: ReadonlyMap<string, AttributeDef>;
  /** navigation property -> { attribute, target logical name }. */
  byNavigation: ReadonlyMap<string, { attribute: AttributeDef; target: string }>;
}

function index(def: TableDef): TableInfo {
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

const INFOS = TABLES.map(index);
const BY_SET = new Map(INFOS.map((info) => [info.def.entitySetName, info]));
const BY_LOGICAL = new Map(INFOS.map((info) => [info.def.logicalName, info]));

/** Entity set names are case-sensitive (§2.1). */
export function tableBySet(entitySetName: string): TableInfo | undefined {
  return BY_SET.get(entitySetName);
}

export function tableByLogicalName(logicalName: string): TableInfo | undefined {
  return BY_LOGICAL.get(logicalName);
}

export function allTables(): readonly TableInfo[] {
  return INFOS;
}
