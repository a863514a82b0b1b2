/**
 * Partner Center emulator benchmark: a full walk of 10,000 seeded referrals through `$top=100`
 * pages (as a reconciliation poll does), and a filtered page. Prints numbers only.
 *
 *   npx tsx bench/sandbox-pc-list.ts [size]
 */
import { performance } from 'node:perf_hooks';
import { startEntraEmulator } from '../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../sandbox/partner-center/index.js';
import { SandboxClock } from '../sandbox/shared/clock.js';

const size = Number(process.argv[2] ?? 10_000);

async function token(entraUrl: string): Promise<string> {
  const post = async (path: string, values: Record<string, string>) =>
    (await (
      await fetch(`${entraUrl}/common/oauth2/v2.0/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(values),
      })
    ).json()) as Record<string, string>;
  const code = await post('devicecode', { client_id: 'bench', scope: 'https://api.partner.microsoft.com/.default' });
  return (await post('token', { client_id: 'bench', grant_type: 'device_code', device_code: code.device_code ?? '' })).access_token ?? '';
}

async function main(): Promise<void> {
  const clock = new SandboxClock();
  const entra = await startEntraEmulator({ clock, autoApproveDeviceCodesAs: 'bench@partner.example' });
  const pc = await startPartnerCenterEmulator({ clock, seed: 42, size, options: { nextLinkStyle: 'clean' }, tokenValidator: entra.tokenValidator });
  const headers = { Authorization: `Bearer ${await token(entra.server.url)}` };
  const base = `${pc.server.url}/v1.0/engagements/referrals`;

  const started = performance.now();
  let url: string | undefined = `${base}?$top=100&$orderby=updatedDateTime%20desc`;
  let pages = 0;
  let records = 0;
  const pageMs: number[] = [];
  while (url) {
    const t = performance.now();
    const body = (await (await fetch(url, { headers })).json()) as { value: unknown[]; '@odata.nextLink'?: string };
    pageMs.push(performance.now() - t);
    pages += 1;
    records += body.value.length;
    url = body['@odata.nextLink'];
  }
  const walkMs = performance.now() - started;
  const filter = encodeURIComponent("status eq 'Active' and direction eq 'Outgoing' and customerProfile/address/country eq 'US'");
  const t = performance.now();
  await (await fetch(`${base}?$filter=${filter}&$top=100`, { headers })).json();
  const filteredMs = performance.now() - t;
  pageMs.sort((a, b) => a - b);
  const handlerMs = pc.server.stats.log().filter((e) => e.path.endsWith('/referrals')).map((e) => e.ms).sort((a, b) => a - b);
  await pc.server.close();
  await entra.server.close();
  console.log(`referrals seeded: ${size}`);
  console.log(`full walk: ${records} records in ${pages} pages, ${walkMs.toFixed(0)} ms`);
  console.log(`page p50 ms: ${(pageMs[Math.floor(pageMs.length / 2)] ?? 0).toFixed(2)}`);
  console.log(`page handler p50 ms (server side): ${(handlerMs[Math.floor(handlerMs.length / 2)] ?? 0).toFixed(2)}`);
  console.log(`filtered first page ms: ${filteredMs.toFixed(2)}`);
}

await main();
