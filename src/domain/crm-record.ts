/**
 * The canonical CRM record. Fields are keyed by the CRM field path the mapping names
 * (`Amount`, `Account.BillingPostalCode`, `parentaccountid.name`); a child collection is
 * keyed by its relationship name and holds one object per row, keyed the same way
 * (`OpportunityContactRoles` -> `[{ 'Contact.Email': ... }]`).
 */

/** The CRMs cosell-sync speaks to; each has one entry in the CRM registry (src/app/crm-registry.ts). */
export const CRM_SYSTEMS = ['salesforce', 'dynamics'] as const;
export type CrmSystem = (typeof CRM_SYSTEMS)[number];
export const isCrmSystem = (name: string): name is CrmSystem => (CRM_SYSTEMS as readonly string[]).includes(name);
export type CrmObjectKind = 'opportunity' | 'lead';

export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

export interface CrmRecord {
  kind: CrmObjectKind;
  id: string;
  /** Change stamp (Salesforce SystemModstamp, Dataverse modifiedon), UTC ISO-8601. */
  stamp: string;
  /**
   * Concurrency token for updates: Dataverse `@odata.etag`; Salesforce `LastModifiedDate`
   * (sent as `If-Unmodified-Since`, or compared on re-read before a batch).
   */
  version: string;
  fields: Record<string, FieldValue>;
}

/** What the CRM's metadata says of one field (Salesforce describe, Dataverse EntityDefinitions). */
export interface CrmFieldDescription {
  path: string;
  type: 'string' | 'textarea' | 'number' | 'currency' | 'boolean' | 'date' | 'datetime' | 'picklist' | 'reference' | 'id' | 'child';
  label: string;
  length: number | null;
  createable: boolean;
  updateable: boolean;
  /**
   * The CRM refuses an empty value (Salesforce `nillable: false`, Dataverse `RequiredLevel`
   * ApplicationRequired or SystemRequired): a sync must never write null into it.
   */
  required: boolean;
  picklistValues: string[] | null;
}

export interface CrmObjectDescription {
  kind: CrmObjectKind;
  fields: CrmFieldDescription[];
}
