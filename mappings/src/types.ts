/**
 * The public contract of the mappings: what the engine, the CLI and the connectors call.
 * A mapping turns CRM records into canonical referral values and back, following the rules an
 * admin keeps in a YAML file (mappings/salesforce.yaml, mappings/dynamics.yaml).
 */
import type { AccountInput, ContactInput } from '../../src/domain/customer.js';
import type { JsonPatchOp } from '../../src/domain/json-patch.js';
import type { CrmObjectKind, CrmRecord, CrmSystem, FieldValue } from '../../src/domain/crm-record.js';
import type { DealType, Referral, ReferralDraft } from '../../src/domain/referral.js';
import type { Result } from '../../src/domain/result.js';

/** A problem in a mapping file, with the position an editor can jump to (1-based). */
export interface MappingProblem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. `opportunity.fields[3].transform`. */
  path: string;
  message: string;
}

/** A value in the canonical (referral-side) form: JSON, with members and solutions as objects. */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [k: string]: CanonicalValue };

/**
 * Canonical values keyed by referral path: 'name', 'details.dealValue', 'details.currency',
 * 'details.closingDateTime', 'details.notes', 'status' (value 'Active/Accepted': status and
 * substatus travel together), 'statusReason', 'customerProfile.name',
 * 'customerProfile.address.country', ..., 'customerProfile.team' (Member[]), 'team' (Member[]),
 * 'details.solutions' (Solution[]), 'campaignId', 'externalReferenceId',
 * 'inviteContext.assistanceRequestCode', 'consent.consentToShareReferralWithMicrosoftSellers'.
 * A key that is absent means "the source did not have it: leave the target untouched".
 */
export type FieldSet = Record<string, CanonicalValue>;

/** The org's IANA time zone, for date-only <-> UTC date-time. */
export interface MappingContext {
  timeZone: string;
}

/** A value one rule could not convert; the rest of the record still converts. */
export interface FieldProblem {
  path: string;
  crmField: string | null;
  message: string;
}

/** Which way a rule carries changes; createOnly copies once, when the other side is created. */
export type RuleDirection = 'both' | 'toPartnerCenter' | 'toCrm' | 'createOnly';
/** Who wins when both sides changed a field since the last sync; hold waits for a person. */
export type ConflictPolicy = 'crmWins' | 'partnerCenterWins' | 'newestWins' | 'hold';

/** One field rule as the engine merges it (three-way, per field, declared policy). */
export interface RuleInfo {
  path: string;
  crmField: string;
  direction: RuleDirection;
  policy: ConflictPolicy;
}

/** How one CRM object kind (opportunity or lead) maps to referrals, built from a mapping file. */
export interface ObjectMapping {
  kind: CrmObjectKind;
  /**
   * CRM paths the connector must read: fields, lookups ('Account.Name'), child relationship
   * names ('OpportunityContactRoles') and their row paths ('OpportunityContactRoles.Contact.Email').
   */
  readFields: readonly string[];
  /** Row field paths of each child relationship in `readFields` ('OpportunityContactRoles' -> ['Contact.Email', ...]). */
  childFields: Readonly<Record<string, readonly string[]>>;
  /**
   * Fields of `readFields` that stand in for one another (a rule's field and its `orFrom`): an
   * org needs only one of each group, so the ones it lacks are left out of reads.
   */
  readAlternatives: readonly (readonly string[])[];
  /** CRM field holding the referral id (upsert key of inbound creates). */
  externalIdField: string;
  /**
   * One entry per referral path, in file order. Several rules on one path are merged: the rule
   * reading the CRM gives field and policy; direction is `both` when the path flows both ways.
   */
  rules: readonly RuleInfo[];
  /** Outbound filter (default: the sync flag). */
  participates(record: CrmRecord): boolean;
  /** private / partnerLed / coSell with the help asked for. */
  dealType(record: CrmRecord): DealType;
  fromCrm(record: CrmRecord, ctx: MappingContext): { values: FieldSet; problems: FieldProblem[] };
  fromReferral(referral: Referral, ctx: MappingContext): { values: FieldSet; problems: FieldProblem[] };
  /**
   * CRM fields for the values given. A lookup path (`transactioncurrencyid.isocurrencycode`) asks
   * the connector to point the lookup at the related record with that column value (Dataverse:
   * a bind by alternate key); other fields of related records are never written through it.
   * With `current`, a field whose CRM value already means the
   * same canonical value is left out (a stage 'Negotiation/Review' is not rewritten to the default
   * open stage just because the referral is still Active/Accepted).
   */
  toCrmFields(args: {
    values: FieldSet;
    ctx: MappingContext;
    mode: 'create' | 'update';
    current?: CrmRecord;
  }): { fields: Record<string, FieldValue>; problems: FieldProblem[] };
  toReferralDraft(args: {
    values: FieldSet;
    externalReferenceId: string;
    dealType: DealType;
    ctx: MappingContext;
  }): Result<ReferralDraft, FieldProblem[]>;
  /**
   * JSON Patch for the changed values: replace/add only; status and substatus together; team
   * members added through `/team/-` (with `current`, members already on it by email are skipped).
   * Paths Partner Center does not let a partner edit after creation are left out.
   */
  toReferralPatch(changes: FieldSet, current?: Referral): JsonPatchOp[];
  customerFromReferral(referral: Referral): { account: AccountInput | null; contacts: ContactInput[] };
  /**
   * The paths only the CRM writes (rules toward Partner Center alone) as this referral carries
   * them: what a CRM record created from the referral holds of them (its customer, its contacts)
   * is what Partner Center already has, so it is no change to send back.
   */
  crmOwnedFromReferral(referral: Referral): FieldSet;
  /**
   * Whether two values of `path` would be read back from the CRM as one, because its two-way rule
   * writes them alike ('New/Received' and 'New/Pending' both become On Hold; a name and its first
   * 120 characters; two instants on one org-zone day). A merge comparing a CRM read with the last
   * synced value can use it to tell a real CRM edit from what the CRM could not store, and so
   * avoid echo writes back to Partner Center.
   */
  sameForCrm?(args: { path: string; a: CanonicalValue; b: CanonicalValue; ctx: MappingContext }): boolean;
  /** Why `value` cannot stand for `path` (its type as the mapping declares it), or null when it can. */
  checkValue(path: string, value: unknown): string | null;
  /** Human text of a rule's transform, for preview. */
  describeRule?(path: string): string;
}

/** A loaded, validated mapping file: both object kinds and the inbound routing. */
export interface Mapping {
  file: string;
  system: CrmSystem;
  opportunity: ObjectMapping;
  lead: ObjectMapping;
  /** Inbound: which CRM object a referral becomes (by type, qualification, invitedBy; Partner Center docs, "Referrals API introduction"), or null = skip. */
  inboundKind(referral: Referral): CrmObjectKind | null;
  /**
   * Loads now what the rules' transforms otherwise load on first use (the country names): a
   * daemon calls it before its first referral arrives. Absent in hand-built fixtures.
   */
  prepare?(): void;
  /** Co-sell health: owner e-mail fields and the registration contract fields; absent in older fixtures. */
  health?: MappingHealth;
}

export interface MappingHealth {
  ownerEmail: Record<CrmObjectKind, string | null>;
  registration: { startDate: string; endDate: string; signDate: string; term: string | null; value: string; statusField: string | null } | null;
}

/** One line of a preview table: what a user reads to check a rule on a real record. */
export interface PreviewRow {
  path: string;
  crmField: string;
  direction: RuleDirection;
  source: string;
  transform: string;
  result: string;
  problem: string | null;
}

/** What `mappings preview` shows for one record or referral; `formatPreview` renders it. */
export interface PreviewReport {
  /** Which way the preview goes: the referral that would be sent, or the CRM record that would be written. */
  target: 'partnerCenter' | 'crm';
  kind: CrmObjectKind;
  sourceId: string;
  /** The deal type asked for (outbound only). */
  dealType: DealType | null;
  /** The referral draft or the CRM fields that would be written; null when required data is missing. */
  result: ReferralDraft | Record<string, FieldValue> | null;
  rows: PreviewRow[];
  problems: FieldProblem[];
}
