/**
 * Tokenizer for the OData `$filter` subset Partner Center documents (Partner Center docs, "Get a list of referrals").
 * Literals: 'quoted strings' ('' escapes a quote), numbers, true/false/null, and bare
 * ISO-8601 date-times or GUIDs, which OData writes without quotes.
 */

export type Token =
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'datetime'; value: string; pos: number }
  | { kind: 'keyword'; value: 'true' | 'false' | 'null'; pos: number }
  | { kind: 'punct'; value: '(' | ')' | '/' | ':' | ','; pos: number }
  | { kind: 'end'; pos: number };

/** A `$filter` the emulator cannot read; the API answers 400 invalidRequest with it. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const ch = input.charAt(pos);
    if (/\s/.test(ch)) {
      pos += 1;
      continue;
    }
    if ('()/:,'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch as '(' | ')' | '/' | ':' | ',', pos });
      pos += 1;
      continue;
    }
    if (ch === "'") {
      const { value, next } = readString(input, pos);
      tokens.push({ kind: 'string', value, pos });
      pos = next;
      continue;
    }
    const rest = input.slice(pos);
    const dt = DATETIME.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', value: dt[0], pos });
      pos += dt[0].length;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ kind: 'string', value: guid[0], pos });
      pos += guid[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), pos });
      pos += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      const word = ident[0];
      if (word === 'true' || word === 'false' || word === 'null') tokens.push({ kind: 'keyword', value: word, pos });
      else tokens.push({ kind: 'ident', value: word, pos });
      pos += word.length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${ch}'`, pos);
  }
  tokens.push({ kind: 'end', pos });
  return tokens;
}

function readString(input: string, start: number): { value: string; next: number } {
  let value = '';
  let pos = start + 1;
  while (pos < input.length) {
    const ch = input.charAt(pos);
    if (ch === "'") {
      if (input.charAt(pos + 1) === "'") {
        value += "'";
        pos += 2;
        continue;
      }
      return { value, next: pos + 1 };
    }
    value += ch;
    pos += 1;
  }
  throw new FilterSyntaxError('unterminated string literal', start);
}
