/** The partner's day the demo plays against the running daemon, step by step. */
import type { CliContext } from '../cli/context.js';
import { runCli } from '../cli/program.js';
import { openStore } from '../store/open-store.js';
import type { StateStore } from '../store/types.js';
import type { MailCatcher } from '../../sandbox/graph/mail.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import { FINDING_RULES } from '../health/hygiene.js';
import type { HealthReport } from '../health/report.js';
import { say, waitFor } from './narrate.js';

type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;

/** By key, code unit by code unit (the same order whatever the locale). */
const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function playScenes(args: {
  sandbox: Sandbox;
  /** The Graph mail stand-in the daemon's notifications go to. */
  mail: MailCatcher;
  storePath: string;
  configFile: string;
  envFile: string;
  ctx: CliContext;
  /** The status page's address. */
  status: string;
  /** Leave a held conflict and a failed record for the user. */
  keep: boolean;
}): Promise<void> {
  const { sandbox, configFile, envFile, ctx } = args;
  const cliLines = (command: string): string[] => [`set -a; . ${envFile}; set +a`, `npx cosell-sync ${command} --config ${configFile}`];
  const sf = sandbox.salesforce!.control;
  const pc = sandbox.partnerCenter.control;
  const store = await openStore({ kind: 'sqlite', path: args.storePath });
  try {
    const flagged = (sf.query({ soql: 'SELECT Id, Name FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as Row[]).map((r) => String(r['Id']));
    say.step(4, `Outbound: ${flagged.length} Salesforce opportunities are flagged "Sync with Partner Center"`);
    const settled = await waitFor('the backfill', async () => {
      const failures = (await store.listFailures()).length;
      const referrals = flagged.filter((id) => pc.countByExternalReferenceId(id) > 0).length;
      return referrals + failures >= flagged.length ? { referrals, failures } : null;
    }, 60_000);
    const duplicates = flagged.filter((id) => pc.countByExternalReferenceId(id) > 1).length;
    say.done(`${settled.referrals} referrals now exist in Partner Center, ${duplicates} duplicates; each opportunity carries its referral id`);
    if (settled.failures > 0) {
      // The lowest key, so one seed always names the same record.
      const [first] = (await store.listFailures()).sort(byKey);
      say.warn(`${settled.failures} opportunities need an admin's fix first, e.g. ${first?.key.split(':')[2]}: ${first?.reason}`);
      say.info('(`cosell-sync failures list` shows them all; they are retried after the data is fixed)');
    }

    say.step(5, 'Inbound: a Microsoft seller invites the partner to co-sell a deal');
    const sentAt = Date.now();
    const invite = pc.createInbound({ category: 'coSellInvite' });
    const opp = await waitFor('the invitation to reach Salesforce', () =>
      (sf.query({ soql: `SELECT Id, Name, StageName, Amount, Respond_By__c FROM Opportunity WHERE Referral_Id__c = '${invite.id}'` }) as Row[])[0],
    );
    say.done(`"${String(opp['Name'])}" is in Salesforce ${((Date.now() - sentAt) / 1000).toFixed(1)} s later, stage ${String(opp['StageName'])} (webhook, signature checked)`);
    const [link] = await store.findLinksByReferralIds([invite.id]);
    if (link?.respondBy) say.info(`Partner Center expires it unless someone answers by ${link.respondBy}`);

    say.step(6, 'The seller accepts it in Salesforce by moving it out of On Hold');
    sf.editRecord({ type: 'Opportunity', id: String(opp['Id']), fields: { StageName: 'Qualification' } });
    await waitFor('the acceptance to reach Partner Center', () => pc.get(invite.id)?.status === 'Active');
    const accepted = pc.get(invite.id)!;
    say.done(`Partner Center says ${accepted.status}/${accepted.substatus}; its CRM ID is now ${accepted.externalReferenceId}`);

    say.step(7, 'A conflict: the notes of one deal are edited in Salesforce and in Partner Center at once');
    // Open outbound deals by CRM id: one seed, the same deal.
    const openDeals = (await store.listLinks({ state: 'linked', limit: 500 }))
      .filter((l) => l.origin === 'crm' && l.snapshot['status'] === 'Active/Accepted' && l.crmId !== null && l.referralId !== null)
      .sort((a, b) => ((a.crmId as string) < (b.crmId as string) ? -1 : 1));
    const open = openDeals[0];
    if (!open?.crmId || !open.referralId) throw new Error('no open outbound deal to edit');
    const conflict = await editOnBothSides({ sandbox, store, crmId: open.crmId, referralId: open.referralId, crm: 'Customer wants a pilot in March (from Salesforce)', partnerCenter: 'Pilot moved to April (from Partner Center)' });
    say.done(`held for a person, nothing overwritten: the mapping says notes edited on both sides wait`);
    await runCli(['conflicts', 'list', '--config', configFile], ctx);
    say.info('resolve it from your shell (the env file holds the secrets the CLI needs):');
    for (const line of cliLines(`conflicts resolve ${conflict.id} --take crm`)) say.info(`  ${line}`);
    await runCli(['conflicts', 'resolve', conflict.id, '--take', 'crm', '--config', configFile], ctx);
    say.done(`Partner Center notes now read "${String(pc.get(open.referralId)?.details?.notes)}"`);

    say.step(8, 'Answer in time: an invitation that arrived a week ago, still unanswered');
    const late = pc.createInbound({ category: 'coSellInvite', receivedAt: new Date(Date.now() - 7.5 * DAY_MS) });
    const reminder = await waitFor('the expiry reminder', () => args.mail.mails.find((m) => m.body.includes(late.id)));
    const toOperators = reminder.to.join() === 'sales-ops@partner.example';
    say.done(`reminder mailed to ${toOperators ? 'the operators' : "the opportunity's owner"}: "${reminder.subject}"`);
    say.info('(7 and 2 days before the deadline by default, once each, even across restarts)');

    say.step(9, 'Keep deals current: a seller lets the close date of an open deal pass');
    const pastClose = new Date(Date.now() - 3 * DAY_MS).toISOString().slice(0, 10);
    sf.editRecord({ type: 'Opportunity', id: open.crmId, fields: { CloseDate: pastClose } });
    await waitFor('the new close date to be synced', async () => {
      const [synced] = await store.findLinksByCrmIds('salesforce', [open.crmId as string]);
      return String(synced?.snapshot['details.closingDateTime'] ?? '').startsWith(pastClose);
    });
    let json = '';
    await runCli(['report', '--json', '--config', configFile], { ...ctx, stdout: (t) => void (json += t) });
    const report = JSON.parse(json) as HealthReport;
    const found = report.findings.find((f) => f.rule === 'closeDatePassed' && f.record.includes(open.crmId as string));
    if (found === undefined) throw new Error('the report shows no finding for the deal whose close date passed');
    const finding = { found, total: report.findings.length };
    say.done(`finding: ${FINDING_RULES[finding.found.rule]} (${finding.found.record})`);
    say.info(`why: ${finding.found.why}`);
    say.info(`fix: ${finding.found.fix}`);
    say.info(`\`cosell-sync report\` lists all ${finding.total} findings; the status page shows them at ${args.status}/co-sell`);

    say.step(10, 'What it cost');
    const calls = [sandbox.partnerCenter, sandbox.salesforce!].map((s) => `${s.server.name} ${s.server.stats.total()}`);
    say.done(`API calls: ${calls.join(', ')}; an idle cycle costs one list call per system`);

    if (args.keep) {
      say.step(11, 'Left for you: a held conflict and a failed record');
      const next = openDeals[1] ?? open;
      const left = await editOnBothSides({ sandbox, store, crmId: next.crmId as string, referralId: next.referralId as string, crm: 'Budget approved (from Salesforce)', partnerCenter: 'Budget pending (from Partner Center)' });
      // A record waiting for a fix (not a retry that may clear it meanwhile), the lowest key.
      const waiting = async () => {
        const later = Date.now() + 86_400_000;
        return (await store.listFailures()).filter((f) => Date.parse(f.nextAttemptAt) > later).sort(byKey)[0];
      };
      if ((await waiting()) === undefined) {
        // A deal whose name was wiped cannot be shared: its update fails until the name is back.
        sf.editRecord({ type: 'Opportunity', id: open.crmId, fields: { Name: '  ' } });
        await waitFor('a failed record', waiting);
      }
      const failed = await waiting();
      say.done(`conflict ${left.id} on ${next.crmId}; failed record ${failed!.key}`);
      say.info(`status page ${args.status}/ (sign in with COSELL_ADMIN_TOKEN from ${envFile}): resolve and retry buttons`);
      say.info('or from your shell:');
      for (const line of [...cliLines('conflicts list'), `npx cosell-sync conflicts resolve ${left.id} --take partner-center --config ${configFile}`, `npx cosell-sync failures retry ${failed!.key} --config ${configFile}`]) {
        say.info(`  ${line}`);
      }
    }
  } finally {
    await store.close();
  }
}

/** Notes edited in Salesforce and in Partner Center at once: held for a person (the demo's mapping says so). */
async function editOnBothSides(args: { sandbox: Sandbox; store: StateStore; crmId: string; referralId: string; crm: string; partnerCenter: string }) {
  const { sandbox, store } = args;
  const before = new Set((await store.listConflicts({ open: true })).map((c) => c.id));
  sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: args.crmId, fields: { Description: args.crm } });
  sandbox.partnerCenter.control.editAsUser({ id: args.referralId, changes: [{ op: 'replace', path: '/details/notes', value: args.partnerCenter }] });
  return waitFor('the conflict to be held', async () => (await store.listConflicts({ open: true })).find((c) => !before.has(c.id)));
}
