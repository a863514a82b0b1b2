import { z } from 'zod';

import { cronExpression } from './common.js';

const bound = z.int().min(1).nullable();

/**
 * How much of its own run history the store keeps: runs, each run's per-record outcomes and the
 * record history would otherwise grow for ever. Null turns that bound off.
 */
export const retentionSchema = z
  .strictObject({
    maxAgeDays: bound.default(90),
    maxRuns: bound.default(100_000),
    maxHistoryEntries: bound.default(1_000_000),
    schedule: cronExpression.default('41 3 * * *'),
  })
  .prefault({});

export type RetentionConfig = z.output<typeof retentionSchema>;
