/** The parsers a webhook burst runs through, built at once (zod builds each on first use: see compile-schemas.ts). */
import { compileSchemas } from '../shared/compile-schemas.js';
import { webhookPayloadSchema } from './webhooks/event.js';
import { wireReferralSchema } from './wire.js';

export function compileParsers(): void {
  compileSchemas(webhookPayloadSchema, wireReferralSchema);
}
