/**
 * Vendor facts about the Dataverse Web API as data (STYLE.md 2). Sources:
 * /work/shared/reference/dataverse-web-api.md (section numbers in the comments).
 */
import type { ConnectorErrorKind } from '../errors.js';

export interface TableFacts {
  entitySet: string;
  primaryKey: string;
  /** Navigation property a currency bind goes through (§3.2). */
  currencyNav: string;
}

export const dataverseDescriptor = {
  /** §6: at most 1,000 operations per `$batch`. */
  batchMaxOperations: 1000,
  /** §2.3: `odata.maxpagesize` cannot exceed 5,000. */
  maxPageSize: 5000,
  /** Ids per `Microsoft.Dynamics.CRM.In(...)` GET so the URL stays well under the 32 KB class of limits. */
  idsPerQuery: 100,
  /** §2.6: `modifiedon` has one-second resolution. */
  stampResolutionMs: 1000,
  tables: {
    opportunity: { entitySet: 'opportunities', primaryKey: 'opportunityid', currencyNav: 'transactioncurrencyid' },
    lead: { entitySet: 'leads', primaryKey: 'leadid', currencyNav: 'transactioncurrencyid' },
    account: { entitySet: 'accounts', primaryKey: 'accountid', currencyNav: 'transactioncurrencyid' },
    contact: { entitySet: 'contacts', primaryKey: 'contactid', currencyNav: 'transactioncurrencyid' },
  } satisfies Record<string, TableFacts>,
  /** Lookup navigation property -> the entity set it points at, for `@odata.bind` (§3.2). */
  lookupTargets: {
    parentaccountid: 'accounts',
    parentcontactid: 'contacts',
    customerid_account: 'accounts',
    customerid_contact: 'contacts',
    transactioncurrencyid: 'transactioncurrencies',
    ownerid: 'systemusers',
  } as Readonly<Record<string, string>>,
  /** §7.1: statecode of an opportunity and the default statuscode of each state. */
  opportunityStates: { open: 0, won: 1, lost: 2 },
  defaultStatus: { 0: 1, 1: 3, 2: 4 } as Readonly<Record<number, number>>,
  /** §8.4: service-protection response headers (debugging aids; they feed the limiter). */
  rateLimitHeaders: {
    burstRemaining: 'x-ms-ratelimit-burst-remaining-xrm-requests',
    timeRemaining: 'x-ms-ratelimit-time-remaining-xrm-requests',
  },
} as const;

/**
 * §8.3: vendor codes and their kind. HTTP status decides when the code is missing or unknown
 * (classify-error.ts); 412 is always a conflict because the code is secondary there (§4).
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

/**
 * §5.6: the code of an expired delta token is UNCERTAIN (the emulator uses 0x80044352); any
 * failure of a delta link other than auth / rate limit / transient falls back to a full resync.
 */
export const expiredDeltaCodes: readonly string[] = ['0x80044352'];
