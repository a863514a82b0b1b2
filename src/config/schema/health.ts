import { z } from 'zod';

import { cronExpression, positiveInt } from './common.js';

/**
 * Co-sell health: expiry reminders, hygiene thresholds, the weekly digest (opt-in) and deal
 * registrations for won deals (opt-in). Mail goes through the `graph` section.
 */
export const healthSchema = z
  .strictObject({
    reminders: z
      .strictObject({
        enabled: z.boolean().default(true),
        // An inbound referral has 14 days to be answered; a point is days left before that deadline.
        daysLeft: z
          .array(z.int().min(0).max(13, { error: 'an inbound referral has 14 days to be answered: at most 13 days left' }))
          .min(1)
          .default([7, 2])
          .refine((d) => new Set(d).size === d.length, { error: 'each point once' }),
        schedule: cronExpression.default('*/10 * * * *'),
      })
      .prefault({}),
    hygiene: z.strictObject({ conflictAgeDays: z.int().min(0).default(7) }).prefault({}),
    digest: z
      .strictObject({
        enabled: z.boolean().default(false),
        schedule: cronExpression.default('0 7 * * 1'),
      })
      .prefault({}),
    registrations: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Azure IP co-sell eligible solution ids (`SOL-…`); a won deal with one of them is registered. */
        solutions: z.array(z.string().min(1)).default([]),
        schedule: cronExpression.default('*/15 * * * *'),
        pageSize: positiveInt.default(200),
      })
      .prefault({})
      .refine((r) => !r.enabled || r.solutions.length > 0, { error: 'name at least one eligible solution id when registrations are enabled', path: ['solutions'] }),
  })
  .prefault({});

export type HealthConfig = z.output<typeof healthSchema>;
