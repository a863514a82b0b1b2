/**
 * Splits the part of a URL after `/api/data/v9.x/` into segments such as
 * `opportunities(cosell_referralid='a/b''c')` and `$ref`, honouring quotes inside keys (Dataverse developer guide, "Update and delete table rows using the Web API", "Use an alternate key to reference a record").
 */

export interface Segment {
  name: string;
  /** The raw text between the parentheses, if any. */
  key?: string;
}

export class PathSyntaxError extends Error {}

export function parseResourcePath(text: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    let name = '';
    while (i < text.length && text[i] !== '(' && text[i] !== '/') name += text[i++];
    const segment: Segment = { name };
    if (text[i] === '(') {
      const start = ++i;
      let quoted = false;
      while (i < text.length && (quoted || text[i] !== ')')) {
        if (text[i] === "'") quoted = !quoted;
        i++;
      }
      if (i >= text.length) throw new PathSyntaxError(`unclosed '(' in segment '${name}'`);
      segment.key = text.slice(start, i);
      i++;
    }
    segments.push(segment);
    if (i < text.length && text[i] !== '/') throw new PathSyntaxError(`unexpected '${text[i]}' after segment '${name}'`);
    i++;
  }
  return segments;
}

export type KeyPart = { name: string; value: string | number };
export type ParsedKey = { kind: 'guid'; id: string } | { kind: 'pairs'; pairs: KeyPart[] };

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

function parseKeyValue(raw: string): string | number {
  const text = raw.trim();
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new PathSyntaxError(`unterminated key value ${text}`);
    // A doubled quote inside the key is one quote ("Use an alternate key to reference a record").
    return text.slice(1, -1).replace(/''/g, "'");
  }
  const guid = GUID.exec(text);
  if (guid) return (guid[1] as string).toLowerCase();
  const n = Number(text);
  if (text !== '' && Number.isFinite(n)) return n;
  throw new PathSyntaxError(`invalid key value ${text}`);
}

/** `(guid)`, `(opportunityid=guid)`, `(k='v')` or a multi-part key ("Update and delete table rows using the Web API"). */
export function parseKey(raw: string): ParsedKey {
  const guid = GUID.exec(raw.trim());
  if (guid) return { kind: 'guid', id: (guid[1] as string).toLowerCase() };
  const pairs: KeyPart[] = [];
  let i = 0;
  while (i < raw.length) {
    const eq = raw.indexOf('=', i);
    if (eq < 0) throw new PathSyntaxError(`invalid key '${raw}'`);
    const name = raw.slice(i, eq).trim();
    let j = eq + 1;
    let quoted = false;
    while (j < raw.length && (quoted || raw[j] !== ',')) {
      if (raw[j] === "'") quoted = !quoted;
      j++;
    }
    pairs.push({ name, value: parseKeyValue(raw.slice(eq + 1, j)) });
    i = j + 1;
  }
  if (pairs.length === 0) throw new PathSyntaxError('empty key');
  return { kind: 'pairs', pairs };
}
