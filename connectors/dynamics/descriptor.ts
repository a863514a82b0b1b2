/**
 * Vendor facts about the Dataverse Web API as data. Sources: Microsoft Learn, Dataverse developer
 * guide (page titles in the comments).
 */
import type { ConnectorErrorKind } from '../errors.js';

export interface TableFacts {
  entitySet: string;
  primaryKey: string;
}

export const dataverseDescriptor = {
  /** "Execute batch operations using the Web API": at most 1,000 operations per `$batch`. */
  batchMaxOperations: 1000,
  /** "Page results using the Web API": `odata.maxpagesize` cannot exceed 5,000. */
  maxPageSize: 5000,
  /**
   * Ids per `Microsoft.Dynamics.CRM.In(...)` GET. Its URL passes 2,000 characters, so
   * dynamics-web-api sends it as a one-part `$batch` (still one request, no URL length limit).
   */
  idsPerQuery: 100,
  tables: {
    opportunity: { entitySet: 'opportunities', primaryKey: 'opportunityid' },
    lead: { entitySet: 'leads', primaryKey: 'leadid' },
    account: { entitySet: 'accounts', primaryKey: 'accountid' },
    contact: { entitySet: 'contacts', primaryKey: 'contactid' },
  } satisfies Record<string, TableFacts>,
  /** "Opportunity table/entity reference": the default statuscode of each opportunity statecode (0 open, 1 won, 2 lost). */
  defaultStatus: { 0: 1, 1: 3, 2: 4 } as Readonly<Record<number, number>>,
} as const;

/**
 * Vendor codes ("Web service error codes") and their kind. HTTP status decides when the code is missing or unknown
 * (classify-error.ts); 412 is always a conflict because the code is secondary there ("Perform
 * conditional operations using the Web API").
 */
export const errorCodeKinds: Readonly<Record<string, ConnectorErrorKind>> = {
  '0x80060882': 'conflict',
  '0x80040237': 'conflict',
  '0x80040217': 'notFound',
  '0x8006088a': 'invalid',
  '0x80072322': 'rateLimited',
  '0x80072321': 'rateLimited',
  '0x80072326': 'rateLimited',
  '0x80044331': 'invalid',
  '0x80040265': 'invalid',
  '0x80040203': 'invalid',
  '0x80040220': 'auth',
};
