/**
 * Benchmark: create 10,000 inbound opportunities (upsert on Referral_Id__c, no customer data),
 * then update all of them, through the connector against the sandbox Salesforce emulator with a
 * simulated latency per call. Prints the calls per phase, the minimum the API allows (one
 * collection call per 200 records), the elapsed time, and the ideal time
 * (calls ÷ concurrency × latency) it is measured against (target: within 1.1× of it).
 *
 *   npx tsx bench/connector-sf-write.ts [records] [latencyMs]
 */
import { pino } from 'pino';
import { createSalesforceConnector } from '../connectors/salesforce/index.js';
import type { CrmCreate } from '../connectors/types.js';
import { startSalesforceEmulator } from '../sandbox/salesforce/index.js';
import { SandboxClock } from '../sandbox/shared/clock.js';
import { systemClock } from '../src/core/clock.js';

const records = Number(process.argv[2] ?? 10_000);
const latencyMs = Number(process.argv[3] ?? 50);
const concurrency = 4;

const emulator = await startSalesforceEmulator({
  clock: new SandboxClock(new Date('2026-03-02T09:00:00Z')),
  seed: 9,
  size: 100,
  options: { dailyApiLimit: 10_000_000 },
});
const connector = createSalesforceConnector(
  {
    auth: { kind: 'clientCredentials', clientId: emulator.control.clientIds[0] ?? 'cosell-sandbox', clientSecret: emulator.control.clientSecret },
    loginUrl: emulator.server.url,
    apiVersion: '60.0',
    rateLimit: { concurrency, intervalCap: 1000, intervalMs: 1000 },
  },
  { logger: pino({ level: 'warn' }), clock: systemClock },
);
// One warm-up call signs in, so the token request is not timed.
await connector.describe('opportunity');
emulator.server.faults.set([{ latencyMs: { min: latencyMs, max: latencyMs } }]);

async function phase(name: string, run: () => Promise<{ ok: boolean }[]>): Promise<void> {
  emulator.server.stats.reset();
  const t0 = performance.now();
  const outcomes = await run();
  const ms = performance.now() - t0;
  const calls = emulator.server.stats.total();
  const minimum = Math.ceil(records / 200);
  const ideal = (calls / concurrency) * latencyMs;
  console.log(
    `${name.padEnd(7)} ${outcomes.filter((o) => o.ok).length}/${records} ok, ${calls} calls (API minimum ${minimum}, ratio ${(calls / minimum).toFixed(2)}), ` +
      `${(ms / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s (${(ms / ideal).toFixed(2)}x), ${Math.round(records / (ms / 1000))} records/s`,
  );
  console.log(`        by route: ${JSON.stringify(emulator.server.stats.byRoute())}`);
}

const writes: CrmCreate[] = Array.from({ length: records }, (_, i) => ({
  kind: 'opportunity',
  fields: { Name: `Bench deal ${i}`, StageName: 'On Hold', CloseDate: '2026-06-30', Amount: i, Sync_With_Partner_Center__c: true },
  externalId: { field: 'Referral_Id__c', value: `bench-${i}` },
  customer: null,
}));
let created: Awaited<ReturnType<typeof connector.createRecords>> = [];
await phase('create', async () => (created = await connector.createRecords(writes)));
await phase('update', () =>
  connector.updateRecords(created.flatMap((o) => (o.ok ? [{ kind: 'opportunity' as const, id: o.id, version: o.version, fields: { Amount: 1 } }] : []))),
);
await connector.close();
await emulator.server.close();
