/** Which CRMs a configuration names: each CRM has its own section, named as the CRM. */
import { CRM_SYSTEMS, type CrmSystem } from '../domain/crm-record.js';
import type { Config } from './schema/root.js';

/** The configured CRMs, in the order of CRM_SYSTEMS, with the mapping file of each. */
export function configuredCrms(config: Config): { system: CrmSystem; mappingFile: string }[] {
  return CRM_SYSTEMS.flatMap((system) => {
    const section = config[system];
    return section ? [{ system, mappingFile: section.mapping }] : [];
  });
}
