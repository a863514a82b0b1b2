/**
 * Benchmark: the Dataverse connector against the sandbox emulator with 100,000 opportunities.
 * Prints the first full read (requests, time, records/s), then requests and time of idle cycles
 * (change tracking: one delta request each) and of a cycle after one edit.
 *
 *   npx tsx bench/connector-dv-idle.ts [size]
 */
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector } from '../connectors/dynamics/index.js';
import { systemClock } from '../src/core/clock.js';
import { startDataverseEmulator } from '../sandbox/dataverse/index.js';
import { SandboxClock } from '../sandbox/shared/clock.js';

const FIELDS = [
  'name',
  'estimatedvalue',
  'estimatedclosedate',
  'statecode',
  'statuscode',
  'cosell_referralid',
  'cosell_syncwithpartnercenter',
  'parentaccountid.name',
  'parentaccountid.address1_postalcode',
  'parentcontactid.emailaddress1',
  'transactioncurrencyid.isocurrencycode',
];

const calls = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

async function cycle(connector: DynamicsConnector, cursor: string | null): Promise<{ cursor: string | null; records: number; firstId: string | null; ms: number }> {
  const started = performance.now();
  let records = 0;
  let next = cursor;
  let firstId: string | null = null;
  for await (const page of connector.readChanges({ kind: 'opportunity', fields: FIELDS, cursor })) {
    records += page.items.length;
    firstId ??= page.items[0]?.id ?? null;
    next = page.cursor;
  }
  return { cursor: next, records, firstId, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 100_000);
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  const seedStart = performance.now();
  const emulator = await startDataverseEmulator({ clock, seed: 42, size, options: { staticTokens: ['bench'] } });
  console.log(`emulator seeded with ${size} opportunities in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const connector = createDynamicsConnector(
    { auth: { kind: 'staticToken', accessToken: 'bench' }, url: emulator.server.url, pageSize: 5000 },
    { logger: pino({ level: 'warn' }), clock: systemClock },
  );
  try {
    let before = calls(emulator.control.callCounts());
    const first = await cycle(connector, null);
    console.log(
      `first read: ${first.records} records, ${calls(emulator.control.callCounts()) - before} requests, ${(first.ms / 1000).toFixed(2)} s, ${Math.round(first.records / (first.ms / 1000))} records/s`,
    );
    let cursor = first.cursor;
    for (let i = 1; i <= 3; i++) {
      before = calls(emulator.control.callCounts());
      const idle = await cycle(connector, cursor);
      cursor = idle.cursor;
      console.log(`idle cycle ${i}: ${calls(emulator.control.callCounts()) - before} request(s), ${idle.records} records, ${idle.ms.toFixed(1)} ms`);
    }
    clock.advance(2000);
    if (first.firstId !== null) emulator.control.editRecord({ table: 'opportunities', id: first.firstId, values: { name: 'Edited during the benchmark' } });
    before = calls(emulator.control.callCounts());
    const oneEdit = await cycle(connector, cursor);
    console.log(`cycle after one edit: ${calls(emulator.control.callCounts()) - before} request(s), ${oneEdit.records} records, ${oneEdit.ms.toFixed(1)} ms`);
  } finally {
    await connector.close();
    await emulator.server.close();
  }
}

await main();
