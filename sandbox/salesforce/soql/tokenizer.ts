/**
 * SOQL tokens (SOQL and SOSL Reference): identifiers (with dotted paths), single-quoted strings
 * with backslash escapes, numbers, unquoted date and dateTime literals, comparison operators.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value of a string literal. */
  value: string;
  offset: number;
}

/** A SOQL error with the position Salesforce reports (`ERROR at Row:R:Column:C`). */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    readonly detail: string,
    readonly offset: number,
  ) {
    super(detail);
    this.name = 'SoqlError';
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w-])/;
// Relative date literals carry their parameter: LAST_N_DAYS:30.
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?::\d+)?/;
const OPS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      const { value, end } = readString(soql, i);
      tokens.push({ kind: 'string', text: soql.slice(i, end), value, offset: i });
      i = end;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, value: c, offset: i });
      i += 1;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, offset: i });
      i += op.length;
      continue;
    }
    const match = DATETIME.exec(rest) ?? DATE.exec(rest) ?? NUMBER.exec(rest) ?? IDENT.exec(rest);
    if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${c}'`, i);
    const text = match[0];
    const kind: TokenKind = DATETIME.test(rest) ? 'datetime' : DATE.test(rest) ? 'date' : NUMBER.test(rest) ? 'number' : 'ident';
    tokens.push({ kind, text, value: text, offset: i });
    i += text.length;
  }
  tokens.push({ kind: 'eof', text: '', value: '', offset: soql.length });
  return tokens;
}

/** A string literal; `\%` and `\_` stay escaped so LIKE can tell them from wildcards. */
function readString(soql: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (c === '\\') {
      const next = soql[i + 1];
      const decoded = next === undefined ? undefined : ESCAPES[next];
      if (decoded === undefined) throw new SoqlError('MALFORMED_QUERY', 'Invalid string literal: illegal escape sequence', i);
      value += decoded;
      i += 2;
      continue;
    }
    if (c === "'") return { value, end: i + 1 };
    value += c;
    i += 1;
  }
  throw new SoqlError('MALFORMED_QUERY', 'unexpected token: <EOF>: missing closing quote', start);
}

/** The message Salesforce builds around a query error (`\n<query>\n   ^\nERROR at Row:..`). */
export function formatSoqlMessage(soql: string, error: SoqlError): string {
  const before = soql.slice(0, error.offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = error.offset - lineStart + 1;
  const lineEnd = soql.indexOf('\n', error.offset);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${error.detail}`;
}
