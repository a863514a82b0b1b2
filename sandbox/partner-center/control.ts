/**
 * The control surface tests, the demo and benchmarks use to act as people would: seed data, Microsoft sending or answering referrals, a person editing a referral
 * in the Partner Center UI, duplicate counts, and what the webhooks delivered.
 */
import { EmuHttpError } from '../shared/http.js';
import type { InboundCategory } from './factories.js';
import type { MicrosoftSideOptions } from './options.js';
import type { RegistrationStatus } from './registrations.js';
import type { DeliveryRecord } from './webhooks/dispatcher.js';
import type { WebhookRegistration } from './webhooks/registration.js';
import type { PresentedReferral } from './wire-types.js';

export interface PartnerCenterControl {
  /** Adds `count` more seeded referrals (created over the last 180 days). */
  seed(args: { count: number }): PresentedReferral[];
  list(): PresentedReferral[];
  get(id: string): PresentedReferral | null;
  /**
   * Microsoft sends a new inbound referral now (Partner Center docs, "Referrals API introduction"):
   * a lead or a co-sell invitation. `receivedAt` in the past: it arrived then and has only the rest
   * of its 14 days left (it still shows up as changed now, so a sync reads it).
   */
  createInbound(args: { category: InboundCategory; overrides?: Record<string, unknown>; receivedAt?: Date }): PresentedReferral;
  /**
   * A Microsoft seller answers a co-sell request now (Partner Center docs, "Manage co-sell opportunities"). Give the
   * request's id, or the engagement id to answer the request pending in it.
   */
  microsoftRespond(args: { referralId?: string; engagementId?: string; decision: 'accept' | 'decline'; reason?: string }): PresentedReferral;
  /**
   * Microsoft's reviewer decides a deal registration now: the status given (with its reason), or
   * without one the simulated review (approved at USD 25,000 or more, else failed).
   */
  reviewRegistration(args: { referralId: string; status?: RegistrationStatus; reason?: string }): PresentedReferral;
  /**
   * A person edits the referral in the Partner Center UI: a JSON Patch array, or an object whose
   * top-level properties are replaced. Same rules as the API, no If-Match; bumps eTag and
   * updatedDateTime and fires webhooks.
   */
  editAsUser(args: { id: string; changes: unknown }): PresentedReferral;
  /**
   * Turns the Microsoft-side switches on or off at run time (see `options.microsoftSide`); the
   * fields left out keep their value. Returns the switches now in force.
   */
  setMicrosoftSide(args: Partial<MicrosoftSideOptions>): MicrosoftSideOptions;
  /** How many referrals carry this externalReferenceId (duplicate-create checks). */
  countByExternalReferenceId(externalReferenceId: string): number;
  webhookRegistration(): WebhookRegistration | null;
  webhookDeliveries(): readonly DeliveryRecord[];
  /** Resolves when no webhook delivery is pending. */
  webhooksIdle(): Promise<void>;
  /** PEM of the certificate that signs webhook bodies. */
  signingCertificatePem(): string;
  /** Plays out the simulation up to the clock's now (it also runs on every advance and API call). */
  tick(): void;
  /** Where links, nextLinks and the certificate URL point (set by startPartnerCenterEmulator). */
  setBaseUrl(url: string): void;
  /** Stops the simulation and pending webhook retries. */
  dispose(): void;
}

export function controlError(status: number, message: string): EmuHttpError {
  return new EmuHttpError(status, { error: { code: status === 404 ? 'itemNotFound' : 'invalidRequest', message } });
}

/** Reads a `PUT /microsoft-side` body, refusing anything but the two switches. */
export function readMicrosoftSide(body: unknown): Partial<MicrosoftSideOptions> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw controlError(400, 'the body must be an object: { requireSolutions?, refuse? }');
  const out: Partial<MicrosoftSideOptions> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'requireSolutions' && typeof value === 'boolean') out.requireSolutions = value;
    else if (key === 'refuse' && (value === false || value === 400 || value === 403 || value === 503)) out.refuse = value;
    else throw controlError(400, `'${key}' must be requireSolutions (boolean) or refuse (false, 400, 403 or 503)`);
  }
  return out;
}

/** A JSON Patch array as given, or an object turned into `replace` operations. */
export function toPatch(changes: unknown): unknown {
  if (Array.isArray(changes)) return changes;
  if (typeof changes !== 'object' || changes === null) throw controlError(400, 'changes must be a JSON Patch array or an object');
  return Object.entries(changes).map(([key, value]) => ({ op: 'replace', path: `/${key}`, value }));
}
