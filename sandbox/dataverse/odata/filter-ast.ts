/** The `$filter` syntax tree (Dataverse developer guide, "Query data using the Web API", "Filter rows using OData"). */

export type Literal =
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'guid'; value: string }
  /** Normalised to `YYYY-MM-DDTHH:MM:SSZ` (UTC). */
  | { kind: 'datetime'; value: string }
  | { kind: 'date'; value: string };

export type Operand = { kind: 'literal'; literal: Literal } | { kind: 'property'; name: string };

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: ComparisonOp; left: Operand; right: Operand }
  /** contains / startswith / endswith (property, string). */
  | { kind: 'text'; fn: 'contains' | 'startswith' | 'endswith'; property: string; value: string }
  /** Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=[...]) and NotIn. */
  | { kind: 'in'; negate: boolean; property: string; values: Literal[] };
