import type { ChildRelationshipDef, FieldDef } from '../schema/field-def.js';
import type { ObjectSchema } from '../schema/catalog.js';
import type { Value } from '../model/table.js';
import type { CompareOp } from './ast.js';

/** A field path bound to the schema: the lookups walked, then the field read. */
export interface BoundField {
  hops: Array<{ lookup: FieldDef; relationshipName: string; target: ObjectSchema }>;
  field: FieldDef;
}

/** A literal typed for its field; relative dates become a half-open range. */
export type BoundValue = { kind: 'value'; value: Value } | { kind: 'range'; start: string | number; end: string | number };

export type BoundCondition =
  | { kind: 'and'; items: BoundCondition[] }
  | { kind: 'or'; items: BoundCondition[] }
  | { kind: 'not'; item: BoundCondition }
  | { kind: 'compare'; field: BoundField; op: CompareOp; value: BoundValue }
  | { kind: 'in'; field: BoundField; negated: boolean; values: Value[]; comparable: Set<Value> }
  | { kind: 'like'; field: BoundField; pattern: RegExp };

export interface BoundOrder {
  field: BoundField;
  descending: boolean;
  nullsLast: boolean;
}

export interface BoundSubquery {
  kind: 'subquery';
  relationship: ChildRelationshipDef;
  child: ObjectSchema;
  fields: BoundField[];
  where?: BoundCondition;
  orderBy: BoundOrder[];
  limit?: number;
}

export type BoundSelect = { kind: 'field'; field: BoundField } | BoundSubquery;

export interface BoundQuery {
  object: ObjectSchema;
  count: boolean;
  select: BoundSelect[];
  where?: BoundCondition;
  orderBy: BoundOrder[];
  limit?: number;
  offsetRows?: number;
}
