import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `pretty: auto` means human-readable when stderr (where logs go) is a terminal, JSON otherwise (decided by the CLI). */
export const loggingSchema = z
  .strictObject({
    level: z.enum(LOG_LEVELS).default('info'),
    pretty: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  })
  .prefault({});

export type LoggingConfig = z.output<typeof loggingSchema>;
