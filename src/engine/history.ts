/**
 * What the record history keeps of an engine event: the ids it concerns (from the engine's
 * record key), and the fields of a write with their values before and after, redacted like a log
 * line (contact fields by name, e-mail addresses and phone numbers inside any text).
 */
import { REDACTED, REDACT_KEYS, redactDeep } from '../logging/redaction.js';
import type { FieldChange, HistoryEntry } from '../store/history-types.js';
import type { Link } from '../store/types.js';
import { crmKey, referralKey } from './record-keys.js';
import type { PlannedWrite } from './types.js';

const KEYS: ReadonlySet<string> = new Set(REDACT_KEYS);

/** The CRM id or referral id a record key names: `salesforce:opportunity:006…`, `referral:<id>`. */
export function idsOfKey(key: string): Pick<HistoryEntry, 'crmId' | 'referralId'> {
  const parts = key.split(':');
  if (parts[0] === 'referral' && parts.length > 1) return { crmId: null, referralId: parts.slice(1).join(':') };
  if (parts.length > 2) return { crmId: parts.slice(2).join(':'), referralId: null };
  return { crmId: null, referralId: null };
}

/** A value as history may keep it: a contact field (by its last path segment) whole, else deep. */
export function redactField(field: string, value: unknown): unknown {
  const leaf = field.split('.').pop() ?? field;
  return KEYS.has(leaf) || KEYS.has(field) ? REDACTED : redactDeep(value, KEYS);
}

/** The field changes of the writes planned for one record. */
export function changesOf(plans: readonly PlannedWrite[]): FieldChange[] {
  return plans.flatMap((plan) =>
    Object.entries(plan.fields).map(([field, after]) => {
      const before = plan.before !== undefined && field in plan.before ? { before: redactField(field, plan.before[field]) } : {};
      return { field, target: plan.target, ...before, after: redactField(field, after) };
    }),
  );
}

/** The history entry of a held conflict resolved by a person: the value chosen, and where it went. */
export function resolutionEntry(args: { link: Link; path: string; take: 'crm' | 'partnerCenter' | 'value'; value: unknown; at: string }): HistoryEntry {
  const { link, path, take } = args;
  const key = link.crmId !== null ? crmKey(link.crmSystem, link.crmKind, link.crmId) : referralKey(link.referralId ?? link.id);
  const target = take === 'crm' ? 'partnerCenter' : take === 'partnerCenter' ? link.crmSystem : `partnerCenter+${link.crmSystem}`;
  return {
    at: args.at,
    runId: null,
    recordKey: key,
    crmId: link.crmId,
    referralId: link.referralId,
    event: 'resolved',
    action: 'resolve',
    detail: `conflict on ${path} resolved: took ${take === 'value' ? 'a value given by a person' : `the ${take === 'crm' ? 'CRM' : 'Partner Center'} value`}`,
    changes: path === '$deleted' ? [] : [{ field: path, target, before: redactField(path, link.snapshot[path]), after: redactField(path, args.value) }],
  };
}
