import type { Catalog, ObjectSchema } from '../schema/catalog.js';
import type { FieldDef } from '../schema/field-def.js';
import { parseDate, parseDateTime } from '../model/datetime.js';
import { toId18 } from '../model/ids.js';
import type { Condition, FieldRef, Literal, OrderItem, Query } from './ast.js';
import type { BoundCondition, BoundField, BoundOrder, BoundQuery, BoundSelect, BoundValue } from './bound.js';
import { comparable } from './evaluate.js';
import { relativeDateRange } from './relative-dates.js';
import { SoqlError } from './tokenizer.js';

const HINT_FIELD =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const HINT_REL =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
const TEXTUAL = new Set(['id', 'reference', 'string', 'picklist', 'multipicklist', 'email', 'phone', 'url']);
const NUMERIC = new Set(['currency', 'double', 'percent', 'int']);

/**
 * Binds a parsed query to the org's schema (SOQL and SOSL Reference): unknown objects are
 * INVALID_TYPE, unknown fields INVALID_FIELD, and literals must fit their field's type.
 */
export function bindQuery({ catalog, query, now }: { catalog: Catalog; query: Query; now: number }): BoundQuery {
  const object = catalog.object(query.from);
  if (!object) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      query.fromOffset,
    );
  }
  const ctx = { catalog, now };
  const select: BoundSelect[] = query.select.map((item) => {
    if (item.kind === 'field') return { kind: 'field', field: bindField(ctx, object, item) };
    const relationship = object.child(item.relationship);
    const child = relationship ? catalog.object(relationship.childSObject) : undefined;
    if (!relationship || !child) {
      throw new SoqlError('INVALID_TYPE', `Didn't understand relationship '${item.relationship}' in FROM part of query call. ${HINT_REL}`, item.relationshipOffset);
    }
    return {
      kind: 'subquery',
      relationship,
      child,
      fields: item.fields.map((f) => bindField(ctx, child, f as FieldRef)),
      ...(item.where ? { where: bindCondition(ctx, child, item.where) } : {}),
      orderBy: item.orderBy.map((o) => bindOrder(ctx, child, o)),
      ...(item.limit !== undefined ? { limit: item.limit } : {}),
    };
  });
  return {
    object,
    count: query.count,
    select,
    ...(query.where ? { where: bindCondition(ctx, object, query.where) } : {}),
    orderBy: query.orderBy.map((o) => bindOrder(ctx, object, o)),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offsetRows !== undefined ? { offsetRows: query.offsetRows } : {}),
  };
}

interface BindContext {
  catalog: Catalog;
  now: number;
}

function bindField(ctx: BindContext, object: ObjectSchema, ref: FieldRef): BoundField {
  const hops: BoundField['hops'] = [];
  let current = object;
  const path = ref.path;
  for (const name of path.slice(0, -1)) {
    const lookup = current.relationship(name);
    const target = lookup?.referenceTo[0] === undefined ? undefined : ctx.catalog.object(lookup.referenceTo[0]);
    if (!lookup || !target) {
      throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${name}' in field path. ${HINT_REL}`, ref.offset);
    }
    hops.push({ lookup, relationshipName: lookup.relationshipName ?? name, target });
    current = target;
  }
  const last = path[path.length - 1] as string;
  const field = current.field(last);
  if (!field) throw new SoqlError('INVALID_FIELD', `No such column '${last}' on entity '${current.def.name}'. ${HINT_FIELD}`, ref.offset);
  return { hops, field };
}

function bindOrder(ctx: BindContext, object: ObjectSchema, o: OrderItem): BoundOrder {
  const field = bindField(ctx, object, o.field);
  if (field.field.type === 'address' || (field.field.type === 'textarea' && field.field.length > 255)) {
    throw new SoqlError('INVALID_FIELD', `field '${field.field.name}' can not be sorted in a query call`, o.field.offset);
  }
  return { field, descending: o.descending, nullsLast: o.nullsLast };
}

function bindFilterField(ctx: BindContext, object: ObjectSchema, ref: FieldRef): BoundField {
  const field = bindField(ctx, object, ref);
  if (field.field.type === 'address' || (field.field.type === 'textarea' && field.field.length > 255)) {
    throw new SoqlError('INVALID_FIELD', `field '${field.field.name}' can not be filtered in a query call`, ref.offset);
  }
  return field;
}

function bindCondition(ctx: BindContext, object: ObjectSchema, c: Condition): BoundCondition {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { kind: c.kind, items: c.items.map((i) => bindCondition(ctx, object, i)) };
    case 'not':
      return { kind: 'not', item: bindCondition(ctx, object, c.item) };
    case 'compare': {
      const field = bindFilterField(ctx, object, c.field);
      return { kind: 'compare', field, op: c.op, value: bindLiteral(ctx, field.field, c.value) };
    }
    case 'in': {
      const field = bindFilterField(ctx, object, c.field);
      const values = c.values.map((v) => {
        const bound = bindLiteral(ctx, field.field, v);
        if (bound.kind !== 'value') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${v.text}'`, v.offset);
        return bound.value;
      });
      return { kind: 'in', field, negated: c.negated, values, comparable: new Set(values.map((v) => comparable(field, v))) };
    }
    case 'like': {
      const field = bindFilterField(ctx, object, c.field);
      if (!TEXTUAL.has(field.field.type) && field.field.type !== 'textarea') {
        throw new SoqlError('INVALID_FIELD', `invalid operator on field: ${field.field.name}`, c.field.offset);
      }
      if (c.pattern.kind !== 'string') throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field.field.name}' must be of type string`, c.pattern.offset);
      return { kind: 'like', field, pattern: likePattern(c.pattern.text) };
    }
  }
}

/** Literals must match the field type: dates unquoted, booleans bare, ids well formed. */
function bindLiteral(ctx: BindContext, field: FieldDef, lit: Literal): BoundValue {
  const mismatch = (want: string, quotes = false): SoqlError =>
    new SoqlError(
      'INVALID_FIELD',
      `value of filter criterion for field '${field.name}' must be of type ${want}${quotes ? ' and should not be enclosed in quotes' : ''}`,
      lit.offset,
    );
  if (lit.kind === 'null') return { kind: 'value', value: null };
  const type = field.type;
  if (type === 'date' || type === 'datetime') {
    const want = type === 'date' ? 'date' : 'dateTime';
    if (lit.kind === 'relativeDate') return { kind: 'range', ...relativeDateRange({ literal: lit.text, now: ctx.now, type }) };
    if (type === 'date' && lit.kind === 'date' && parseDate(lit.text)) return { kind: 'value', value: lit.text };
    if (type === 'datetime' && lit.kind === 'datetime') {
      const ms = parseDateTime(lit.text);
      if (ms !== undefined) return { kind: 'value', value: ms };
    }
    throw mismatch(want, lit.kind === 'string');
  }
  if (type === 'boolean') {
    if (lit.kind !== 'boolean') throw mismatch('boolean', lit.kind === 'string');
    return { kind: 'value', value: lit.text === 'true' };
  }
  if (NUMERIC.has(type)) {
    if (lit.kind !== 'number') throw mismatch('number', lit.kind === 'string');
    return { kind: 'value', value: Number(lit.text) };
  }
  if (lit.kind !== 'string') throw mismatch('string');
  if (type === 'id' || type === 'reference') {
    const id = toId18(lit.text);
    if (id === undefined) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.text}`, lit.offset);
    return { kind: 'value', value: id };
  }
  return { kind: 'value', value: lit.text };
}

/** `%` any run, `_` one character; `\%` and `\_` are literal (SOQL and SOSL Reference). Case-insensitive. */
function likePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += pattern[i + 1];
      i += 1;
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

