/**
 * `crm setup --emit DIR`: what the mapping needs as deployable source, from the mapping alone (no
 * org is read): `DIR/salesforce/` in Salesforce source format, `DIR/dynamics/` as a column list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataverseColumnFiles } from '../../connectors/dynamics/index.js';
import { salesforceSourceFiles } from '../../connectors/salesforce/index.js';
import type { CrmSystem } from '../domain/crm-record.js';
import type { FieldNeed } from '../domain/crm-setup.js';
import { PERMISSION_SET, SETUP_FACTS, placedCustomNeeds } from './plan.js';

/** The files for one CRM, paths relative to `DIR/<system>`. */
export function setupSourceFiles(system: CrmSystem, needs: readonly FieldNeed[]): { path: string; text: string }[] {
  const fields = placedCustomNeeds(system, needs);
  if (system === 'salesforce') return salesforceSourceFiles({ fields, permissionSet: PERMISSION_SET });
  const tables = SETUP_FACTS.dynamics.objects;
  const keys = (['opportunity', 'lead'] as const).flatMap((kind) => {
    const column = fields.find((f) => f.need.kind === kind && f.need.externalId && f.object === tables[kind]);
    return column ? [{ object: column.object, name: `${column.name}_key`, columns: [column.name] }] : [];
  });
  return dataverseColumnFiles({ columns: fields, keys, trackedTables: Object.values(tables) });
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
