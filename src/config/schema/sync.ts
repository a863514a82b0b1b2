import { z } from 'zod';

import { cronExpression, positiveInt, timeZone } from './common.js';

/** When the loops run, how they retry and what a CRM delete does to the referral. */
export const syncSchema = z
  .strictObject({
    schedule: z
      .strictObject({
        outbound: cronExpression.default('*/2 * * * *'),
        inbound: cronExpression.default('*/2 * * * *'),
        reconcile: cronExpression.default('17 * * * *'),
      })
      .prefault({}),
    dryRun: z.boolean().default(false),
    deletePolicy: z.enum(['closeAsLost', 'unlink', 'hold']).default('hold'),
    retry: z
      .strictObject({
        baseDelayMs: positiveInt.default(500),
        maxDelayMs: positiveInt.default(60_000),
        maxAttempts: positiveInt.default(5),
      })
      .prefault({})
      .refine((retry) => retry.maxDelayMs >= retry.baseDelayMs, {
        error: 'maxDelayMs must be at least baseDelayMs',
        path: ['maxDelayMs'],
      }),
    timeZone: timeZone.default('UTC'),
    shutdownGraceMs: z.number().int().nonnegative().default(10_000),
    notReadyAfterIntervals: positiveInt.default(3),
  })
  .prefault({});

export type SyncConfig = z.output<typeof syncSchema>;
