/**
 * Turns a rule's `transform:` entry into a Transform, by name. Each name takes its own options;
 * problems come back with the document path below the rule, for the loader to position.
 */
import { z } from 'zod';
import { describeType, type PathType } from '../referral-paths.js';
import { parseOnce } from '../../../src/core/parse-once.js';
import { DATE_ANCHORS, dateOnlyTransform, dateTimeTransform, isKnownTimeZone } from './dates.js';
import { solutionListTransform } from './lists.js';
import { MEMBER_FIELDS, membersTransform } from './members.js';
import {
  booleanTransform,
  countryTransform,
  currencyTransform,
  moneyTransform,
  numberTransform,
  textTransform,
} from './scalars.js';
import type { Transform } from './transform.js';
import { valueMapTransform, type MapScalar } from './value-map.js';

export type DocPath = (string | number)[];
export interface LocalProblem {
  at: DocPath;
  message: string;
  /** Point at the key named last in `at` (an unknown key, a transform name) rather than its value. */
  key?: boolean;
}

export const TRANSFORM_NAMES = [
  'text',
  'number',
  'money',
  'boolean',
  'currency',
  'country',
  'dateTime',
  'dateOnly',
  'list',
  'valueMap',
  'members',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const OPTION_SCHEMAS = {
  dateOnly: z.strictObject({ anchor: z.enum(DATE_ANCHORS).default('orgMidnight'), timeZone: z.string().optional() }),
  list: z.strictObject({ separator: z.string().min(1).default(';') }),
  country: z.strictObject({ as: z.enum(['code', 'name']).default('code') }),
  valueMap: z.strictObject({
    fromCrm: z.record(z.string(), scalar),
    toCrm: z.record(z.string(), scalar).default({}),
    pairWith: z
      .strictObject({ field: z.string().min(1), values: z.record(z.string(), scalar), onCreate: z.boolean().default(true) })
      .optional(),
  }),
  members: z.strictObject({
    rows: z.boolean().default(false),
    primaryField: z.string().min(1).optional(),
    fields: z.partialRecord(z.enum(MEMBER_FIELDS), z.string().min(1)),
  }),
} as const;
export type ValueMapRaw = z.infer<(typeof OPTION_SCHEMAS)['valueMap']>;

const DEFAULT_FOR: Partial<Record<PathType['kind'], string>> = {
  string: 'text',
  enum: 'text',
  status: 'text',
  number: 'number',
  boolean: 'boolean',
  dateTime: 'dateTime',
  currency: 'currency',
  country: 'country',
  solutions: 'list',
};

const toMap = (r: Record<string, MapScalar>): Map<string, MapScalar> => new Map(Object.entries(r));

/** The transform a rule names (or the default for its path type), or the problems that stop it. */
export function parseTransform(args: { raw: unknown; crm: string; type: PathType }): {
  transform: Transform | null;
  valueMap: ValueMapRaw | null;
  problems: LocalProblem[];
} {
  const { raw, crm, type } = args;
  // A problem with the transform as a whole points at its name.
  const fail = (at: DocPath, message: string) => ({
    transform: null,
    valueMap: null,
    problems: [{ at, message, key: at.length === 2 && at[0] === 'transform' }],
  });
  let name: string;
  let options: unknown = undefined;
  let at: DocPath = ['transform'];
  if (raw === undefined) {
    const fallback = DEFAULT_FOR[type.kind];
    if (!fallback) return fail(['referral'], `a rule for ${describeType(type)} needs a transform (members)`);
    name = fallback;
  } else if (typeof raw === 'string') {
    name = raw;
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 1) {
    const [key, value] = Object.entries(raw)[0] as [string, unknown];
    name = key;
    options = value;
    at = ['transform', key];
  } else {
    return fail(['transform'], 'a transform is a name (number) or one name with options ({ dateOnly: { anchor: orgNoon } })');
  }
  if (!(TRANSFORM_NAMES as readonly string[]).includes(name)) {
    return fail(at, `unknown transform '${name}' (known: ${TRANSFORM_NAMES.join(', ')})`);
  }
  const schema = (OPTION_SCHEMAS as Record<string, z.ZodType>)[name];
  if (!schema && options !== undefined && options !== null) return fail(at, `transform '${name}' takes no options`);
  const parsed = schema ? parseOnce(schema, options ?? {}) : { success: true as const, data: {} };
  if (!parsed.success) {
    return {
      transform: null,
      valueMap: null,
      problems: parsed.error.issues.map((i) => ({ at: [...at, ...(i.path as (string | number)[])], message: `${name}: ${i.message}` })),
    };
  }
  if (name === 'members' && Object.keys((parsed.data as { fields: object }).fields).length === 0) {
    return fail([...at, 'fields'], `members: name at least one of ${MEMBER_FIELDS.join(', ')}`);
  }
  const transform = build({ name, options: parsed.data, crm });
  if (!transform.accepts(type)) {
    return fail(at, `transform '${name}' does not yield ${describeType(type)}, which the referral path needs`);
  }
  if (name === 'dateOnly') {
    const zone = (parsed.data as { timeZone?: string }).timeZone;
    if (zone !== undefined && !isKnownTimeZone(zone)) return fail([...at, 'timeZone'], `unknown time zone '${zone}'`);
  }
  return { transform, valueMap: name === 'valueMap' ? (parsed.data as ValueMapRaw) : null, problems: [] };
}

function build(args: { name: string; options: unknown; crm: string }): Transform {
  const { crm } = args;
  switch (args.name) {
    case 'number':
      return numberTransform(crm);
    case 'money':
      return moneyTransform(crm);
    case 'boolean':
      return booleanTransform(crm);
    case 'currency':
      return currencyTransform(crm);
    case 'country':
      return countryTransform(crm, (args.options as { as?: 'code' | 'name' }).as ?? 'code');
    case 'dateTime':
      return dateTimeTransform(crm);
    case 'dateOnly': {
      const o = args.options as z.infer<(typeof OPTION_SCHEMAS)['dateOnly']>;
      return dateOnlyTransform({ crm, anchor: o.anchor, timeZone: o.timeZone ?? null });
    }
    case 'list': {
      const o = args.options as z.infer<(typeof OPTION_SCHEMAS)['list']>;
      return solutionListTransform({ crm, separator: o.separator });
    }
    case 'valueMap': {
      const o = args.options as ValueMapRaw;
      return valueMapTransform({
        crm,
        fromCrm: toMap(o.fromCrm),
        toCrm: toMap(o.toCrm),
        pairWith: o.pairWith ? { field: o.pairWith.field, values: toMap(o.pairWith.values), onCreate: o.pairWith.onCreate } : null,
      });
    }
    case 'members': {
      const o = args.options as z.infer<(typeof OPTION_SCHEMAS)['members']>;
      return membersTransform({ crm, rows: o.rows, fields: o.fields, primaryField: o.primaryField ?? null });
    }
    default:
      return textTransform(crm);
  }
}
