import type { KeyObject } from 'node:crypto';
import type { ApiBudget } from '../auth/api-budget.js';
import type { Sessions } from '../auth/sessions.js';
import type { OrgClock, SalesforceOrg } from '../model/org.js';
import type { ResolvedOptions } from '../options.js';
import type { QueryService } from '../soql/query-service.js';
import type { CustomFields } from '../tooling/custom-fields.js';
import type { StandardValueSets } from '../tooling/standard-value-sets.js';

/** What every route of the emulator shares. */
export interface SfContext {
  org: SalesforceOrg;
  clock: OrgClock;
  options: ResolvedOptions;
  sessions: Sessions;
  budget: ApiBudget;
  queries: QueryService;
  /** Tooling API CustomField rows over the org's schema. */
  customFields: CustomFields;
  /** Tooling API StandardValueSet rows (the opportunity stages). */
  standardValueSets: StandardValueSets;
  /** Public keys registered per connected app (JWT bearer). */
  jwtKeys: Map<string, KeyObject[]>;
  integrationUserId: string;
  /** Subrequests of a `/composite` call: the composite counts as one API call (Salesforce REST API Developer Guide, "Composite"). */
  internalCalls: WeakSet<object>;
}
