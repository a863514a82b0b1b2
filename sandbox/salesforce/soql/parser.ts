import type { CompareOp, Condition, FieldRef, Literal, OrderItem, Query, SelectItem, SubQuery } from './ast.js';
import { SoqlError, tokenize, type Token } from './tokenizer.js';

const RELATIVE_DATE = /^(TODAY|YESTERDAY|TOMORROW|(LAST|NEXT)_N_DAYS:\d+)$/i;
const RESERVED = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'in', 'like', 'order', 'by', 'limit', 'offset', 'asc', 'desc', 'nulls', 'null', 'true', 'false', 'group', 'having']);

/** Parses SOQL by recursive descent; errors carry the offset for the MALFORMED_QUERY message. */
export function parseSoql(soql: string): Query {
  return new Parser(tokenize(soql)).query();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): Query {
    this.keyword('select');
    let count = false;
    let select: SelectItem[] = [];
    if (this.isKeyword('count') && this.peek(1).kind === '(' && this.peek(2).kind === ')') {
      this.i += 3;
      count = true;
    } else {
      select = this.selectList(true);
    }
    this.keyword('from');
    const fromToken = this.ident();
    const q: Query = { count, select, from: fromToken.text, fromOffset: fromToken.offset, orderBy: [] };
    if (this.acceptKeyword('where')) q.where = this.condition();
    if (this.isKeyword('order')) q.orderBy = this.orderBy();
    if (this.acceptKeyword('limit')) q.limit = this.integer();
    if (this.acceptKeyword('offset')) q.offsetRows = this.integer();
    this.expectEnd();
    return q;
  }

  private subquery(offset: number): SubQuery {
    this.keyword('select');
    const fields = this.selectList(false) as FieldRef[];
    this.keyword('from');
    const rel = this.ident();
    const sub: SubQuery = { kind: 'subquery', fields, relationship: rel.text, relationshipOffset: rel.offset, orderBy: [], offset };
    if (this.acceptKeyword('where')) sub.where = this.condition();
    if (this.isKeyword('order')) sub.orderBy = this.orderBy();
    if (this.acceptKeyword('limit')) sub.limit = this.integer();
    return sub;
  }

  private selectList(allowSubqueries: boolean): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      const t = this.peek();
      if (t.kind === '(' && allowSubqueries) {
        this.i += 1;
        items.push(this.subquery(t.offset));
        this.expect(')');
      } else {
        items.push(this.field());
      }
    } while (this.accept(','));
    return items;
  }

  /** OR binds loosest; SOQL refuses AND and OR mixed without parentheses. */
  private condition(): Condition {
    const first = this.unary();
    const op = this.isKeyword('and') ? 'and' : this.isKeyword('or') ? 'or' : undefined;
    if (!op) return first;
    const items = [first];
    while (this.acceptKeyword(op)) items.push(this.unary());
    const other = op === 'and' ? 'or' : 'and';
    if (this.isKeyword(other)) throw this.unexpected();
    return op === 'and' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('not')) return { kind: 'not', item: this.unary() };
    if (this.accept('(')) {
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.field();
    if (this.acceptKeyword('like')) return { kind: 'like', field, pattern: this.literal() };
    const negated = this.isKeyword('not') && this.peek(1).kind === 'ident' && this.peek(1).text.toLowerCase() === 'in';
    if (negated) this.i += 1;
    if (this.acceptKeyword('in')) {
      this.expect('(');
      const values = [this.literal()];
      while (this.accept(',')) values.push(this.literal());
      this.expect(')');
      return { kind: 'in', field, negated, values };
    }
    const t = this.peek();
    if (t.kind !== 'op') throw this.unexpected();
    this.i += 1;
    const op = (t.text === '<>' ? '!=' : t.text) as CompareOp;
    return { kind: 'compare', field, op, value: this.literal() };
  }

  private orderBy(): OrderItem[] {
    this.keyword('order');
    this.keyword('by');
    const items: OrderItem[] = [];
    do {
      const field = this.field();
      const descending = this.acceptKeyword('desc') ? true : (this.acceptKeyword('asc'), false);
      let nullsLast = descending;
      if (this.acceptKeyword('nulls')) {
        if (this.acceptKeyword('last')) nullsLast = true;
        else {
          this.keyword('first');
          nullsLast = false;
        }
      }
      items.push({ field, descending, nullsLast });
    } while (this.accept(','));
    return items;
  }

  private literal(): Literal {
    const t = this.peek();
    this.i += 1;
    switch (t.kind) {
      case 'string':
        return { kind: 'string', text: t.value, offset: t.offset };
      case 'number':
        return { kind: 'number', text: t.text, offset: t.offset };
      case 'date':
        return { kind: 'date', text: t.text, offset: t.offset };
      case 'datetime':
        return { kind: 'datetime', text: t.text, offset: t.offset };
      case 'ident': {
        const lower = t.text.toLowerCase();
        if (lower === 'null') return { kind: 'null', text: 'null', offset: t.offset };
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', text: lower, offset: t.offset };
        if (RELATIVE_DATE.test(t.text)) return { kind: 'relativeDate', text: t.text.toUpperCase(), offset: t.offset };
        break;
      }
      default:
        break;
    }
    this.i -= 1;
    throw this.unexpected();
  }

  private field(): FieldRef {
    const t = this.ident();
    return { kind: 'field', path: t.text.split('.'), offset: t.offset };
  }

  private ident(): Token {
    const t = this.peek();
    if (t.kind !== 'ident' || RESERVED.has(t.text.toLowerCase())) throw this.unexpected();
    this.i += 1;
    return t;
  }

  private integer(): number {
    const t = this.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.unexpected();
    this.i += 1;
    return Number(t.text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i += 1;
    return true;
  }

  private keyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected();
  }

  private accept(kind: Token['kind']): boolean {
    if (this.peek().kind !== kind) return false;
    this.i += 1;
    return true;
  }

  private expect(kind: Token['kind']): void {
    if (!this.accept(kind)) throw this.unexpected();
  }

  private expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  private unexpected(): SoqlError {
    const t = this.peek();
    return new SoqlError('MALFORMED_QUERY', `unexpected token: ${t.kind === 'eof' ? '<EOF>' : `'${t.text}'`}`, t.offset);
  }
}
