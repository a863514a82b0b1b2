/**
 * Vendor facts about the Salesforce REST API as data. Sources: the Salesforce REST API Developer Guide
 * (page titles in the comments).
 */
import type { ConnectorErrorKind } from '../errors.js';

export const salesforceDescriptor = {
  /** "sObject Collections": at most 200 records per call. */
  collectionMaxRecords: 200,
  /** "Query Options Header": `Sforce-Query-Options: batchSize=N` is clamped by the server to 200..2000. */
  queryBatchSize: { min: 200, max: 2000 },
  /** Ids per `WHERE Id IN (...)` so the GET URL stays far from the 16 KB limit (414 URI Too Long). */
  idsPerQuery: 200,
  /** "sObject Collections": upsert by external id needs 46.0 or later. */
  minApiVersion: 46,
  /** SOQL dateTime literals have one-second resolution (docs/change-watermarks.md). */
  stampResolutionMs: 1000,
  /** Child relationships of Opportunity the sync reads as collections (docs/crm-custom-fields.md). */
  childRelationships: ['OpportunityContactRoles', 'OpportunityTeamMembers'],
  objectNames: { opportunity: 'Opportunity', lead: 'Lead' },
  /** Record ids are 15 (case-sensitive) or 18 letters and digits; anything else is no record. */
  recordId: /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/,
} as const;

/**
 * Vendor error codes ("Status Codes and Error Responses") and the kind each is classified into. Codes missing here fall back to
 * the HTTP status (see classify-error.ts). `INVALID_SESSION_ID` reaches this table only after
 * jsforce's single refresh has already failed.
 */
export const errorCodeKinds: Readonly<Record<string, ConnectorErrorKind>> = {
  INVALID_SESSION_ID: 'auth',
  INVALID_AUTH_HEADER: 'auth',
  REQUEST_LIMIT_EXCEEDED: 'rateLimited',
  UNABLE_TO_LOCK_ROW: 'transient',
  SERVER_UNAVAILABLE: 'transient',
  UNKNOWN_EXCEPTION: 'transient',
  QUERY_TIMEOUT: 'transient',
  NOT_FOUND: 'notFound',
  ENTITY_IS_DELETED: 'notFound',
  INVALID_QUERY_LOCATOR: 'invalid',
  MULTIPLE_CHOICES: 'conflict',
  DUPLICATE_VALUE: 'conflict',
  INVALID_FIELD: 'invalid',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'invalid',
  MALFORMED_QUERY: 'invalid',
  MALFORMED_ID: 'invalid',
  REQUIRED_FIELD_MISSING: 'invalid',
  DUPLICATES_DETECTED: 'invalid',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'invalid',
  INVALID_CROSS_REFERENCE_KEY: 'invalid',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'invalid',
  INSUFFICIENT_ACCESS_OR_READONLY: 'invalid',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'invalid',
  JSON_PARSER_ERROR: 'invalid',
  INVALID_TYPE: 'invalid',
  EXCEEDED_ID_LIMIT: 'invalid',
  STRING_TOO_LONG: 'invalid',
  INVALID_TYPE_ON_FIELD_IN_RECORD: 'invalid',
  // A row rolled back only because a neighbour failed (allOrNone); the row itself may be fine.
  ALL_OR_NONE_OPERATION_ROLLED_BACK: 'transient',
  PROCESSING_HALTED: 'transient',
};
