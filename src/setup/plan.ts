/**
 * The setup plan: from what a mapping needs and what the org has, the steps that make the org fit
 * (fields, picklist values, the referral-id key, change tracking, field access) and what setup
 * will not change (an existing field of another type, a standard picklist's values). Pure: the
 * connectors read the org and carry the steps out.
 */
import type { CrmObjectKind, CrmSystem } from '../domain/crm-record.js';
import type { ExistingField, FieldNeed, ObjectSetupState, OrgSetupState, SetupAction, SetupPlan, SetupProblem } from '../domain/crm-setup.js';
import { describeNeed, fixFor } from './wording.js';

/** Where each CRM keeps what setup touches. */
export const SETUP_FACTS = {
  salesforce: {
    label: 'Salesforce',
    objects: { opportunity: 'Opportunity', lead: 'Lead' },
    /** Lookup paths the mappings read, and the object each leads to. */
    lookups: { Account: 'Account' } as Readonly<Record<string, string>>,
    /** Standard status picklists setup adds values to (the opportunity stages). */
    statusFields: ['Opportunity.StageName'] as readonly string[],
    keysAndTracking: false,
    /** Field access is granted through a permission set setup makes (and assigns when asked). */
    permissionSet: true,
    /** Inbound creates upsert on the referral-id field, which must be marked External ID. */
    externalIdFlag: true,
    /** Setup adds missing values to a custom picklist. */
    addsCustomPicklistValues: true,
    /** A new status value must say which state it belongs to. */
    statusValuesNeedState: false,
  },
  dynamics: {
    label: 'Dataverse',
    objects: { opportunity: 'opportunity', lead: 'lead' },
    lookups: { parentaccountid: 'account' } as Readonly<Record<string, string>>,
    statusFields: ['opportunity.statuscode', 'lead.statuscode'] as readonly string[],
    keysAndTracking: true,
    // Field access comes with the application user's security role; creates go by alternate key.
    permissionSet: false,
    externalIdFlag: false,
    addsCustomPicklistValues: false,
    // A status reason belongs to a state (Open, Won, Lost).
    statusValuesNeedState: true,
  },
} as const satisfies Record<CrmSystem, unknown>;

/** The permission set setup makes in Salesforce for the integration user's field access. */
export const PERMISSION_SET = { name: 'Cosell_Sync', label: 'cosell-sync integration' } as const;

/** The CRM objects a mapping's needs live on (what the connector must read). */
export function objectsToRead(system: CrmSystem, needs: readonly FieldNeed[]): string[] {
  const facts = SETUP_FACTS[system];
  const names = new Set<string>(Object.values(facts.objects));
  for (const need of needs) {
    const head = need.path.includes('.') ? need.path.split('.')[0] : undefined;
    const target = head === undefined ? undefined : facts.lookups[head];
    if (target) names.add(target);
  }
  return [...names];
}

/** The object and field a need names, or null when setup cannot make fields on its object. */
export function placeNeed(system: CrmSystem, need: FieldNeed): { object: string; name: string } | null {
  const facts = SETUP_FACTS[system];
  const parts = need.path.split('.');
  const name = parts.pop() ?? need.path;
  const head = parts[0];
  const object = head === undefined ? facts.objects[need.kind] : facts.lookups[head];
  return parts.length > 1 || object === undefined ? null : { object, name };
}

/** What `--emit` writes: every custom field the mapping needs, once per object, where it goes. */
export function placedCustomNeeds(system: CrmSystem, needs: readonly FieldNeed[]): { object: string; name: string; need: FieldNeed }[] {
  const out = new Map<string, { object: string; name: string; need: FieldNeed }>();
  for (const need of needs) {
    const place = need.custom ? placeNeed(system, need) : null;
    const key = place ? `${place.object}.${place.name}`.toLowerCase() : '';
    if (place && !out.has(key)) out.set(key, { ...place, need });
  }
  return [...out.values()];
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

interface Located {
  need: FieldNeed;
  object: ObjectSetupState;
  name: string;
  existing: ExistingField | undefined;
}

/** Each need on the object and field it names; a path setup cannot place is a problem. */
function locate(args: { system: CrmSystem; needs: readonly FieldNeed[]; org: OrgSetupState; problems: SetupProblem[] }): Located[] {
  const facts = SETUP_FACTS[args.system];
  const out: Located[] = [];
  for (const need of args.needs) {
    const place = placeNeed(args.system, need);
    if (!place) {
      const name = need.path.split('.').pop() ?? need.path;
      args.problems.push({ where: need.path, what: `setup creates fields on ${Object.values(facts.objects).join(', ')} and through ${Object.keys(facts.lookups).join(', ')} only (${need.origin})`, fix: `create ${name} yourself where ${need.path} leads, as ${describeNeed(need, args.system)}` });
      continue;
    }
    const { object: objectName, name } = place;
    const object = args.org.objects.find((o) => same(o.name, objectName));
    if (!object) {
      args.problems.push({ where: objectName, what: `the org has no ${objectName} object`, fix: `check that the integration user can see ${objectName}` });
      continue;
    }
    out.push({ need, object, name, existing: object.fields.find((f) => same(f.name, name)) });
  }
  return out;
}

/** What an existing field lacks, as steps (custom picklist values) or problems. */
function checkExisting(args: { system: CrmSystem; at: Located & { existing: ExistingField }; actions: SetupAction[]; problems: SetupProblem[] }): void {
  const { need, object, name, existing } = args.at;
  const where = `${object.name}.${existing.name}`;
  if (!need.accepts.includes(existing.type)) {
    args.problems.push({ where, what: `is a ${existing.type} field; the mapping (${need.origin}) needs ${describeNeed(need, args.system)}`, fix: fixFor({ system: args.system, kind: 'wrongType', object: object.name, field: existing.name, need }) });
    return;
  }
  if (need.externalId && SETUP_FACTS[args.system].externalIdFlag && !existing.externalId) {
    args.problems.push({ where, what: `is not an External ID; inbound creates are upserted on it (${need.origin})`, fix: fixFor({ system: args.system, kind: 'externalId', object: object.name, field: existing.name, need }) });
  }
  if (need.type !== 'picklist' || existing.picklistValues === null) return;
  const have = new Set(existing.picklistValues.map((v) => v.toLowerCase()));
  const missing = need.options.filter((o) => !have.has(o.value.toLowerCase()));
  if (missing.length === 0) return;
  if (existing.custom && SETUP_FACTS[args.system].addsCustomPicklistValues) {
    args.actions.push({ kind: 'addPicklistValues', object: object.name, name, options: missing });
    return;
  }
  const statusField = SETUP_FACTS[args.system].statusFields.some((f) => same(f, where));
  const placed = missing.every((o) => o.status && (!SETUP_FACTS[args.system].statusValuesNeedState || o.status.stateCode !== null));
  if (!existing.custom && statusField && placed) {
    args.actions.push({ kind: 'addStatusValues', object: object.name, name: existing.name, options: missing });
    return;
  }
  args.problems.push({
    where,
    what: `lacks the values ${missing.map((o) => JSON.stringify(o.value)).join(', ')} the mapping uses (${need.origin})`,
    fix: fixFor({ system: args.system, kind: 'picklistValues', object: object.name, field: existing.name, need: { ...need, options: missing } }),
  });
}

/**
 * The plan for one org: steps in the order they can run (fields before the keys and grants on
 * them), and the problems setup leaves to an admin. A user to assign field access to comes with
 * the org state (`org.assignee`), as the connector found it.
 */
export function planSetup(args: { system: CrmSystem; needs: readonly FieldNeed[]; org: OrgSetupState }): SetupPlan {
  const { system, org } = args;
  const problems: SetupProblem[] = [];
  const fields: SetupAction[] = [];
  const values: SetupAction[] = [];
  const created = new Set<string>();
  const located = locate({ system, needs: args.needs, org, problems });
  /** Fields the integration user needs access to: every custom field the mapping names. */
  const access = new Map<string, { object: string; field: string }>();
  for (const at of located) {
    const key = `${at.object.name}.${at.name}`.toLowerCase();
    if (at.existing) {
      checkExisting({ system, at: { ...at, existing: at.existing }, actions: values, problems });
      if (at.existing.custom) access.set(key, { object: at.object.name, field: at.existing.name });
      continue;
    }
    if (!at.need.custom) {
      problems.push({ where: `${at.object.name}.${at.name}`, what: `the org has no field ${at.name} (${at.need.origin})`, fix: 'name a field of the org in the mapping' });
      continue;
    }
    if (created.has(key)) continue;
    created.add(key);
    fields.push({ kind: 'createField', object: at.object.name, name: at.name, need: at.need });
    access.set(key, { object: at.object.name, field: at.name });
  }
  const keys: SetupAction[] = [];
  const tracking: SetupAction[] = [];
  if (SETUP_FACTS[system].keysAndTracking) {
    for (const kind of ['opportunity', 'lead'] as CrmObjectKind[]) {
      const at = located.find((l) => l.need.kind === kind && l.need.externalId && !l.need.path.includes('.'));
      const table = org.objects.find((o) => same(o.name, SETUP_FACTS[system].objects[kind]));
      if (!table) continue;
      const usable = at && (!at.existing || at.need.accepts.includes(at.existing.type));
      if (at && usable && !(table.alternateKeys ?? []).some((k) => k.length === 1 && same(k[0] ?? '', at.name))) {
        keys.push({ kind: 'createAlternateKey', object: table.name, name: `${at.name}_key`, columns: [at.name] });
      }
      if (table.changeTracking === false) tracking.push({ kind: 'enableChangeTracking', object: table.name });
    }
  }
  return { system, actions: [...fields, ...values, ...keys, ...tracking, ...accessSteps({ org, access: [...access.values()], problems })], problems };
}

/** Salesforce: the permission set, its field permissions and its assignment. */
function accessSteps(args: { org: OrgSetupState; access: { object: string; field: string }[]; problems: SetupProblem[] }): SetupAction[] {
  const set = args.org.permissionSet;
  if (!set) return [];
  const steps: SetupAction[] = [];
  if (!set.exists) steps.push({ kind: 'createPermissionSet', name: set.name, label: PERMISSION_SET.label });
  const editable = new Set(set.editable.map((f) => f.toLowerCase()));
  for (const { object, field } of args.access) {
    if (!editable.has(`${object}.${field}`.toLowerCase())) steps.push({ kind: 'grantFieldAccess', permissionSet: set.name, object, field });
  }
  const assignee = args.org.assignee;
  if (assignee && assignee.id === null) {
    args.problems.push({ where: `user ${assignee.asked}`, what: 'no active user has this username or id', fix: 'give the integration user\'s username (or id) to --assign-permission-set' });
  } else if (assignee?.id && !set.assignees.includes(assignee.id)) {
    steps.push({ kind: 'assignPermissionSet', permissionSet: set.name, userId: assignee.id, user: assignee.asked });
  }
  return steps;
}
