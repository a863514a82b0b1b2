/**
 * Scalar transforms: text, numbers (0 is a value), money rounded to the currency's minor unit,
 * booleans, ISO currency and country codes.
 */
import type { PathType } from '../referral-paths.js';
import { countryCodeOf, countryNameOf } from './countries.js';
import { problem, scalarTransform, type Transform } from './transform.js';

/** Minor units per ISO 4217 where they differ from 2 (the default). */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4,
};

export const minorUnits = (currency: string | null): number => (currency ? (MINOR_UNITS[currency] ?? 2) : 2);

const kindIs =
  (...kinds: PathType['kind'][]) =>
  (type: PathType): boolean =>
    kinds.includes(type.kind);

export function textTransform(crm: string): Transform {
  return scalarTransform({
    name: 'text',
    crm,
    describe: 'text',
    accepts: kindIs('string', 'enum', 'status'),
    toCanonical: (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : problem(`not text: ${JSON.stringify(v)}`)),
    toCrm: (v) => (typeof v === 'string' ? v : problem(`not text: ${JSON.stringify(v)}`)),
  });
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Partner Center's own "Update a referral" sample sends dealValue as a string, so accept numeric text.
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function numberTransform(crm: string): Transform {
  return scalarTransform({
    name: 'number',
    crm,
    describe: 'number (0 is a value)',
    accepts: kindIs('number'),
    toCanonical: (v) => toNumber(v) ?? problem(`not a number: ${JSON.stringify(v)}`),
    toCrm: (v) => toNumber(v) ?? problem(`not a number: ${JSON.stringify(v)}`),
  });
}

/**
 * Rounds half away from zero at the currency's minor unit. Shifting through the decimal exponent
 * avoids float noise (1.005 * 100 = 100.49999...).
 */
export function roundMoney(value: number, currency: string | null): number {
  const digits = minorUnits(currency);
  const shifted = Math.round(Number(`${Math.abs(value)}e${digits}`));
  const rounded = Math.sign(value) * Number(`${shifted}e-${digits}`);
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function moneyTransform(crm: string): Transform {
  const convert = (v: unknown, currency: string | null): number | ReturnType<typeof problem> => {
    const n = toNumber(v);
    return n === null ? problem(`not an amount: ${JSON.stringify(v)}`) : roundMoney(n, currency);
  };
  return scalarTransform({
    name: 'money',
    crm,
    describe: "amount rounded to the currency's minor unit (0 is a value)",
    accepts: kindIs('number'),
    toCanonical: (v, env) => convert(v, env.currency),
    toCrm: (v, env) => convert(v, env.currency),
  });
}

export function booleanTransform(crm: string): Transform {
  const convert = (v: unknown): boolean | ReturnType<typeof problem> => {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return problem(`not a yes/no value: ${JSON.stringify(v)}`);
  };
  return scalarTransform({ name: 'boolean', crm, describe: 'yes/no', accepts: kindIs('boolean'), toCanonical: convert, toCrm: convert });
}

function codeTransform(args: { name: string; crm: string; length: number; what: string; kind: PathType['kind'] }): Transform {
  const pattern = new RegExp(`^[A-Za-z]{${args.length}}$`);
  const convert = (v: unknown): string | ReturnType<typeof problem> =>
    typeof v === 'string' && pattern.test(v.trim()) ? v.trim().toUpperCase() : problem(`not ${args.what}: ${JSON.stringify(v)}`);
  return scalarTransform({
    name: args.name,
    crm: args.crm,
    describe: args.what,
    accepts: kindIs(args.kind),
    toCanonical: convert,
    toCrm: convert,
  });
}

export const currencyTransform = (crm: string): Transform =>
  codeTransform({ name: 'currency', crm, length: 3, what: 'an ISO 4217 currency code', kind: 'currency' });

/**
 * Countries: the canonical value is the ISO 3166-1 alpha-2 code. Read from the CRM, a code or a
 * country name (`Germany`, `USA`, `Deutschland`) becomes the code; written, the code, or with
 * `as: name` the English name, for orgs that keep names in a free-text field.
 */
export function countryTransform(crm: string, as: 'code' | 'name' = 'code'): Transform {
  const toCode = (v: unknown): string | ReturnType<typeof problem> => {
    const code = typeof v === 'string' ? countryCodeOf(v) : null;
    return code ?? problem(`not a country: ${JSON.stringify(v)} is neither an ISO 3166 code nor a country name known in English or the main European languages; write the ISO code or the English name`);
  };
  return scalarTransform({
    name: 'country',
    crm,
    describe: as === 'name' ? 'country name <-> ISO 3166-1 alpha-2 code' : 'ISO 3166-1 alpha-2 country code (names read as their code)',
    accepts: kindIs('country'),
    toCanonical: toCode,
    toCrm: (v) => {
      const code = toCode(v);
      return typeof code !== 'string' || as === 'code' ? code : (countryNameOf(code) ?? code);
    },
  });
}
