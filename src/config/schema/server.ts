import { z } from 'zod';

/** The status server (health, readiness, metrics, status page, webhooks). */
export const serverSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
  })
  .prefault({});

export type ServerConfig = z.output<typeof serverSchema>;
