import { z } from 'zod';

const port = z.number().int().min(0).max(65_535);

/**
 * The two listeners. The admin one (status page, JSON API, conflicts and failures, metrics,
 * health) stays on loopback unless told otherwise; the webhook receiver, which Partner Center must
 * reach, is a separate listener that serves nothing else.
 */
export const serverSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** The admin listener's address; anything but loopback is logged as a warning at start. */
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8787),
    /** Partner Center webhooks (only when `partnerCenter.webhooks.enabled`). */
    webhooks: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: port.default(8788),
      })
      .prefault({}),
  })
  .prefault({});

export type ServerConfig = z.output<typeof serverSchema>;
