/**
 * The daemon's warm-up at start is a convenience: whatever it cannot do is left to the first call
 * that needs it, and the start goes on.
 */
import { describe, expect, it } from '@jest/globals';

import { warmUp } from '../../src/app/warm-up.js';
import type { CrmSide } from '../../src/engine/types.js';
import { createLogger } from '../../src/logging/index.js';
import { logSink } from './helpers.js';

describe('warm-up at start', () => {
  it('logs a mapping table that cannot be prepared and lets the start go on', async () => {
    const log = logSink();
    const logger = createLogger({ level: 'info', pretty: false, destination: log.stream });
    const side = {
      system: 'salesforce',
      connector: { describe: async () => ({ fields: [] }) },
      mapping: {
        prepare: () => {
          throw new Error('country table unreadable');
        },
      },
    } as unknown as CrmSide;

    await expect(warmUp({ deps: { crms: [side] }, partnerCenterToken: async () => 'token', logger, waitMs: 1000 })).resolves.toBeUndefined();

    const warnings = log.lines().filter((l) => l['level'] === 'warn');
    expect(warnings.map((l) => l['msg'])).toEqual(['preparing parsers or mapping tables failed at start; the first webhook will build them']);
  });
});
