/**
 * What the CRM can hold, from its describe: a value longer than the field allows is cut (at the
 * unit both CRMs count, UTF-16 code units, never inside a character), and an empty value is never
 * written into a field the CRM requires (the record keeps its last value). Each change is said
 * in a note for the record's history. Pure, so every rule is unit-tested.
 */
import type { CrmFieldDescription, FieldValue } from '../domain/crm-record.js';

export type FieldDescriptions = ReadonlyMap<string, CrmFieldDescription>;

const TEXT_TYPES = new Set<CrmFieldDescription['type']>(['string', 'textarea', 'picklist']);

/** Cuts `text` to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function cutToUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  // A high surrogate at the edge would be left without its pair: cut before it.
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

const isEmpty = (v: FieldValue | undefined): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Whether a value read back from the CRM is what the CRM would hold for `written` (a cut text). */
export function fitsAs(written: unknown, read: unknown, field: CrmFieldDescription | undefined): boolean {
  if (field?.length === null || field?.length === undefined || typeof written !== 'string' || typeof read !== 'string') return false;
  return written.length > field.length && cutToUnits(written, field.length) === read;
}

export function fitToCrm(args: {
  fields: Readonly<Record<string, FieldValue>>;
  described: FieldDescriptions;
  mode: 'create' | 'update';
}): { fields: Record<string, FieldValue>; notes: string[] } {
  const fields: Record<string, FieldValue> = {};
  const notes: string[] = [];
  for (const [path, value] of Object.entries(args.fields)) {
    const field = args.described.get(path);
    if (field === undefined) {
      fields[path] = value;
      continue;
    }
    if (args.mode === 'update' && field.required && isEmpty(value)) {
      notes.push(`${path} kept its value: the CRM requires one and the other side has none`);
      continue;
    }
    if (typeof value === 'string' && TEXT_TYPES.has(field.type) && field.length !== null && value.length > field.length) {
      fields[path] = cutToUnits(value, field.length);
      notes.push(`${path} cut to ${field.length} characters, the most the CRM holds (was ${value.length})`);
      continue;
    }
    fields[path] = value;
  }
  return { fields, notes };
}
