/**
 * `crm setup --emit DIR`: what the mapping needs as deployable source, from the mapping alone (no
 * org is read): `DIR/salesforce/` in Salesforce source format, `DIR/dynamics/` as a column list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataverseColumnFiles } from '../../connectors/dynamics/index.js';
import { salesforceSourceFiles } from '../../connectors/salesforce/index.js';
import type { CrmSystem } from '../domain/crm-record.js';
import type { FieldNeed, PicklistOption } from '../domain/crm-setup.js';
import { PERMISSION_SET, SETUP_FACTS, placeNeed, placedCustomNeeds } from './plan.js';

/** Values a status picklist gets beyond a new org's (Dataverse: the customization range, from 100000000). */
const CUSTOM_STATUS_FROM = 100000000;

/** The values of the standard status picklists the mapping writes (stages, status reasons), where they go. */
function statusValues(system: CrmSystem, needs: readonly FieldNeed[]): { object: string; name: string; options: PicklistOption[] }[] {
  return needs.flatMap((need) => {
    const place = !need.custom && need.type === 'picklist' ? placeNeed(system, need) : null;
    if (!place || !SETUP_FACTS[system].statusFields.includes(`${place.object}.${place.name}`)) return [];
    return need.options.every((o) => o.status) ? [{ ...place, options: need.options }] : [];
  });
}

type Placed = ReturnType<typeof placedCustomNeeds>;
type StatusValues = ReturnType<typeof statusValues>;

/** Each CRM's deployable source: Salesforce source format, or a Dataverse column list. */
const SOURCE_FILES: Readonly<Record<CrmSystem, (fields: Placed, statuses: StatusValues) => { path: string; text: string }[]>> = {
  salesforce: (fields, statuses) => salesforceSourceFiles({ fields, permissionSet: PERMISSION_SET, stages: statuses[0]?.options ?? null }),
  dynamics: (fields, statuses) => {
    const tables = SETUP_FACTS.dynamics.objects;
    const keys = (['opportunity', 'lead'] as const).flatMap((kind) => {
      const column = fields.find((f) => f.need.kind === kind && f.need.externalId && f.object === tables[kind]);
      return column ? [{ object: column.object, name: `${column.name}_key`, columns: [column.name] }] : [];
    });
    const custom = statuses.flatMap((s) => s.options.filter((o) => Number(o.value) >= CUSTOM_STATUS_FROM).map((option) => ({ object: s.object, name: s.name, option })));
    return dataverseColumnFiles({ columns: fields, keys, statusValues: custom, trackedTables: Object.values(tables) });
  },
};

/** The files for one CRM, paths relative to `DIR/<system>`. */
export function setupSourceFiles(system: CrmSystem, needs: readonly FieldNeed[]): { path: string; text: string }[] {
  return SOURCE_FILES[system](placedCustomNeeds(system, needs), statusValues(system, needs));
}

/** Writes the files under `DIR/<system>/`; returns the paths written. */
export function writeSetupSource(args: { dir: string; system: CrmSystem; needs: readonly FieldNeed[] }): string[] {
  return setupSourceFiles(args.system, args.needs).map((file) => {
    const path = join(args.dir, args.system, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    return path;
  });
}
