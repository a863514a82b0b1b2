/**
 * Country names <-> ISO 3166-1 alpha-2 codes through i18n-iso-countries: codes ('DE'), alpha-3
 * codes ('DEU'), English names and their common variants ('United States of America', 'USA',
 * 'UK', 'The Netherlands') and names in the languages orgs are often kept in ('Deutschland',
 * 'Allemagne'). Loaded on first use: the library's default entry reads every locale (0.4 s).
 */
import { createRequire } from 'node:module';
import type * as Countries from 'i18n-iso-countries';

/** Languages whose country names are recognised, English first (it wins a clash). */
const LANGS = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'no', 'fi', 'pl'] as const;

interface Lookup {
  lib: typeof Countries;
  byName: Map<string, string>;
}

let lookup: Lookup | null = null;

/** Case, accents, punctuation and a leading "the" do not matter: 'the netherlands' is 'Netherlands'. */
const normalise = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’()]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');

function load(): Lookup {
  if (lookup) return lookup;
  const require = createRequire(import.meta.url);
  const lib = require('i18n-iso-countries/index.js') as typeof Countries;
  const byName = new Map<string, string>();
  for (const lang of LANGS) {
    lib.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as Countries.LocaleData);
    for (const [code, names] of Object.entries(lib.getNames(lang, { select: 'all' }))) {
      for (const name of names) {
        const key = normalise(name);
        if (!byName.has(key)) byName.set(key, code);
      }
    }
  }
  return (lookup = { lib, byName });
}

/** Loads the country names now instead of on first use (a daemon, before its first referral). */
export function loadCountryNames(): void {
  load();
}

/** The alpha-2 code of a code, alpha-3 code or country name, or null when none is known. */
export function countryCodeOf(value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  const { lib, byName } = load();
  if (/^[A-Za-z]{2}$/.test(text) && lib.isValid(text.toUpperCase())) return text.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(text)) {
    const code = lib.alpha3ToAlpha2(text.toUpperCase());
    if (code) return code;
  }
  return byName.get(normalise(text)) ?? null;
}

/** The English name of an alpha-2 code ('DE' -> 'Germany'), or null for an unknown code. */
export function countryNameOf(code: string): string | null {
  return load().lib.getName(code.toUpperCase(), 'en', { select: 'official' }) ?? null;
}
