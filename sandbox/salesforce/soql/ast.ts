/** The SOQL subset a sync uses (SOQL and SOSL Reference), as parsed, before binding to the schema. */

export interface FieldRef {
  kind: 'field';
  /** `Account.Name` -> ['Account', 'Name']. */
  path: string[];
  offset: number;
}

export type LiteralKind = 'string' | 'number' | 'boolean' | 'null' | 'date' | 'datetime' | 'relativeDate';

export interface Literal {
  kind: LiteralKind;
  /** Decoded text (strings), the literal as written otherwise. */
  text: string;
  offset: number;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldRef; pattern: Literal };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SubQuery {
  kind: 'subquery';
  fields: FieldRef[];
  relationship: string;
  relationshipOffset: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset: number;
}

export type SelectItem = FieldRef | SubQuery;

export interface Query {
  /** `SELECT COUNT() FROM ...`: only totalSize is returned (Salesforce REST API Developer Guide, "Query"). */
  count: boolean;
  select: SelectItem[];
  from: string;
  fromOffset: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offsetRows?: number;
}
