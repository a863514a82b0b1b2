/**
 * Benchmark: read 100,000 opportunities from the sandbox Salesforce emulator through the
 * connector (readChanges from the beginning, the default mapping's fields, parent fields and
 * contact-role child rows), and print records/s, API calls and the connector process's peak RSS.
 * The emulator runs in a child process so its in-memory org does not count against the
 * connector's memory. Target: peak RSS under 200 MB during a 100,000-record
 * backfill (pages stream; nothing loads all).
 *
 *   npx tsx bench/connector-sf-read.ts [size]
 *   SF_BENCH_GC=1 node --expose-gc --import tsx bench/connector-sf-read.ts   (also prints the live heap
 *   after a forced GC every 20 pages: flat means pages stream and nothing accumulates)
 *
 * Under tsx the process starts ~35 MB heavier than compiled code (`node dist/...`, how the daemon
 * runs), so the compiled figure is the one to hold against the target:
 *   npx tsc -p tsconfig.test.json --noEmit false --outDir /tmp/sfbuild && ln -s $PWD/node_modules /tmp/sfbuild/ \
 *     && cp package.json /tmp/sfbuild/ && node /tmp/sfbuild/bench/connector-sf-read.js
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createSalesforceConnector } from '../connectors/salesforce/index.js';
import { systemClock } from '../src/core/clock.js';

const FIELDS = [
  'Name',
  'StageName',
  'Amount',
  'CurrencyIsoCode',
  'CloseDate',
  'Description',
  'Sync_With_Partner_Center__c',
  'Referral_Id__c',
  'Microsoft_Help__c',
  'Account.Name',
  'Account.BillingCity',
  'Account.BillingPostalCode',
  'Account.BillingCountryCode',
  'Account.DUNS__c',
  'OpportunityContactRoles.Contact.Email',
  'OpportunityContactRoles.Contact.LastName',
  'OpportunityContactRoles.IsPrimary',
];

interface EmulatorInfo {
  url: string;
  clientId: string;
  clientSecret: string;
}

async function runEmulator(size: number): Promise<void> {
  const { startSalesforceEmulator } = await import('../sandbox/salesforce/index.js');
  const { SandboxClock } = await import('../sandbox/shared/clock.js');
  const emulator = await startSalesforceEmulator({
    clock: new SandboxClock(new Date('2026-03-02T09:00:00Z')),
    seed: 42,
    size,
    options: { dailyApiLimit: 10_000_000 },
  });
  const info: EmulatorInfo = { url: emulator.server.url, clientId: emulator.control.clientIds[0] ?? 'cosell-sandbox', clientSecret: emulator.control.clientSecret };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void emulator.server.close().then(() => process.exit(0)));
}

async function startChild(size: number): Promise<{ info: EmulatorInfo; stop: () => void }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--emulator', String(size)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
  });
  return { info: JSON.parse(first) as EmulatorInfo, stop: () => child.stdin.end() };
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 100_000);
  const startedSeed = performance.now();
  const { info, stop } = await startChild(size);
  console.log(`emulator seeded with ${size} opportunities in ${((performance.now() - startedSeed) / 1000).toFixed(1)} s at ${info.url}`);

  const connector = createSalesforceConnector(
    {
      auth: { kind: 'clientCredentials', clientId: info.clientId, clientSecret: info.clientSecret },
      loginUrl: info.url,
      apiVersion: '60.0',
      queryBatchSize: 2000,
    },
    { logger: pino({ level: 'warn' }), clock: systemClock },
  );
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 25);
  const t0 = performance.now();
  let records = 0;
  let pages = 0;
  let children = 0;
  for await (const page of connector.readChanges({ kind: 'opportunity', fields: FIELDS, cursor: null })) {
    pages += 1;
    records += page.items.length;
    for (const r of page.items) children += Array.isArray(r.fields['OpportunityContactRoles']) ? r.fields['OpportunityContactRoles'].length : 0;
    sample();
    if (process.env['SF_BENCH_GC'] && pages % 20 === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      console.log(`page ${pages}: live heap after gc ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1048576).toFixed(1)} MB`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const usage = connector.apiUsage();
  await connector.close();
  stop();
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
  console.log(`records read:        ${records} (${children} contact-role rows) in ${pages} pages`);
  console.log(`elapsed:             ${seconds.toFixed(2)} s`);
  console.log(`records/s:           ${Math.round(records / seconds)}`);
  console.log(`API calls (org):     ${usage ? usage.used : 'n/a'} (token requests not counted)`);
  console.log(`RSS before reading:  ${mb(baselineRss)} MB; peak heap used ${mb(peakHeap)} MB`);
  console.log(`peak RSS:            ${mb(peakRss)} MB (target < 200 MB) -> ${peakRss < 200 * 1024 * 1024 ? 'OK' : 'OVER'}`);
}

if (process.argv[2] === '--emulator') await runEmulator(Number(process.argv[3] ?? 100_000));
else await main();
