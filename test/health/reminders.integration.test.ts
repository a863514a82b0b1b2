import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createGraphNotifier } from '../../connectors/graph/index.js';
import { runInbound } from '../../src/engine/cycle.js';
import { sendDueReminders } from '../../src/health/remind.js';
import { repoRoot, sandboxTime, startHarness, type Harness } from '../support/sandbox-harness.js';
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';

const DAY = 86_400_000;
const OPERATORS = ['sales-ops@partner.example'];

describe('expiry reminders', () => {
  let h: Harness;
  let catcher: MailCatcher;
  beforeAll(async () => {
    h = await startHarness({ size: 0, sandbox: { salesforce: { participatingRate: 0 } } });
    catcher = await startMailCatcher();
  });
  afterAll(async () => {
    await catcher.close();
    await h.close();
  });

  const mailer = () =>
    createGraphNotifier({ baseUrl: catcher.url, sender: 'cosell-sync@partner.example', recipients: OPERATORS, tokens: { getToken: async () => 't' }, logger: pino({ level: 'silent' }), clock: sandboxTime(h.sandbox) });
  const remind = () =>
    sendDueReminders({ store: h.store, clock: sandboxTime(h.sandbox), logger: pino({ level: 'silent' }), mailer: mailer(), crms: h.engine.deps.crms, points: [7, 2] });

  it("go to the opportunity's owner at 7 and at 2 days left, once each", async () => {
    catcher.mails.length = 0;
    const invite = h.sandbox.partnerCenter.control.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    const [opp] = h.sandbox.salesforce!.control.query({ soql: `SELECT Id, Owner.Email FROM Opportunity WHERE Referral_Id__c = '${invite.id}'` }) as { Id: string; Owner: { Email: string } }[];
    expect(opp?.Owner.Email).toMatch(/@/);

    expect(await remind()).toEqual({ sent: 0, skipped: 0, failed: 0 });
    h.sandbox.clock.advance(7 * DAY + 60_000);
    expect(await remind()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await remind()).toEqual({ sent: 0, skipped: 0, failed: 0 });
    h.sandbox.clock.advance(5 * DAY);
    expect(await remind()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await remind()).toEqual({ sent: 0, skipped: 0, failed: 0 });

    expect(catcher.mails.map((m) => m.to)).toEqual([[opp!.Owner.Email], [opp!.Owner.Email]]);
    expect(catcher.mails.map((m) => m.subject)).toEqual([expect.stringMatching(/expires in 6 days$/), expect.stringMatching(/expires in 1 day$/)]);
    expect(catcher.mails[0]!.body).toContain(`salesforce opportunity ${opp!.Id}`);
    const reminders = (await h.store.listReminders({ since: new Date(0).toISOString() })).filter((r) => r.referralId === invite.id);
    expect(reminders.map((r) => [r.daysLeft, r.state, r.recipient]).sort()).toEqual([
      [2, 'sent', 'owner'],
      [7, 'sent', 'owner'],
    ]);
  });

  it('a failed send is tried again on the next run, and then sent once', async () => {
    catcher.mails.length = 0;
    const invite = h.sandbox.partnerCenter.control.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    h.sandbox.clock.advance(7 * DAY + 60_000);
    catcher.failNext(1, 400);
    expect(await remind()).toEqual({ sent: 0, skipped: 0, failed: 1 });
    expect(await remind()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(catcher.mails.filter((m) => m.body.includes(invite.id))).toHaveLength(1);
  });

  it('fire once each across daemon processes started together and restarted', async () => {
    catcher.mails.length = 0;
    // A referral received 12.5 days ago by the system clock (the child processes run on it), and
    // one received 7.5 days ago: one 2-day reminder (the 7-day one skipped) and one 7-day reminder.
    const now = Date.now();
    const fact = (id: string, receivedMs: number) => ({
      referralId: id,
      direction: 'Incoming' as const,
      name: `Deal ${id}`,
      receivedAt: new Date(receivedMs).toISOString(),
      respondBy: new Date(receivedMs + 14 * DAY).toISOString(),
      status: 'New/Pending',
      answer: null,
      answeredAt: null,
      source: 'microsoft' as const,
      dealType: 'coSellOpportunity',
      solution: null,
      country: 'US',
      size: null,
      dealValue: null,
      currency: null,
      firstSeenAt: new Date(receivedMs).toISOString(),
      lastSeenAt: new Date(receivedMs).toISOString(),
    });
    await h.store.noteReferrals([fact('proc-late', now - 12.5 * DAY), fact('proc-week', now - 7.5 * DAY)]);
    const configFile = join(h.dir, 'with-graph.yaml');
    writeFileSync(
      configFile,
      `${readFileSync(h.configFile, 'utf8')}\ngraph:\n  baseUrl: ${catcher.url}\n  auth: { mode: staticToken }\n  sender: cosell-sync@partner.example\n  recipients: [${OPERATORS.join(', ')}]\n`,
    );
    const runChild = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'remind', '--config', configFile], {
          cwd: repoRoot,
          env: { ...process.env, ...h.env, GRAPH_ACCESS_TOKEN: 'graph-token', COSELL_CONFIG: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', (code) => resolve({ code, out }));
      });
    const together = await Promise.all([runChild(), runChild()]);
    for (const r of together) expect(r).toMatchObject({ code: 0, out: expect.stringContaining("reminder(s) sent") });
    const restarted = await runChild();
    expect(restarted.out).toContain('0 reminder(s) sent');
    const mine = catcher.mails.filter((m) => /proc-(late|week)/.test(m.body));
    expect(mine.map((m) => m.subject).sort()).toEqual(['Co-sell referral "Deal proc-late" expires in 1 day', 'Co-sell referral "Deal proc-week" expires in 6 days']);
    expect(mine.every((m) => m.to.join() === OPERATORS.join())).toBe(true);
    const states = (await h.store.listReminders({ since: new Date(0).toISOString() })).filter((r) => r.referralId.startsWith('proc-')).map((r) => `${r.referralId}:${r.daysLeft}:${r.state}`);
    expect(states.sort()).toEqual(['proc-late:2:sent', 'proc-late:7:skipped', 'proc-week:7:sent']);
  }, 120_000);
});
