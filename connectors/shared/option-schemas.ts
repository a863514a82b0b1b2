/** Option schemas every connector takes the same way: its rate limit and its retry policy. */
import { z } from 'zod';
import { defaultRetryPolicy } from './retry.js';

/** `{ concurrency, intervalCap, intervalMs }` with the vendor's own defaults. */
export const rateLimitOptions = (defaults: { concurrency: number; intervalCap: number; intervalMs: number }) =>
  z
    .object({
      concurrency: z.number().int().positive().default(defaults.concurrency),
      intervalCap: z.number().int().positive().default(defaults.intervalCap),
      intervalMs: z.number().int().positive().default(defaults.intervalMs),
    })
    .prefault({});

export const retryOptions = z
  .object({
    maxAttempts: z.number().int().positive().default(defaultRetryPolicy.maxAttempts),
    baseDelayMs: z.number().int().nonnegative().default(defaultRetryPolicy.baseDelayMs),
    maxDelayMs: z.number().int().nonnegative().default(defaultRetryPolicy.maxDelayMs),
    retryUnknownOutcome: z.boolean().default(defaultRetryPolicy.retryUnknownOutcome),
  })
  .prefault({});
