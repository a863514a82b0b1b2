/**
 * Table and column metadata of the emulated Dataverse org: the single source the validators,
 * serializers and `EntityDefinitions` answers read (Dynamics 365 "Opportunity table/entity reference";
 * dynamics-web-api `retrieveAttributes`).
 */

export type AttributeType =
  | 'Uniqueidentifier'
  | 'String'
  | 'Memo'
  | 'Money'
  | 'Decimal'
  | 'Integer'
  | 'BigInt'
  | 'Boolean'
  | 'DateTime'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'Lookup'
  | 'Customer'
  | 'Owner';

export interface OptionDef {
  value: number;
  label: string;
  /** For a Status option: the statecode it belongs to. */
  state?: number;
  /** For a State option: its default statuscode. */
  defaultStatus?: number;
}

export interface AttributeDef {
  logicalName: string;
  /** Set on columns created through the Web API; otherwise the logical name. */
  schemaName?: string;
  displayName?: string;
  /** Created by a customizer (a publisher-prefixed column). */
  custom?: boolean;
  type: AttributeType;
  maxLength?: number;
  /** DateTime with DateOnly behaviour: wire form `YYYY-MM-DD` ("Compose HTTP requests and handle errors", Dynamics 365 "Opportunity table/entity reference"). */
  dateOnly?: boolean;
  validForCreate: boolean;
  validForUpdate: boolean;
  requiredLevel: 'None' | 'ApplicationRequired' | 'SystemRequired';
  options?: readonly OptionDef[];
  /** Lookup kinds: single-valued navigation property name -> target table logical name ("Associate and disassociate table rows using the Web API"). */
  navigation?: Readonly<Record<string, string>>;
  minValue?: number;
  maxValue?: number;
}

export interface AlternateKeyDef {
  name: string;
  columns: readonly string[];
  /** Display name given when the key was created through the Web API. */
  displayName?: string;
  /** EntityKeyIndexStatus: a key over duplicate values fails and is not enforced. Default Active. */
  status?: 'Active' | 'Failed';
}

export interface TableDef {
  logicalName: string;
  entitySetName: string;
  primaryId: string;
  primaryName: string;
  attributes: readonly AttributeDef[];
  alternateKeys: readonly AlternateKeyDef[];
  /** Default of the per-table change-tracking switch ("Use change tracking to synchronize data with external systems"). */
  changeTrackingEnabled: boolean;
}

export const LOOKUP_TYPES: ReadonlySet<AttributeType> = new Set(['Lookup', 'Customer', 'Owner']);

export function isLookup(attribute: AttributeDef): boolean {
  return LOOKUP_TYPES.has(attribute.type);
}

/** `_parentaccountid_value`: how a lookup column is read ("Query data using the Web API"). */
export function lookupValueName(logicalName: string): string {
  return `_${logicalName}_value`;
}
