/**
 * Whole-cycle benchmark: a backfill of N participating Salesforce opportunities through the real
 * daemon (connectors, mappings, engine, SQLite store) against the sandbox, then an idle cycle.
 * Prints throughput, API calls against the minimum the APIs allow, peak RSS, and the CPU time of
 * the idle cycle. Usage: tsx bench/sync-backfill.ts [N=2000] [latencyMs=0]
 */
import { runCycle } from '../src/engine/cycle.js';
import { startHarness } from '../harness/sandbox-harness.js';

const n = Number(process.argv[2] ?? 2000);
const latency = Number(process.argv[3] ?? 0);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const faults = latency > 0 ? [{ latencyMs: { min: latency, max: latency } }] : [];
const h = await startHarness({
  size: n,
  sandbox: { salesforce: { participatingRate: 1 }, faults: { partnerCenter: faults, salesforce: faults } },
});
const pc = h.sandbox.partnerCenter.server.stats;
const sf = h.sandbox.salesforce!.server.stats;
pc.reset();
sf.reset();
const started = performance.now();
const [report] = await runCycle(h.engine.deps, { direction: 'out' });
const seconds = (performance.now() - started) / 1000;
const created = report!.written;
const pcCalls = pc.total();
const sfCalls = sf.total();
console.log(`backfill: ${n} opportunities read, ${created} writes recorded, ${report!.failed} invalid (listed as failures), ${seconds.toFixed(2)} s, ${(n / seconds).toFixed(0)} records/s read, latency ${latency} ms`);
console.log(`partner center: ${pcCalls} calls for ${created} referral writes (${(pcCalls / Math.max(1, created)).toFixed(3)} per write; the API has no bulk write): ${JSON.stringify(pc.byRoute())}`);
console.log(`salesforce: ${sfCalls} calls for ${n} records (query pages + write-back batches of 200 + version re-reads + token)`);

// The first inbound cycle lists every referral once; the idle cycle is the one after it, a few
// minutes later (right after a burst of writes the read overlap window still re-reads them).
await runCycle(h.engine.deps);
h.sandbox.clock.advance(180_000);
// Invalid records come due again after the longest backoff; that retry is not the idle cost.
await runCycle(h.engine.deps);
pc.reset();
sf.reset();
const cpu = process.cpuUsage();
const idleStart = performance.now();
await runCycle(h.engine.deps);
const idleCpu = process.cpuUsage(cpu);
console.log(`idle cycle (nothing changed, nothing due) at ${await h.store.countLinks()} links: ${(performance.now() - idleStart).toFixed(1)} ms wall, ${((idleCpu.user + idleCpu.system) / 1000).toFixed(1)} ms CPU, partner center ${pc.total()} calls, salesforce ${sf.total()} calls`);
clearInterval(sampler);
console.log(`peak RSS (daemon and emulators in one process): ${(peakRss / 1e6).toFixed(0)} MB`);
await h.close();
