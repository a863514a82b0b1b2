/** Builds the next version of a row from validated changes, with the system columns filled in. */
import { formatDateTime, type Row, type Value } from '../model/row.js';
import type { TableInfo } from '../schema/tables.js';
import type { Service } from './context.js';
import type { Changes } from './write-values.js';

const FULL_NAME_TABLES = new Set(['contact', 'lead', 'systemuser']);

function createDefaults(service: Service, info: TableInfo, values: Record<string, Value>, targets: Record<string, string>, now: string): void {
  values['createdon'] = now;
  if (info.byName.has('ownerid') && !values['ownerid']) {
    values['ownerid'] = service.callerId();
    targets['ownerid'] = 'systemuser';
  }
  // The base currency fills in when none is given (common behaviour, not stated in the docs).
  if (info.byName.has('transactioncurrencyid') && !values['transactioncurrencyid'] && info.def.logicalName !== 'transactioncurrency') {
    values['transactioncurrencyid'] = service.baseCurrencyId();
  }
  if (info.def.logicalName === 'opportunity' && values['msdyn_forecastcategory'] === undefined) values['msdyn_forecastcategory'] = 100000001;
}

/** Merges changes into `existing` (or a new row), bumps the version and `modifiedon`. */
export function nextRow(args: { service: Service; info: TableInfo; id: string; existing: Row | undefined; changes: Changes }): Row {
  const { service, info, existing, changes } = args;
  const now = formatDateTime(service.clock.now());
  const values: Record<string, Value> = { ...(existing?.values ?? {}) };
  const targets: Record<string, string> = { ...(existing?.targets ?? {}) };
  for (const [name, value] of Object.entries(changes.values)) {
    if (value === null) {
      delete values[name];
      delete targets[name];
    } else values[name] = value;
  }
  Object.assign(targets, changes.targets);
  if (!existing) createDefaults(service, info, values, targets, now);
  if (info.byName.has('owninguser') && values['ownerid']) values['owninguser'] = values['ownerid'];
  if (FULL_NAME_TABLES.has(info.def.logicalName)) {
    const full = [values['firstname'], values['lastname']].filter((v) => typeof v === 'string' && v.length > 0).join(' ');
    if (full) values['fullname'] = full;
  }
  values['modifiedon'] = now;
  delete values[info.def.primaryId];
  return { id: args.id, version: service.store.nextVersion(), values, targets };
}
