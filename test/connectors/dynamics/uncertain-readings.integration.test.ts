/**
 * Where Microsoft's documentation allows two readings of Dataverse behaviour the emulator offers both;
 * the connector must work with either: a failed change set answered per operation (Dataverse developer guide, "Execute batch operations using the Web API"), upsert
 * answering 200 on create ("Update and delete table rows using the Web API"), an expired delta token as 410 rather than 400 (change tracking).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector } from '../../../connectors/dynamics/index.js';
import type { CrmCreate } from '../../../connectors/types.js';
import { systemClock } from '../../../src/core/clock.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

let emulator: StartedDataverseEmulator;
let connector: DynamicsConnector;
const calls = (): number => Object.values(emulator.control.callCounts()).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  emulator = await startDataverseEmulator({
    clock,
    seed: 9,
    size: 40,
    options: { staticTokens: ['u'], changesetFailureParts: 'per-operation', upsertRepresentationStatus: 'always-200', expiredDeltaStatus: 410 },
  });
  connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: 'u' }, url: emulator.server.url, pageSize: 15 }, { logger: pino({ level: 'silent' }), clock: systemClock });
});
afterAll(async () => {
  await connector.close();
  await emulator.server.close();
});

const create = (ref: string, name: string): CrmCreate => ({ kind: 'opportunity', fields: { name }, externalId: { field: 'cosell_referralid', value: ref }, customer: null });

async function read(cursor: string | null): Promise<{ ids: string[]; cursor: string | null }> {
  const ids: string[] = [];
  let last = cursor;
  for await (const page of connector.readChanges({ kind: 'opportunity', fields: ['name'], cursor })) {
    ids.push(...page.items.map((r) => r.id));
    last = page.cursor;
  }
  return { ids, cursor: last };
}

describe('Dataverse connector under the other reading of each two-reading fact', () => {
  it('maps per-operation failure parts and 200-on-create upserts to one outcome per record', async () => {
    const outcomes = await connector.createRecords([create('u-1', 'One'), create('u-2', 'x'.repeat(301)), create('u-3', 'Three')]);
    expect(outcomes.map((o) => (o.ok ? `ok:${String(o.created)}` : o.error.kind))).toEqual(['ok:true', 'invalid', 'ok:true']);
    const again = await connector.createRecords([create('u-1', 'One')]);
    expect(again).toMatchObject([{ ok: true, created: false }]);
  });

  it('a close refused for a stale version fails alone, and the records around it are written', async () => {
    const made = await connector.createRecords([create('sc-before', 'Before'), create('sc-close', 'To close'), create('sc-after', 'After')]);
    const [before, target, after] = made.map((o) => {
      if (!o.ok) throw new Error(`create failed: ${JSON.stringify(o)}`);
      return o;
    });
    if (!before || !target || !after) throw new Error('three creates expected');
    emulator.control.editRecord({ table: 'opportunities', id: target.id, values: { name: 'Edited by a person' } });
    const outcomes = await connector.updateRecords([
      { kind: 'opportunity', id: before.id, version: before.version, fields: { name: 'Before, updated' } },
      { kind: 'opportunity', id: target.id, version: target.version, fields: { statecode: 1, statuscode: 3 } },
      { kind: 'opportunity', id: after.id, version: after.version, fields: { name: 'After, updated' } },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.kind))).toEqual(['ok', 'conflict', 'ok']);
    expect(emulator.control.getRecord({ table: 'opportunities', id: target.id })).toMatchObject({ statecode: 0, name: 'Edited by a person' });
    expect(emulator.control.getRecord({ table: 'opportunities', id: after.id })).toMatchObject({ name: 'After, updated' });
  });

  it('resyncs once after an expired delta token answered 410, then idles on one request again', async () => {
    const first = await read(null);
    emulator.control.expireDeltaTokens();
    const resync = await read(first.cursor);
    expect(new Set(resync.ids).size).toBe(emulator.control.count({ table: 'opportunities' }));
    const before = calls();
    const idle = await read(resync.cursor);
    expect(idle.ids).toEqual([]);
    expect(calls() - before).toBe(1);
  });
});
