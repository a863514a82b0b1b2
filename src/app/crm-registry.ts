/**
 * The CRMs cosell-sync speaks to, one descriptor each: its configuration section (named as the
 * CRM, `salesforce:` / `dynamics:`) and how its side (connector + mapping) is built from it.
 * A third CRM is its name in CRM_SYSTEMS, a connector folder, a configuration section and an entry
 * here; the compiler then asks for its entry in every other table keyed by CRM (the standard
 * picklists, custom field names, setup facts and wording, the --emit writers).
 */
import type { Logger } from 'pino';
import type { ApiCallObserver } from '../../connectors/shared/api-calls.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { CRM_SYSTEMS, type CrmSystem } from '../domain/crm-record.js';
import type { CrmSide } from '../engine/types.js';
import type { StateStore } from '../store/types.js';
import { buildDynamicsConnector } from './dynamics.js';
import { connectorRetryPolicy } from './retry-policy.js';
import { buildSalesforceSide } from './salesforce.js';
import type { SideDeps } from './side-deps.js';

/** A CRM's configuration section, as the configuration schema parses it. */
export type CrmSection<S extends CrmSystem> = NonNullable<Config[S]>;

export interface CrmDescriptor<S extends CrmSystem> {
  buildSide(section: CrmSection<S>, deps: SideDeps): CrmSide;
}

export const CRM_REGISTRY: { readonly [S in CrmSystem]: CrmDescriptor<S> } = {
  salesforce: { buildSide: (config, deps) => buildSalesforceSide({ config, ...deps }) },
  dynamics: {
    buildSide: (config, { ca: _ca, ...deps }) => buildDynamicsConnector({ config, ...deps }),
  },
};

function buildSide<S extends CrmSystem>(system: S, config: Config, deps: SideDeps): CrmSide[] {
  const section = config[system];
  return section ? [CRM_REGISTRY[system].buildSide(section as CrmSection<S>, deps)] : [];
}

/** Builds the CRM sides (connector + mapping) the configuration names. */
export function buildCrmSides(args: { config: Config; logger: Logger; clock: Clock; store: StateStore; ca: string | null; onApiCall?: ApiCallObserver | undefined }): CrmSide[] {
  const { config, logger, clock, store, ca } = args;
  const deps: SideDeps = { retry: connectorRetryPolicy(config.sync), logger, clock, store, ca, ...(args.onApiCall ? { onApiCall: args.onApiCall } : {}) };
  return CRM_SYSTEMS.flatMap((system) => buildSide(system, config, deps));
}
