import type { FieldDef } from '../schema/field-def.js';
import { parseDate, parseDateTime } from './datetime.js';
import { requestError } from './sf-error.js';
import type { Value } from './table.js';

/**
 * Turns a JSON body value into the stored form. A value of the wrong JSON type fails the whole
 * request with JSON_PARSER_ERROR, as deserialisation does before any DML (Salesforce REST API Developer Guide, "Status Codes and Error Responses").
 */
export function coerceValue(def: FieldDef, raw: unknown): Value {
  if (raw === null || raw === undefined) return def.type === 'boolean' ? false : null;
  switch (def.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw parserError(def, raw);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n) || (def.type === 'int' && !Number.isInteger(n))) throw parserError(def, raw);
      return n;
    }
    case 'date': {
      const d = typeof raw === 'string' ? parseDate(raw.slice(0, 10)) : undefined;
      if (d === undefined || (typeof raw === 'string' && raw.length > 10 && parseDateTime(raw) === undefined)) throw parserError(def, raw);
      return d;
    }
    case 'datetime': {
      if (typeof raw !== 'string') throw parserError(def, raw);
      // A zone-less value is read as GMT.
      const ms = parseDateTime(/[zZ]|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : `${raw}Z`);
      if (ms === undefined) throw parserError(def, raw);
      return ms;
    }
    default:
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      throw parserError(def, raw);
  }
}

function parserError(def: FieldDef, raw: unknown): Error {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return requestError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${def.type} from VALUE_STRING value ${shown} or request may be missing a required field`,
  );
}
