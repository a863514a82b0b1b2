/**
 * Benchmark: what the Dataverse connector's describe and writes cost against the sandbox emulator.
 * Prints requests and time of describe (opportunity + lead), of inbound creates with customer
 * matching, of the same creates replayed (all exist already), of plain updates and of closes
 * (won through WinOpportunity).
 *
 *   npx tsx bench/connector-dv-writes.ts [records=500]
 */
import { pino } from 'pino';
import { createDynamicsConnector } from '../connectors/dynamics/index.js';
import type { CrmCreate, WriteOutcome } from '../connectors/types.js';
import { systemClock } from '../src/core/clock.js';
import { startDataverseEmulator } from '../sandbox/dataverse/index.js';
import { SandboxClock } from '../sandbox/shared/clock.js';

const n = Number(process.argv[2] ?? 500);
const closes = Math.max(1, Math.round(n / 10));

const inbound = (i: number): CrmCreate => ({
  kind: 'opportunity',
  fields: { name: `Inbound ${i}`, estimatedvalue: 1000 + i, 'transactioncurrencyid.isocurrencycode': 'EUR', cosell_syncwithpartnercenter: true },
  externalId: { field: 'cosell_referralid', value: `bench-ref-${i}` },
  customer: {
    // Two referrals per customer: the second finds the account and contact the first created.
    account: { name: `Customer ${Math.floor(i / 2)}`, street: '1 Main St', city: 'Leeds', state: null, postalCode: 'LS1 1AA', country: 'GB', duns: null },
    contacts: [{ firstName: 'Ana', lastName: 'Lopez', email: `buyer${Math.floor(i / 2)}@customer.example`, phone: null, title: null }],
  },
});

const okCount = (outcomes: WriteOutcome[]): number => outcomes.filter((o) => o.ok).length;

async function main(): Promise<void> {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  const emulator = await startDataverseEmulator({ clock, seed: 42, size: 2000, options: { staticTokens: ['bench'] } });
  const connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: 'bench' }, url: emulator.server.url }, { logger: pino({ level: 'warn' }), clock: systemClock });
  const calls = (): number => Object.values(emulator.control.callCounts()).reduce((a, b) => a + b, 0);
  const step = async <T>(label: string, run: () => Promise<T>, describeResult: (result: T) => string): Promise<T> => {
    const before = calls();
    const started = performance.now();
    const result = await run();
    console.log(`${label}: ${calls() - before} requests, ${(performance.now() - started).toFixed(0)} ms, ${describeResult(result)}`);
    return result;
  };
  try {
    await step('describe opportunity + lead', async () => [await connector.describe('opportunity'), await connector.describe('lead')], (d) => `${d.reduce((sum, x) => sum + x.fields.length, 0)} fields`);
    const writes = Array.from({ length: n }, (_, i) => inbound(i));
    const created = await step(`create ${n} inbound (${n / 2} customers)`, () => connector.createRecords(writes), (o) => `${okCount(o)} ok`);
    await step(`create the same ${n} again (found by key)`, () => connector.createRecords(writes), (o) => `${okCount(o)} ok, ${o.filter((x) => x.ok && !x.created).length} existing`);
    const ok = created.flatMap((o) => (o.ok ? [o] : []));
    clock.advance(2000);
    const updated = await step(
      `update ${ok.length}`,
      () => connector.updateRecords(ok.map((o, i) => ({ kind: 'opportunity' as const, id: o.id, version: o.version, fields: { estimatedvalue: 5000 + i } }))),
      (o) => `${okCount(o)} ok`,
    );
    const toClose = updated.slice(0, closes).flatMap((o) => (o.ok ? [o] : []));
    await step(
      `close ${toClose.length} as won`,
      () => connector.updateRecords(toClose.map((o) => ({ kind: 'opportunity' as const, id: o.id, version: o.version, fields: { statecode: 1, statuscode: 3 } }))),
      (o) => `${okCount(o)} ok`,
    );
  } finally {
    await connector.close();
    await emulator.server.close();
  }
}

await main();
