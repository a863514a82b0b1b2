/**
 * The Partner Center Referrals emulator (Partner Center docs: "Referrals API introduction" and the pages it links).
 */
export { createPartnerCenterEmulator, type PartnerCenterEmulatorArgs } from './emulator.js';
export { startPartnerCenterEmulator, type StartPartnerCenterArgs } from './start.js';
export type { PartnerCenterControl } from './control.js';
export { DEFAULT_OPTIONS, type PartnerCenterOptions, type PartnerCenterOptionsInput } from './options.js';
export type { InboundCategory } from './factories.js';
export type { DeliveryRecord, WebhookPayload } from './webhooks/dispatcher.js';
export type { WebhookRegistration } from './webhooks/registration.js';
export { SIGNING_CERT_PATH } from './webhooks/signer.js';
export type { PresentedReferral, WireReferral } from './wire-types.js';
export { REFERRALS_AUDIENCE, CSP_AUDIENCE } from './routes/context.js';
