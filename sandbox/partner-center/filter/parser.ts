/**
 * Recursive-descent parser for the `$filter` subset Partner Center documents (Partner Center docs, "Get a list of referrals"):
 *
 *   expr       := orExpr
 *   orExpr     := andExpr ('or' andExpr)*
 *   andExpr    := unary ('and' unary)*
 *   unary      := 'not' unary | primary
 *   primary    := '(' expr ')' | path '/any(' ident ':' expr ')' | path op literal
 *   path       := ident ('/' ident)*
 *   op         := eq | ne | gt | ge | lt | le
 */
import { FilterSyntaxError, tokenize, type Token } from './tokenizer.js';

export const COMPARISON_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'datetime'; value: string };

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'compare'; op: ComparisonOperator; path: string[]; value: Literal }
  | { kind: 'any'; path: string[]; variable: string; predicate: FilterExpr };

export function parseFilter(input: string): FilterExpr {
  const parser = new Parser(tokenize(input));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): FilterExpr {
    let left = this.andExpression();
    while (this.acceptWord('or')) left = { kind: 'or', left, right: this.andExpression() };
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw new FilterSyntaxError('unexpected trailing input', token.pos);
  }

  private andExpression(): FilterExpr {
    let left = this.unary();
    while (this.acceptWord('and')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): FilterExpr {
    if (this.acceptWord('not')) return { kind: 'not', operand: this.unary() };
    return this.primary();
  }

  private primary(): FilterExpr {
    if (this.acceptPunct('(')) {
      const inner = this.expression();
      this.expectPunct(')');
      return inner;
    }
    const path = [this.expectIdent()];
    while (this.acceptPunct('/')) {
      const segment = this.expectIdent();
      if (segment === 'any' && this.peekPunct('(')) return this.lambda(path);
      path.push(segment);
    }
    const opToken = this.peek();
    const op = this.expectIdent();
    if (!isOperator(op)) throw new FilterSyntaxError(`unknown operator '${op}'`, opToken.pos);
    return { kind: 'compare', op, path, value: this.literal() };
  }

  private lambda(path: string[]): FilterExpr {
    this.expectPunct('(');
    const variable = this.expectIdent();
    this.expectPunct(':');
    const predicate = this.expression();
    this.expectPunct(')');
    return { kind: 'any', path, variable, predicate };
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { type: 'string', value: token.value };
      case 'number':
        return { type: 'number', value: token.value };
      case 'datetime':
        return { type: 'datetime', value: token.value };
      case 'keyword':
        return token.value === 'null' ? { type: 'null' } : { type: 'boolean', value: token.value === 'true' };
      default:
        throw new FilterSyntaxError('expected a literal', token.pos);
    }
  }

  private peek(): Token {
    // The tokenizer always ends the list with an 'end' token, so the last one is a safe fallback.
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'ident' && token.value === word) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private peekPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private acceptPunct(value: string): boolean {
    if (!this.peekPunct(value)) return false;
    this.index += 1;
    return true;
  }

  private expectPunct(value: string): void {
    const token = this.peek();
    if (!this.acceptPunct(value)) throw new FilterSyntaxError(`expected '${value}'`, token.pos);
  }

  private expectIdent(): string {
    const token = this.next();
    if (token.kind !== 'ident') throw new FilterSyntaxError('expected a property name or operator', token.pos);
    return token.value;
  }
}

function isOperator(word: string): word is ComparisonOperator {
  return (COMPARISON_OPERATORS as readonly string[]).includes(word);
}
