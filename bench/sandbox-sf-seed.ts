/**
 * Benchmark: the Salesforce emulator. Seeds 10,000 and 100,000 opportunities (with their
 * accounts, contacts, users, contact roles and team members) and prints the start-up time and
 * heap, then the p50 / p95 / p99 latency of simple GETs over loopback with a keep-alive agent:
 * one opportunity row, `/limits`, and the first page of the watermark query.
 * Targets: 10,000 seeded in under 5 s; a simple GET under 2 ms.
 *
 *   npx tsx bench/sandbox-sf-seed.ts [size ...]
 */
import http from 'node:http';
import { SandboxClock } from '../sandbox/shared/clock.js';
import { startSalesforceEmulator } from '../sandbox/salesforce/index.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function latencies(url: string, token: string, n: number): Promise<string> {
  for (let i = 0; i < 50; i += 1) await get(url, token);
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    const status = await get(url, token);
    ms.push(performance.now() - t);
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number): string => (ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0).toFixed(2);
  return `p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  p99 ${at(0.99)} ms  (n=${n})`;
}

async function run(size: number): Promise<void> {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  const t0 = performance.now();
  const { server, control } = await startSalesforceEmulator({ clock, seed: 42, size, options: { dailyApiLimit: 10_000_000 } });
  const seedMs = performance.now() - t0;
  const heap = process.memoryUsage();
  console.log(`size ${size}: seeded and listening in ${(seedMs / 1000).toFixed(2)} s; heap ${(heap.heapUsed / 1048576).toFixed(0)} MB, rss ${(heap.rss / 1048576).toFixed(0)} MB`);
  const token = control.issueAccessToken();
  const [opp] = control.query({ soql: 'SELECT Id FROM Opportunity LIMIT 1' }) as Array<{ Id: string }>;
  const base = `${server.url}/services/data/v60.0`;
  console.log(`  GET sobjects/Opportunity/<id>   ${await latencies(`${base}/sobjects/Opportunity/${opp?.Id ?? ''}`, token, 2000)}`);
  console.log(`  GET limits                      ${await latencies(`${base}/limits`, token, 2000)}`);
  const q = encodeURIComponent('SELECT Id, Name, StageName, Amount, SystemModstamp, Account.Name FROM Opportunity WHERE SystemModstamp >= 2026-02-01T00:00:00Z ORDER BY SystemModstamp, Id');
  console.log(`  GET query (first page of 2000)  ${await latencies(`${base}/query?q=${q}`, token, 20)}`);
  await server.close();
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) await run(size);
agent.destroy();
