/**
 * Partner Center emulator benchmark: start-up time with 10,000 seeded referrals, then the
 * latency of a simple GET by id over loopback (keep-alive). Prints numbers only.
 *
 *   npx tsx bench/sandbox-pc-get.ts [size] [requests] [tls]
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { startEntraEmulator } from '../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../sandbox/partner-center/index.js';
import { SandboxClock } from '../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../sandbox/shared/tls.js';

const size = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 2_000);
const useTls = process.argv[4] === 'tls';
const warmup = 200;

async function token(entraUrl: string): Promise<string> {
  const post = async (path: string, values: Record<string, string>) => {
    const answer = await fetch(`${entraUrl}/common/oauth2/v2.0/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(values),
    });
    return (await answer.json()) as Record<string, string>;
  };
  const code = await post('devicecode', { client_id: 'bench', scope: 'https://api.partner.microsoft.com/.default' });
  const tokens = await post('token', { client_id: 'bench', grant_type: 'device_code', device_code: code.device_code ?? '' });
  return tokens.access_token ?? '';
}

function get(agent: http.Agent, url: string, bearer: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { agent, headers: { Authorization: `Bearer ${bearer}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const clock = new SandboxClock();
  const entra = await startEntraEmulator({ clock, autoApproveDeviceCodesAs: 'bench@partner.example' });
  const ca = useTls ? createSandboxCa() : null;
  const tls = ca ? issueServerCert(ca, { hosts: ['127.0.0.1'] }) : undefined;
  const started = performance.now();
  const pc = await startPartnerCenterEmulator({ clock, seed: 42, size, tokenValidator: entra.tokenValidator, ...(tls ? { tls } : {}) });
  const startupMs = performance.now() - started;
  const bearer = await token(entra.server.url);
  const ids = pc.control.list().map((r) => r.id);
  const agent = ca ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  for (let i = 0; i < warmup + requests; i += 1) {
    const ms = await get(agent, `${pc.server.url}/v1.0/engagements/referrals/${ids[(i * 7919) % ids.length]}`, bearer);
    if (i >= warmup) latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  agent.destroy();
  await pc.server.close();
  await entra.server.close();
  console.log(`transport: ${useTls ? 'https (keep-alive)' : 'http (keep-alive)'}`);
  console.log(`referrals seeded: ${size}`);
  console.log(`startup ms: ${startupMs.toFixed(1)}`);
  console.log(`GET by id requests: ${requests}`);
  console.log(`GET by id p50 ms: ${percentile(latencies, 50).toFixed(3)}`);
  console.log(`GET by id p95 ms: ${percentile(latencies, 95).toFixed(3)}`);
  console.log(`GET by id p99 ms: ${percentile(latencies, 99).toFixed(3)}`);
}

await main();
