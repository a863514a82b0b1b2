/** Tokens of `$filter`: literals are recognised here so the parser never guesses (Dataverse developer guide, "Filter rows using OData"). */
import type { Literal } from './filter-ast.js';

export type Token =
  | { kind: 'literal'; literal: Literal; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'punct'; value: '(' | ')' | ',' | '[' | ']' | '='; at: number }
  | { kind: 'end'; at: number };

export class FilterSyntaxError extends Error {}

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:-])/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![\w-])/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.]*(\/[A-Za-z_][A-Za-z0-9_]*)*/;

/** DateTimeOffset literal to `YYYY-MM-DDTHH:MM:SSZ`; fractions are dropped, like the service's one-second resolution ("Filter rows using OData"). */
function normaliseDateTime(match: RegExpExecArray): string {
  const [, date, hh, mm, ss = '00', , zone = 'Z'] = match;
  const at = new Date(`${date}T${hh}:${mm}:${ss}${zone}`);
  if (Number.isNaN(at.getTime())) throw new FilterSyntaxError(`invalid datetime literal '${match[0]}'`);
  return `${at.toISOString().slice(0, 19)}Z`;
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      // A doubled quote is one literal quote ("Filter rows using OData").
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new FilterSyntaxError(`unterminated string literal at position ${start}`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ('(),[]='.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch as '(' | ')' | ',' | '[' | ']' | '=', at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ kind: 'literal', literal: { kind: 'string', value }, at: i });
      i = end;
      continue;
    }
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = DATETIME.exec(rest))) {
      tokens.push({ kind: 'literal', literal: { kind: 'datetime', value: normaliseDateTime(m) }, at: i });
    } else if ((m = GUID.exec(rest))) {
      tokens.push({ kind: 'literal', literal: { kind: 'guid', value: m[0].toLowerCase() }, at: i });
    } else if ((m = DATE.exec(rest))) {
      tokens.push({ kind: 'literal', literal: { kind: 'date', value: m[0] }, at: i });
    } else if ((m = NUMBER.exec(rest))) {
      tokens.push({ kind: 'literal', literal: { kind: 'number', value: Number.parseFloat(m[0]) }, at: i });
    } else if ((m = NAME.exec(rest))) {
      tokens.push(nameToken(m[0], i));
    } else {
      throw new FilterSyntaxError(`unexpected character '${ch}' at position ${i}`);
    }
    i += m[0].length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

function nameToken(word: string, at: number): Token {
  if (word === 'null') return { kind: 'literal', literal: { kind: 'null' }, at };
  if (word === 'true' || word === 'false') return { kind: 'literal', literal: { kind: 'boolean', value: word === 'true' }, at };
  return { kind: 'name', value: word, at };
}
