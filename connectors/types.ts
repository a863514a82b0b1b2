/**
 * The contracts the engine depends on, rather than on HTTP. Adapters own auth, paging, transport,
 * retries and rate limits; the engine sees pages, records, referrals and typed errors.
 * Every method may throw a `ConnectorError` (connectors/errors.ts) and nothing else.
 */
import type {
  CrmObjectDescription,
  CrmObjectKind,
  CrmRecord,
  CrmSystem,
  FieldValue,
} from '../src/domain/crm-record.js';
import type { GrantFieldAccess, OrgSetupState, SetupAction } from '../src/domain/crm-setup.js';
import type { AccountInput, ContactInput } from '../src/domain/customer.js';
import type { JsonPatchOp } from '../src/domain/json-patch.js';
import type { DealType, Referral, ReferralDraft } from '../src/domain/referral.js';
import type { ConnectorError } from './errors.js';

/**
 * One page of changes. `cursor` is the position after this page, opaque to the engine, which
 * stores it only once the records of the page are committed (so a crash re-reads, never skips).
 */
export interface ChangePage<T> {
  items: T[];
  /** Ids deleted at the source since the previous cursor (when the source can tell). */
  deletedIds: string[];
  cursor: string;
}

/** How a connector is doing, for the log, the status page and notifications. */
export interface ConnectorHealth {
  state: 'ok' | 'paused' | 'authFailed' | 'degraded';
  detail: string | null;
  /** When a pause (rate limit, API budget reserve) ends, ISO-8601. */
  pausedUntil: string | null;
}

export type WriteOutcome =
  | { ok: true; id: string; version: string; created: boolean }
  | { ok: false; error: ConnectorError };

export interface CrmCreate {
  kind: CrmObjectKind;
  fields: Record<string, FieldValue>;
  /**
   * Idempotency: records created from a referral are upserted on an external-id field (Salesforce)
   * or alternate key (Dataverse) holding the referral id, so a repeated create finds the first.
   */
  externalId: { field: string; value: string };
  /** Matched or created before the record, and linked to it (account; contact roles). */
  customer: { account: AccountInput | null; contacts: ContactInput[] } | null;
}

export interface CrmUpdate {
  kind: CrmObjectKind;
  id: string;
  /** The record's `version` as last read; a record that moved since gives a `conflict` outcome. */
  version: string;
  /**
   * Field paths as the mapping names them. A change that closes the record as won or lost is
   * carried out however the CRM requires (Dataverse: WinOpportunity / LoseOpportunity).
   */
  fields: Record<string, FieldValue>;
}

export interface CrmConnector {
  readonly system: CrmSystem;
  /** Metadata of the mapped object, for validating a mapping before any write. */
  describe(kind: CrmObjectKind): Promise<CrmObjectDescription>;
  /**
   * Records changed after `cursor` (null: from the beginning), oldest first, streamed page by
   * page with bounded memory. `fields` are the paths the active mapping reads.
   */
  readChanges(args: {
    kind: CrmObjectKind;
    fields: readonly string[];
    cursor: string | null;
    signal?: AbortSignal;
  }): AsyncIterable<ChangePage<CrmRecord>>;
  /** Records by id, in as few requests as the API allows; ids not found are absent. */
  getRecords(args: { kind: CrmObjectKind; ids: readonly string[]; fields: readonly string[] }): Promise<CrmRecord[]>;
  /** Records whose `field` holds one of `values` (the referral id on inbound records). */
  findByExternalId(args: {
    kind: CrmObjectKind;
    field: string;
    values: readonly string[];
    fields: readonly string[];
  }): Promise<CrmRecord[]>;
  /** Creates (upserts by external id) in API batches; one outcome per input, same order. */
  createRecords(writes: readonly CrmCreate[]): Promise<WriteOutcome[]>;
  /** Updates in API batches, guarded by each record's version; one outcome per input, same order. */
  updateRecords(writes: readonly CrmUpdate[]): Promise<WriteOutcome[]>;
  health(): ConnectorHealth;
  close(): Promise<void>;
  /** `crm setup`: the org's metadata and the steps that change it (absent in fakes). */
  readonly setup?: CrmSetup;
}

/**
 * What `cosell-sync crm setup` asks of a CRM: the org as far as setup needs it (read fresh, never
 * from a cache), and one step carried out. Steps go through the connector's one request path.
 */
export interface CrmSetup {
  /**
   * The objects named (their fields, keys, change tracking), the field-access permission set where
   * the CRM has one, and the user `assignee` names (`''`: the user the connector signs in as).
   */
  readOrg(args: { objects: readonly string[]; assignee?: string }): Promise<OrgSetupState>;
  apply(action: SetupAction): Promise<void>;
  /**
   * Field grants together, where the CRM takes several in one request; one outcome per grant, in
   * order (null: done). Absent: each grant goes through `apply`.
   */
  grantAll?(grants: readonly GrantFieldAccess[]): Promise<(ConnectorError | null)[]>;
}

/** Which referral, and its engagement. */
export interface ReferralRef {
  id: string;
  engagementId: string;
}

export interface CreatedReferral {
  referral: Referral;
  /** True when an earlier attempt within the call had already created it (its answer was lost). */
  existed: boolean;
}

export interface PartnerCenterConnector {
  /**
   * Referrals updated after `cursor` (null: all), oldest first, page by page. The cursor is
   * opaque (updatedDateTime plus ids seen at that instant, or whatever the fallback needs).
   */
  listChanged(args: { cursor: string | null; signal?: AbortSignal }): AsyncIterable<ChangePage<Referral>>;
  /** One referral, or null when Partner Center has none by that id; `signal` stops its retries (shutdown). */
  getReferral(id: string, options?: { signal?: AbortSignal }): Promise<Referral | null>;
  /** Every referral in an engagement: the partner's own and Microsoft's side. */
  listEngagement(engagementId: string): Promise<Referral[]>;
  findByExternalReferenceId(externalReferenceId: string): Promise<Referral | null>;
  /**
   * POSTs the partner's own referral for a deal type (in single-referral mode a co-sell's one POST
   * also invites Microsoft). When an attempt's answer is lost within the call, it looks for the
   * referral before trying again. Across calls and processes it does not: a caller that may have
   * posted before (a link still `creating`) looks the referral up by external reference id first.
   */
  createReferral(args: { draft: ReferralDraft; dealType: DealType }): Promise<CreatedReferral>;
  /** Whether a co-sell asks Microsoft through a second, connected referral (two-referral mode). */
  readonly invitesMicrosoftSeparately: boolean;
  /** The Microsoft-side referral in `own`'s engagement, or null when none was made yet. */
  findMicrosoftSide(own: ReferralRef): Promise<Referral | null>;
  /**
   * POSTs the connected Microsoft-side referral of a co-sell (two-referral mode) carrying the help
   * asked for. Like `createReferral`, it looks before posting again only within the call.
   */
  inviteMicrosoft(args: { own: ReferralRef; draft: ReferralDraft; dealType: Extract<DealType, { kind: 'coSell' }> }): Promise<Referral>;
  /** JSON Patch with `If-Match: eTag`; a moved referral throws a `conflict` ConnectorError. */
  updateReferral(args: { id: string; eTag: string; patch: readonly JsonPatchOp[] }): Promise<Referral>;
  health(): ConnectorHealth;
  close(): Promise<void>;
}

export interface Notification {
  kind: 'newInboundReferral' | 'referralExpiring' | 'needsAttention' | 'healthDigest';
  subject: string;
  /** Plain text. Never customer contact details. */
  body: string;
  /** The partner's own staff to tell (a deal's CRM owner); the operators when absent. */
  to?: readonly string[];
}

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
