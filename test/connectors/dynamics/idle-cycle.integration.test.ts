/**
 * Acceptance: an idle cycle against an org with 100,000 opportunities costs exactly ONE
 * request to Dataverse (the emulator's call counter proves it), lookups read or not; a change
 * costs the delta plus one expanded read, a deletion only the delta.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector } from '../../../connectors/dynamics/index.js';
import { systemClock } from '../../../src/core/clock.js';
import type { CrmRecord } from '../../../src/domain/crm-record.js';
import type { ChangePage } from '../../../connectors/types.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

const SIZE = 100_000;
const FIELDS = ['name', 'estimatedvalue', 'cosell_referralid', 'parentaccountid.name', 'transactioncurrencyid.isocurrencycode'];

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

async function drain(connector: DynamicsConnector, cursor: string | null): Promise<{ pages: ChangePage<CrmRecord>[]; cursor: string | null }> {
  const pages: ChangePage<CrmRecord>[] = [];
  for await (const page of connector.readChanges({ kind: 'opportunity', fields: FIELDS, cursor })) pages.push(page);
  return { pages, cursor: pages.at(-1)?.cursor ?? cursor };
}

describe('Dataverse idle cycle with 100,000 opportunities', () => {
  let emulator: StartedDataverseEmulator;
  let connector: DynamicsConnector;
  let clock: SandboxClock;
  let cursor: string | null = null;
  let seededIds: string[] = [];

  beforeAll(async () => {
    clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
    emulator = await startDataverseEmulator({ clock, seed: 3, size: SIZE, options: { staticTokens: ['idle-token'] } });
    connector = createDynamicsConnector(
      { auth: { kind: 'staticToken', accessToken: 'idle-token' }, url: emulator.server.url, pageSize: 5000 },
      { logger: pino({ level: 'silent' }), clock: systemClock },
    );
    const first = await drain(connector, null);
    cursor = first.cursor;
    seededIds = first.pages.flatMap((p) => p.items.map((r) => r.id));
  }, 120_000);
  afterAll(async () => {
    await connector.close();
    await emulator.server.close();
  });

  it('reads all of them first, then an idle cycle is one request and returns nothing', async () => {
    expect(new Set(seededIds).size).toBe(SIZE);
    const before = total(emulator.control.callCounts());
    const idle = await drain(connector, cursor);
    expect(total(emulator.control.callCounts()) - before).toBe(1);
    expect(idle.pages.flatMap((p) => p.items)).toEqual([]);
    expect(idle.pages.flatMap((p) => p.deletedIds)).toEqual([]);
    cursor = idle.cursor;
  });

  it('a change costs the delta and one expanded read; a deletion only the delta', async () => {
    const [id = '', gone = ''] = seededIds;
    clock.advance(2000);
    emulator.control.editRecord({ table: 'opportunities', id, values: { name: 'Changed while idle' } });
    let before = total(emulator.control.callCounts());
    const changed = await drain(connector, cursor);
    expect(total(emulator.control.callCounts()) - before).toBe(2);
    expect(changed.pages.flatMap((p) => p.items).map((r) => [r.id, r.fields['name']])).toEqual([[id, 'Changed while idle']]);
    expect(typeof changed.pages[0]?.items[0]?.fields['parentaccountid.name']).toBe('string');

    emulator.control.deleteRecord({ table: 'opportunities', id: gone });
    before = total(emulator.control.callCounts());
    const deleted = await drain(connector, changed.cursor);
    expect(total(emulator.control.callCounts()) - before).toBe(1);
    expect(deleted.pages.flatMap((p) => p.deletedIds)).toEqual([gone]);
  });
});
