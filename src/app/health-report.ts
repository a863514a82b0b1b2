/**
 * Builds the co-sell health report from the configuration and the store, for every surface (the
 * `report` command, the status page section, the weekly digest): one function, so they show the
 * same numbers. The mappings tell what a failed CRM record's stage means (won, lost).
 */
import type { Mapping } from '../../mappings/index.js';
import { configuredCrms, type Config } from '../config/index.js';
import type { CrmSystem } from '../domain/crm-record.js';
import type { CrmStatusOf } from '../health/hygiene.js';
import { buildHealthReport, defaultSince, readHealthData, type HealthReport } from '../health/report.js';
import type { StateStore } from '../store/types.js';
import { loadMapping } from './load-mapping.js';

/** The mappings of the configured CRMs, by system. */
export function configuredMappings(config: Config): Partial<Record<CrmSystem, Mapping>> {
  return Object.fromEntries(configuredCrms(config).map(({ system, mappingFile }) => [system, loadMapping(mappingFile, system)]));
}

export function crmStatusThrough(mappings: Partial<Record<CrmSystem, Mapping>>, timeZone: string): CrmStatusOf {
  return ({ system, kind, id, fields }) => {
    const mapping = mappings[system];
    if (mapping === undefined) return null;
    const status = mapping[kind].fromCrm({ kind, id, stamp: '', version: '', fields: fields as never }, { timeZone }).values['status'];
    return typeof status === 'string' ? status : null;
  };
}

export async function healthReportFrom(args: {
  config: Config;
  store: StateStore;
  now: Date;
  since?: string;
  mappings?: Partial<Record<CrmSystem, Mapping>>;
}): Promise<HealthReport> {
  const now = args.now.toISOString();
  const since = args.since ?? defaultSince(now);
  const mappings = args.mappings ?? configuredMappings(args.config);
  const data = await readHealthData(args.store, { remindersSince: since });
  return buildHealthReport(data, { now, since, conflictAgeDays: args.config.health.hygiene.conflictAgeDays, crmStatusOf: crmStatusThrough(mappings, args.config.sync.timeZone) });
}
