/**
 * `$filter` parser: eq ne gt ge lt le, and / or / not, parentheses, literals (null, booleans,
 * numbers, quoted strings with '' escapes, GUIDs, datetimes, dates), contains / startswith /
 * endswith and Microsoft.Dynamics.CRM.In / NotIn (Dataverse developer guide, "Query data using the Web API", "Filter rows using OData"). Precedence: not > and > or.
 */
import type { ComparisonOp, FilterNode, Literal, Operand } from './filter-ast.js';
import { FilterSyntaxError, tokenize, type Token } from './filter-lexer.js';

export { FilterSyntaxError } from './filter-lexer.js';

const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const TEXT_FUNCTIONS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);
const IN_FUNCTIONS: ReadonlyMap<string, boolean> = new Map([
  ['Microsoft.Dynamics.CRM.In', false],
  ['Microsoft.Dynamics.CRM.NotIn', true],
]);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw new FilterSyntaxError(`unexpected token at position ${next.at}`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private take(): Token {
    return this.tokens[this.position++] as Token;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.value === word;
  }

  private expectPunct(value: string): void {
    const t = this.take();
    if (t.kind !== 'punct' || t.value !== value) throw new FilterSyntaxError(`expected '${value}' at position ${t.at}`);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.take();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.take();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord('not')) {
      this.take();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '(') {
      this.take();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'name' && TEXT_FUNCTIONS.has(t.value)) return this.parseTextFunction();
    if (t.kind === 'name' && IN_FUNCTIONS.has(t.value)) return this.parseIn();
    const left = this.parseOperand();
    const op = this.take();
    if (op.kind !== 'name' || !COMPARISONS.has(op.value)) throw new FilterSyntaxError(`expected a comparison operator at position ${op.at}`);
    const right = this.parseOperand();
    return { kind: 'compare', op: op.value as ComparisonOp, left, right };
  }

  private parseOperand(): Operand {
    const t = this.take();
    if (t.kind === 'literal') return { kind: 'literal', literal: t.literal };
    if (t.kind === 'name' && !COMPARISONS.has(t.value) && t.value !== 'and' && t.value !== 'or' && t.value !== 'not') {
      return { kind: 'property', name: t.value };
    }
    throw new FilterSyntaxError(`expected a property or a literal at position ${t.at}`);
  }

  private parseTextFunction(): FilterNode {
    const fn = (this.take() as { value: string }).value as 'contains' | 'startswith' | 'endswith';
    this.expectPunct('(');
    const property = this.take();
    if (property.kind !== 'name') throw new FilterSyntaxError(`${fn} expects a property at position ${property.at}`);
    this.expectPunct(',');
    const value = this.take();
    if (value.kind !== 'literal' || value.literal.kind !== 'string') throw new FilterSyntaxError(`${fn} expects a string at position ${value.at}`);
    this.expectPunct(')');
    return { kind: 'text', fn, property: property.value, value: value.literal.value };
  }

  private parseIn(): FilterNode {
    const negate = IN_FUNCTIONS.get((this.take() as { value: string }).value) as boolean;
    this.expectPunct('(');
    let property: string | undefined;
    let values: Literal[] | undefined;
    for (let i = 0; i < 2; i++) {
      const name = this.take();
      if (name.kind !== 'name') throw new FilterSyntaxError(`expected a parameter name at position ${name.at}`);
      this.expectPunct('=');
      if (name.value === 'PropertyName') {
        const value = this.take();
        if (value.kind !== 'literal' || value.literal.kind !== 'string') throw new FilterSyntaxError('PropertyName expects a string');
        property = value.literal.value;
      } else if (name.value === 'PropertyValues') {
        values = this.parseList();
      } else {
        throw new FilterSyntaxError(`unknown parameter '${name.value}'`);
      }
      if (i === 0) this.expectPunct(',');
    }
    this.expectPunct(')');
    if (property === undefined || values === undefined) throw new FilterSyntaxError('In needs PropertyName and PropertyValues');
    return { kind: 'in', negate, property, values };
  }

  private parseList(): Literal[] {
    this.expectPunct('[');
    const values: Literal[] = [];
    while (true) {
      const t = this.take();
      if (t.kind === 'punct' && t.value === ']' && values.length === 0) return values;
      if (t.kind !== 'literal') throw new FilterSyntaxError(`expected a literal at position ${t.at}`);
      values.push(t.literal);
      const sep = this.take();
      if (sep.kind === 'punct' && sep.value === ']') return values;
      if (sep.kind !== 'punct' || sep.value !== ',') throw new FilterSyntaxError(`expected ',' or ']' at position ${sep.at}`);
    }
  }
}

/** Parses a `$filter` expression; throws FilterSyntaxError with a position on bad syntax. */
export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

/** Every property a filter reads, for validation against the table ("Query data using the Web API"). */
export function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.operand);
    case 'compare':
      return [node.left, node.right].flatMap((o) => (o.kind === 'property' ? [o.name] : []));
    case 'text':
    case 'in':
      return [node.property];
  }
}
