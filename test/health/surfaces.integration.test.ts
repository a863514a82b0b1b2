import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { createGraphNotifier } from '../../connectors/graph/index.js';
import { healthReportFrom } from '../../src/app/health-report.js';
import { healthRoutes } from '../../src/app/health-routes.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { parseConfigText, type Config } from '../../src/config/index.js';
import { systemClock } from '../../src/core/clock.js';
import { sendWeeklyDigest } from '../../src/health/digest.js';
import type { HealthReport } from '../../src/health/report.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { captureText, MINIMAL_ENV, scratchDir } from '../app/helpers.js';
import { repoRoot } from '../support/sandbox-harness.js';
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';
import { seedHistory } from './seeded-history.js';

const SINCE = '2026-11-01';

describe('the report, the status page section and the weekly digest show the same numbers', () => {
  const scratch = scratchDir();
  let catcher: MailCatcher;
  let config: Config;
  let store: StateStore;
  let configFile: string;
  beforeAll(async () => {
    catcher = await startMailCatcher();
    copyFileSync(join(repoRoot, 'mappings/salesforce.yaml'), join(scratch.dir, 'salesforce.yaml'));
    const yaml = `store: { kind: sqlite, path: ${JSON.stringify(join(scratch.dir, 'state.sqlite'))} }
partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: salesforce.yaml
graph:
  baseUrl: ${catcher.url}
  auth: { mode: staticToken }
  sender: cosell-sync@partner.example
  recipients: [sales-ops@partner.example]
health:
  hygiene: { conflictAgeDays: 14 }
  digest: { enabled: true }
`;
    configFile = scratch.write('cosell-sync.yaml', yaml);
    const parsed = parseConfigText({ text: yaml, env: { ...MINIMAL_ENV, GRAPH_ACCESS_TOKEN: 'g' }, cwd: scratch.dir });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    config = parsed.value;
    store = await openStore({ kind: 'sqlite', path: join(scratch.dir, 'state.sqlite') });
    await seedHistory(store);
  });
  afterAll(async () => {
    await store.close();
    await catcher.close();
    scratch.cleanup();
  });

  async function cli(argv: string[]): Promise<string> {
    const stdout = captureText();
    const stderr = captureText();
    const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env: { ...MINIMAL_ENV, GRAPH_ACCESS_TOKEN: 'g' }, cwd: scratch.dir, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
    const code = await runCli([...argv, '--config', configFile], ctx);
    expect({ code, stderr: stderr.text() }).toMatchObject({ code: 0 });
    return stdout.text();
  }

  /** The numbers a reader compares, as each surface prints them. */
  function numbersOf(r: HealthReport): string[] {
    const h = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)}h`);
    return [
      `${r.inbound.received} `,
      `p50 ${h(r.inbound.p50Hours)}`,
      `p90 ${h(r.inbound.p90Hours)}`,
      `Findings (${r.findings.length})`,
      ...r.responseTimes.week.map((w) => [w.period, w.received, w.answered, w.expired, w.awaiting, h(w.p50Hours), h(w.p90Hours)].join('|')),
      ...r.acceptance.filter((a) => a.dimension === 'source').map((a) => [a.value, a.accepted, a.declined, a.expired, a.awaiting, a.acceptRate === null ? '-' : `${Math.round(a.acceptRate * 100)}%`].join('|')),
    ];
  }
  /** Table rows as `a|b|c`, whether aligned text or HTML cells. */
  const rowsOfText = (text: string) => text.split('\n').map((l) => l.trim().split(/\s{2,}/).join('|'));
  const rowsOfHtml = (html: string) => [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...(m[1] ?? '').matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]).join('|'));
  const expectShown = (expected: string[], text: string, rows: string[]) => {
    for (const n of expected) {
      if (n.includes('|')) expect(rows.some((r) => r.endsWith(n) || r === n)).toBe(true);
      else expect(text).toContain(n);
    }
  };

  it('all three, from one store', async () => {
    const json = JSON.parse(await cli(['report', '--since', SINCE, '--json'])) as HealthReport;
    expect(json.inbound.received).toBe(5);
    expect(json.findings.length).toBeGreaterThan(0);
    const expected = numbersOf(json);

    const text = await cli(['report', '--since', SINCE]);
    expectShown(expected, text, rowsOfText(text));

    const csv = await cli(['report', '--since', SINCE, '--csv']);
    expect(csv).toContain(`inbound,,,p50Hours,${json.inbound.p50Hours}`);
    expect(csv).toContain(`inbound,,,p90Hours,${json.inbound.p90Hours}`);

    const app = Fastify();
    await healthRoutes({ app, config, store, clock: systemClock });
    const page = await app.inject({ method: 'GET', url: `/co-sell/section?since=${SINCE}` });
    expect(page.statusCode).toBe(200);
    expectShown(expected.map((n) => n.replace(/^(\d+) $/, '$1 inbound')), page.body.replace(/<\/?strong>/g, ''), rowsOfHtml(page.body));
    expect(page.body).toContain('<svg role="img" aria-label="Response time by week');
    expect(page.body).toContain('<svg role="img" aria-label="Accepted, declined and expired by source"');
    expect((await app.inject({ method: 'GET', url: '/co-sell/section?since=last-week' })).statusCode).toBe(400);
    await app.close();

    const mailer = createGraphNotifier({ baseUrl: catcher.url, sender: 'cosell-sync@partner.example', recipients: ['sales-ops@partner.example'], tokens: { getToken: async () => 'g' }, logger: pino({ level: 'silent' }) });
    const report = await healthReportFrom({ config, store, now: new Date(), since: new Date(`${SINCE}T00:00:00Z`).toISOString() });
    expect(await sendWeeklyDigest({ store, mailer, report })).toBe(true);
    // Once a week, whoever asks again.
    expect(await sendWeeklyDigest({ store, mailer, report })).toBe(false);
    expect(catcher.mails).toHaveLength(1);
    const digest = catcher.mails[0]!;
    expect(digest.to).toEqual(['sales-ops@partner.example']);
    expect(digest.subject).toMatch(new RegExp(`^Co-sell health \\d{4}-W\\d{2}: 5 inbound, p50 ${json.inbound.p50Hours?.toFixed(1)}h, ${json.findings.length} findings$`));
    expectShown(expected, digest.body, rowsOfText(digest.body));
  });
});
