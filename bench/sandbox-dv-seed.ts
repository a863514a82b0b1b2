/**
 * Dataverse emulator benchmark: seed time for 10,000 and 100,000 opportunities, p50/p95 of a
 * simple GET on loopback, a full tracked listing, and the requests an idle delta cycle takes.
 * Run: npx tsx bench/sandbox-dv-seed.ts
 */
import { DynamicsWebApi } from 'dynamics-web-api';
import { SandboxClock } from '../sandbox/shared/clock.js';
import { startDataverseEmulator } from '../sandbox/dataverse/index.js';

const TOKEN = 'bench-token';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function bench(size: number): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const emulator = await startDataverseEmulator({ clock: new SandboxClock(), seed: 1, size, options: { staticTokens: [TOKEN] } });
  const seedMs = performance.now() - started;
  const seedCpu = process.cpuUsage(cpu);
  const url = emulator.server.url;
  const headers = { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' };
  const list = (await (await fetch(`${url}/api/data/v9.2/opportunities?$select=name&$top=200`, { headers })).json()) as { value: { opportunityid: string }[] };
  const ids = list.value.map((r) => r.opportunityid);
  const times: number[] = [];
  emulator.server.stats.reset();
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    const response = await fetch(`${url}/api/data/v9.2/opportunities(${ids[i % ids.length]})?$select=name,estimatedvalue,statecode`, { headers });
    await response.arrayBuffer();
    times.push(performance.now() - t);
  }
  const warm = times.slice(200).sort((a, b) => a - b);
  const serverSide = emulator.server.stats.log().map((e) => e.ms).sort((a, b) => a - b);

  const dwa = new DynamicsWebApi({ serverUrl: url, dataApi: { version: '9.2' }, onTokenRefresh: async () => TOKEN });
  emulator.server.stats.reset();
  const fullStarted = performance.now();
  const full = await dwa.retrieveAll<Record<string, unknown>>({ collection: 'opportunities', select: ['name', 'estimatedvalue', 'statecode', 'modifiedon'], trackChanges: true, maxPageSize: 5000 });
  const fullMs = performance.now() - fullStarted;
  const fullRequests = emulator.server.stats.total();

  emulator.server.stats.reset();
  const idleStarted = performance.now();
  const idle = await dwa.retrieveMultiple({ collection: 'opportunities', maxPageSize: 5000 }, full.oDataDeltaLink);
  const idleMs = performance.now() - idleStarted;
  const idleRequests = emulator.server.stats.total();

  for (let i = 0; i < 100; i++) emulator.control.editRecord({ table: 'opportunities', id: ids[i % ids.length] as string, values: { description: `edit ${i}` } });
  emulator.server.stats.reset();
  const deltaStarted = performance.now();
  const delta = await dwa.retrieveMultiple({ collection: 'opportunities', maxPageSize: 5000 }, idle.oDataDeltaLink);
  const deltaMs = performance.now() - deltaStarted;

  console.log(`size=${size.toLocaleString('en-US')}`);
  // CPU time is printed too: on a shared machine the wall time mostly measures other processes.
  console.log(`  seed + start: ${seedMs.toFixed(0)} ms wall, ${((seedCpu.user + seedCpu.system) / 1000).toFixed(0)} ms CPU (${JSON.stringify(emulator.seeded.counts)})`);
  console.log(`  load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  GET opportunities(id) x${warm.length}: p50 ${percentile(warm, 50).toFixed(2)} ms, p95 ${percentile(warm, 95).toFixed(2)} ms (client side, fetch)`);
  console.log(`  same, inside the server (last ${serverSide.length}): p50 ${percentile(serverSide, 50).toFixed(2)} ms, p95 ${percentile(serverSide, 95).toFixed(2)} ms`);
  console.log(`  tracked full listing: ${full.value.length} rows, ${fullRequests} requests, ${fullMs.toFixed(0)} ms`);
  console.log(`  idle delta cycle: ${idleRequests} request(s), ${idle.value.length} rows, ${idleMs.toFixed(1)} ms`);
  console.log(`  delta after 100 edits: ${delta.value.length} rows, ${emulator.server.stats.total()} request(s), ${deltaMs.toFixed(1)} ms`);
  await emulator.server.close();
}

for (const size of [10_000, 100_000]) await bench(size);
