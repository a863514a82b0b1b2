/**
 * The `Prefer` header: one header, comma-joined, with quoted values that may hold commas
 * themselves (`odata.include-annotations="A,B"`) (Dataverse developer guide, "Compose HTTP
 * requests and handle errors" and the pages on paging, change tracking and `$batch`).
 */

export interface Preferences {
  returnRepresentation: boolean;
  maxPageSize: number | null;
  /** The raw annotation filter, e.g. `*` or `OData.Community.Display.V1.FormattedValue`. */
  includeAnnotations: string | null;
  trackChanges: boolean;
  continueOnError: boolean;
}

function splitOutsideQuotes(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

const unquote = (value: string): string => value.replace(/^"(.*)"$/, '$1');

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const prefs: Preferences = { returnRepresentation: false, maxPageSize: null, includeAnnotations: null, trackChanges: false, continueOnError: false };
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const item of splitOutsideQuotes(text)) {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : unquote(item.slice(eq + 1).trim());
    if (name === 'return' && value === 'representation') prefs.returnRepresentation = true;
    else if (name === 'odata.maxpagesize') prefs.maxPageSize = Number.parseInt(value, 10) || null;
    else if (name === 'odata.include-annotations') prefs.includeAnnotations = value;
    else if (name === 'odata.track-changes') prefs.trackChanges = true;
    else if (name === 'odata.continue-on-error') prefs.continueOnError = true;
  }
  return prefs;
}

/** Whether an annotation name passes the include-annotations filter (`*`, `Prefix.*`, exact names). */
export function annotationFilter(spec: string | null): (name: string) => boolean {
  if (!spec) return () => false;
  const patterns = spec.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  return (name) =>
    patterns.some((p) => {
      if (p === '*') return true;
      if (p.endsWith('*')) return name.startsWith(p.slice(0, -1));
      return name === p;
    });
}
