/**
 * What `cosell-sync crm setup` works with: the custom fields a mapping needs, what the org has,
 * and the steps that bring the org to what the mapping needs. Shared by the mappings (which say
 * what they need), the connectors (which read the org and carry out steps) and the setup plan.
 */
import type { CrmFieldDescription, CrmObjectKind, CrmSystem } from './crm-record.js';

/** The kinds of custom field setup creates. */
export type SetupFieldType = 'text' | 'checkbox' | 'number' | 'currency' | 'date' | 'datetime' | 'picklist';

export interface PicklistOption {
  /** The stored value: a Salesforce API value, or a Dataverse option number as text. */
  value: string;
  label: string;
  /**
   * For a status value (a stage, a status reason): whether it closes the record, and as won; and
   * the Dataverse state it belongs to. Read from the mapping's status rule.
   */
  status?: { closed: boolean; won: boolean; stateCode: number | null };
}

/** One CRM field a mapping names and the kind of field it needs there. */
export interface FieldNeed {
  kind: CrmObjectKind;
  /** The field as the mapping names it: `Referral_Id__c`, or through a lookup `Account.DUNS__c`. */
  path: string;
  type: SetupFieldType;
  label: string;
  /** Text length; Salesforce makes text longer than 255 a Long Text Area. */
  length: number | null;
  /** Values the mapping reads or writes (picklist). */
  options: PicklistOption[];
  /** A custom field setup may create; false for a standard picklist whose values the mapping lists. */
  custom: boolean;
  /** The referral id: unique, and the key creates are upserted on. */
  externalId: boolean;
  /** Field types of an existing field that serve the mapping as well. */
  accepts: readonly CrmFieldDescription['type'][];
  /** Where the mapping asks for it: `mappings/salesforce.yaml:112 opportunity.fields[6]`. */
  origin: string;
}

/** A field as the org has it. */
export interface ExistingField {
  name: string;
  type: CrmFieldDescription['type'];
  custom: boolean;
  externalId: boolean;
  length: number | null;
  /** Active values; null when not a picklist. */
  picklistValues: string[] | null;
}

export interface ObjectSetupState {
  /** The CRM's own name: `Opportunity`, `opportunity`, `account`. */
  name: string;
  fields: ExistingField[];
  /** Dataverse: the column lists of the table's alternate keys; null where the CRM has none. */
  alternateKeys: string[][] | null;
  /** Dataverse: whether change tracking is on; null where the CRM has no such switch. */
  changeTracking: boolean | null;
}

/** Salesforce: the permission set giving the integration user field access. */
export interface PermissionSetState {
  name: string;
  exists: boolean;
  /** `Object.Field` the set lets read and edit. */
  editable: string[];
  /** Users the set is assigned to (ids). */
  assignees: string[];
}

/** The org, as far as setup needs it. */
export interface OrgSetupState {
  system: CrmSystem;
  objects: ObjectSetupState[];
  permissionSet: PermissionSetState | null;
  /** The user `--assign-permission-set` names, found (id) or not (null); absent when not asked. */
  assignee?: { asked: string; id: string | null };
}

/** One step that changes the org. Each is safe to repeat: a second run finds it done. */
export type SetupAction =
  | { kind: 'createField'; object: string; name: string; need: FieldNeed }
  | { kind: 'addPicklistValues'; object: string; name: string; options: PicklistOption[] }
  /** Values of a standard status picklist (Salesforce opportunity stages, Dataverse status reasons). */
  | { kind: 'addStatusValues'; object: string; name: string; options: PicklistOption[] }
  | { kind: 'createAlternateKey'; object: string; name: string; columns: string[] }
  | { kind: 'enableChangeTracking'; object: string }
  | { kind: 'createPermissionSet'; name: string; label: string }
  | { kind: 'grantFieldAccess'; permissionSet: string; object: string; field: string }
  | { kind: 'assignPermissionSet'; permissionSet: string; userId: string; user: string };

/** Read and edit of one field in the permission set. */
export type GrantFieldAccess = Extract<SetupAction, { kind: 'grantFieldAccess' }>;

/** Something setup will not change: what is wrong, where, and how an admin fixes it. */
export interface SetupProblem {
  where: string;
  what: string;
  fix: string;
}

export interface SetupPlan {
  system: CrmSystem;
  actions: SetupAction[];
  problems: SetupProblem[];
}
