import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

describe('cycle log lines', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 10, crms: ['salesforce', 'dynamics'], sandbox: { salesforce: { participatingRate: 1 } } });
  });
  afterAll(() => h.close());

  it('name the CRM and the direction of every cycle', async () => {
    await runCycle(h.engine.deps);
    const cycles = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === 'cycle finished');
    expect(cycles.map((line) => [line['direction'], line['crm']])).toEqual([
      ['outbound', 'salesforce'],
      ['outbound', 'dynamics'],
      ['inbound', 'salesforce'],
    ]);
    expect(cycles.every((line) => typeof line['runId'] === 'string' && typeof line['read'] === 'number')).toBe(true);
  });
});
