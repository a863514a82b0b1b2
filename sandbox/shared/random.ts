/** Deterministic data from a seed (mulberry32), so every sandbox run with one seed is the same. */

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bool(p?: number): boolean;
  guid(): string;
  digits(n: number): string;
  companyName(): string;
  personName(): { first: string; last: string };
  city(): { city: string; state: string; postalCode: string; country: string };
  email(first: string, last: string, domain: string): string;
  phone(): string;
}

const PREFIXES = ['Contoso', 'Fabrikam', 'Northwind', 'Adatum', 'Tailspin', 'Woodgrove', 'Litware', 'Proseware', 'Wingtip', 'Lucerne', 'Alpine', 'Fourth Coffee', 'Margie', 'Relecloud', 'Trey', 'VanArsdel', 'Wide World', 'Humongous', 'Blue Yonder', 'Coho'];
const SUFFIXES = ['Ltd', 'Inc', 'GmbH', 'SA', 'Group', 'Holdings', 'Partners', 'Systems', 'Labs', 'Industries'];
const FIRST = ['Ana', 'Bruno', 'Chloé', 'Dmitri', 'Emma', 'Farah', 'Gustav', 'Hiro', 'Inès', 'Jonas', 'Kenji', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoë'];
const LAST = ['Alvarez', 'Becker', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Novak', 'Wójcik', 'Yilmaz'];
const CITIES = [
  { city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
  { city: 'Austin', state: 'TX', postalCode: '73301', country: 'US' },
  { city: 'Toronto', state: 'ON', postalCode: 'M5H 2N2', country: 'CA' },
  { city: 'London', state: '', postalCode: 'EC1A 1BB', country: 'GB' },
  { city: 'München', state: 'BY', postalCode: '80331', country: 'DE' },
  { city: 'Paris', state: '', postalCode: '75001', country: 'FR' },
  { city: 'Tokyo', state: '', postalCode: '100-0001', country: 'JP' },
  { city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
  { city: 'Bengaluru', state: 'KA', postalCode: '560001', country: 'IN' },
  { city: 'São Paulo', state: 'SP', postalCode: '01000-000', country: 'BR' },
];

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };
  const hex = (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    pick,
    bool: (p = 0.5) => next() < p,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`,
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
    companyName: () => `${pick(PREFIXES)} ${pick(SUFFIXES)}`,
    personName: () => ({ first: pick(FIRST), last: pick(LAST) }),
    city: () => ({ ...pick(CITIES) }),
    email: (first, last, domain) =>
      `${first}.${last}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z.]/g, '') + `@${domain}`,
    phone: () => `+1 555 ${int(100, 999)} ${int(1000, 9999)}`,
  };
}
