/**
 * A story and what must hold at its end. The story remembers only what people did (which records
 * they made, edited, closed or deleted); the invariants compare that with what both systems and
 * the state store hold once the daemon has run to quiescence with the network healed:
 *
 * - exactly one own referral per shared CRM record (at most one once unflagged or deleted), at
 *   most one Microsoft-side referral per engagement, at most one link per record and per referral;
 * - no lost update: a field edited on one side only ends at that side's last value on both sides;
 *   edited on both, the two sides agree on one of the two last values, or a conflict is held;
 * - no echo: one more cycle on a quiet system writes nothing to either system;
 * - closed stays closed: a referral once closed stays closed with the same outcome, and the CRM
 *   opportunity shows that outcome.
 */
import { runCycle } from '../../src/engine/cycle.js';
import { FOLLOWED_STATES } from '../../src/engine/link-states.js';
import { applyStep, crmIdOf, referralIdOf, type Step } from './steps.js';
import type { World } from './world.js';

export interface Edit {
  side: 'crm' | 'partnerCenter';
  /** The referral path. */
  path: string;
  crmField: 'Name' | 'Amount' | 'CloseDate';
  value: unknown;
}

export interface TrackedRecord {
  origin: 'crm' | 'partnerCenter';
  object: 'Opportunity' | 'Lead';
  crmId: string | null;
  /** Known from the start for inbound referrals; for shared records, read from the store. */
  referralId: string | null;
  dealType: 'private' | 'partnerLed' | 'coSell' | null;
  deleted: boolean;
  unflagged: boolean;
  closed: boolean;
  edits: Edit[];
}

export interface Story {
  records: TrackedRecord[];
  /** Referral id -> substatus, for every referral seen closed after any step. */
  closed: Map<string, string>;
  /** What happened, one line a step, for the failure report. */
  journal: string[];
  stats: StoryStats;
}

/** What a story exercised, so a long run can show it covered kills, faults and checks. */
export interface StoryStats {
  processes: number;
  killed: number;
  failed: number;
  records: number;
  fieldsChecked: number;
  closedChecked: number;
}

export const emptyStats = (): StoryStats => ({ processes: 0, killed: 0, failed: 0, records: 0, fieldsChecked: 0, closedChecked: 0 });

const QUIESCE_CYCLES = 15;
const STAGE_OF: Readonly<Record<string, string>> = { Won: 'Closed Won', Lost: 'Closed Lost', Declined: 'Declined', Expired: 'Expired' };

/** Plays `steps`, heals the network, runs to quiescence and returns what does not hold. */
export async function playStory(world: World, steps: readonly Step[], journal: string[] = [], stats: StoryStats = emptyStats()): Promise<string[]> {
  const story: Story = { records: [], closed: new Map(), journal, stats };
  for (const step of steps) {
    await applyStep(world, story, step);
    story.journal.push(JSON.stringify(step));
    noteClosed(world, story);
  }
  for (const server of [world.sandbox.partnerCenter.server, world.sandbox.salesforce!.server]) server.faults.set([]);
  const quiet = await quiesce(world, story);
  stats.records = story.records.length;
  if (!quiet) return [`no quiescence: the daemon still wrote after ${QUIESCE_CYCLES} cycles on a healed network`];
  const problems = await checkInvariants(world, story);
  return problems.length === 0 ? problems : [...problems, ...(await historyOf(world, problems))];
}

/** What the store's record history says of the records a problem names, oldest first. */
async function historyOf(world: World, problems: readonly string[]): Promise<string[]> {
  const text = problems.join(' ');
  const crmIds = [...new Set(text.match(/\b00[0-9A-Za-z]{13,16}\b/g) ?? [])];
  const referralIds = [...new Set(text.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g) ?? [])];
  const entries = await world.store.listHistory({ crmIds, referralIds, limit: 200 });
  const lines = entries.reverse().map((e) => {
    const changes = e.changes.map((c) => `${c.target}.${c.field}=${JSON.stringify(c.after)}`).join(' ');
    return `  ${e.at} ${e.crmId ?? ''}/${e.referralId ?? ''} ${e.event} ${e.action}${e.detail ? ` (${e.detail})` : ''} ${changes}`;
  });
  return lines.length > 0 ? ['--- record history:', ...lines] : [];
}

function noteClosed(world: World, story: Story): void {
  for (const r of world.sandbox.partnerCenter.control.list()) {
    if (r.status === 'Closed' && !story.closed.has(r.id)) story.closed.set(r.id, r.substatus);
  }
}

/** Cycles until two in a row write nothing; backoffs are let run out between them. */
async function quiesce(world: World, story: Story): Promise<boolean> {
  let quietInARow = 0;
  for (let i = 0; i < QUIESCE_CYCLES && quietInARow < 2; i++) {
    world.sandbox.clock.advance(120_000);
    const result = await world.process((deps) => runCycle(deps));
    if (result.outcome === 'failed') await world.signIn();
    const written = result.value?.reduce((n, r) => n + r.written, 0) ?? Number.NaN;
    quietInARow = written === 0 ? quietInARow + 1 : 0;
    story.journal.push(`quiesce ${i + 1}: ${result.outcome}, ${Number.isNaN(written) ? '?' : written} written`);
    noteClosed(world, story);
  }
  return quietInARow >= 2;
}

type Row = Record<string, unknown>;

async function checkInvariants(world: World, story: Story): Promise<string[]> {
  const problems: string[] = [];
  const sf = world.sandbox.salesforce!.control;
  const referrals = world.sandbox.partnerCenter.control.list();
  const isMicrosoftSide = (r: (typeof referrals)[number]): boolean => r.target.some((t) => t.id === 'msft');
  const links = await allLinks(world);

  // One own referral per shared record; at most one Microsoft-side referral per engagement.
  for (const r of story.records.filter((x) => x.origin === 'crm')) {
    const own = referrals.filter((ref) => ref.externalReferenceId === r.crmId && ref.direction === 'Outgoing' && !isMicrosoftSide(ref));
    if (own.length > 1) problems.push(`${r.crmId}: ${own.length} own referrals (${own.map((x) => x.id).join(', ')})`);
    if (own.length === 0 && !r.deleted && !r.unflagged) problems.push(`${r.crmId}: shared, never unflagged, yet no referral`);
  }
  for (const r of story.records.filter((x) => x.origin === 'partnerCenter' && x.crmId)) {
    const sharedBack = referrals.filter((ref) => ref.externalReferenceId === r.crmId && ref.direction === 'Outgoing' && !isMicrosoftSide(ref));
    if (sharedBack.length > 0) problems.push(`${r.crmId} (from referral ${r.referralId}): shared back as ${sharedBack.map((x) => x.id).join(', ')}`);
  }
  const sides = new Map<string, number>();
  for (const ref of referrals.filter(isMicrosoftSide)) sides.set(ref.engagementId, (sides.get(ref.engagementId) ?? 0) + 1);
  for (const [engagement, n] of sides) if (n > 1) problems.push(`engagement ${engagement}: ${n} Microsoft-side referrals`);
  for (const key of ['crmId', 'referralId'] as const) {
    const seen = new Map<string, number>();
    for (const link of links) if (link[key]) seen.set(link[key], (seen.get(link[key]) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) problems.push(`${key} ${id}: ${n} links`);
  }

  // No lost update.
  const conflicts = await world.store.listConflicts({ open: true });
  for (const r of story.records.filter((x) => x.edits.length > 0 && !x.deleted && !x.unflagged && !x.closed)) {
    const crmId = crmIdOf(world, r);
    const referralId = await referralIdOf(world, r);
    const link = links.find((l) => l.crmId === crmId);
    if (!crmId || !referralId || !link) {
      problems.push(`${crmId ?? r.referralId}: edited but not linked at the end`);
      continue;
    }
    const record: Row = sf.getRecord({ type: r.object, id: crmId }) ?? {};
    const referral = referrals.find((x) => x.id === referralId);
    if (!referral || referral.status === 'Closed') continue;
    for (const crmField of new Set(r.edits.map((e) => e.crmField))) {
      const edits = r.edits.filter((e) => e.crmField === crmField);
      const path = edits[0]!.path;
      const onCrm = record[crmField];
      const onPc = crmForm(crmField, pathValue(referral, path));
      const held = conflicts.some((c) => c.linkId === link.id && c.path === path);
      const lastCrm = edits.filter((e) => e.side === 'crm').at(-1);
      const lastPc = edits.filter((e) => e.side === 'partnerCenter').at(-1);
      if (held) continue;
      story.stats.fieldsChecked++;
      if (onCrm !== onPc) problems.push(`${crmId} ${crmField}: CRM holds ${JSON.stringify(onCrm)}, Partner Center ${JSON.stringify(onPc)}`);
      const allowed: unknown[] = [lastCrm?.value, lastPc?.value].filter((v) => v !== undefined);
      if (!allowed.includes(onCrm)) problems.push(`${crmId} ${crmField}: lost update, ends ${JSON.stringify(onCrm)}, last edits ${JSON.stringify(allowed)}`);
    }
  }

  // Closed stays closed, on both sides.
  for (const [id, substatus] of story.closed) {
    const now = referrals.find((x) => x.id === id);
    story.stats.closedChecked++;
    if (!now || now.status !== 'Closed' || now.substatus !== substatus) problems.push(`referral ${id} was Closed/${substatus}, is now ${now?.status}/${now?.substatus}`);
    // A record deleted in the CRM (its link held for a person, or unlinked) has no stage to show.
    const link = links.find((l) => l.referralId === id && l.crmKind === 'opportunity' && l.crmId && (l.state === 'closed' || FOLLOWED_STATES.includes(l.state)));
    const found = link?.crmId ? (sf.getRecord({ type: 'Opportunity', id: link.crmId }) as Row | null) : null;
    const row = found && found['IsDeleted'] !== true ? found : null;
    const heldStatus = link ? conflicts.some((c) => c.linkId === link.id && c.path === 'status') : false;
    if (row && now?.status === 'Closed' && !heldStatus && row['StageName'] !== STAGE_OF[now.substatus]) {
      problems.push(`referral ${id} is Closed/${now.substatus}, its opportunity ${link?.crmId} is at ${String(row['StageName'])}`);
    }
  }

  // No echo: a quiet system writes nothing.
  const servers = [world.sandbox.partnerCenter.server, world.sandbox.salesforce!.server];
  for (const s of servers) s.stats.reset();
  await world.process((deps) => runCycle(deps));
  const writes = servers.flatMap((s) => s.stats.log()).filter((e) => e.method !== 'GET' && !e.path.includes('/oauth2/') && !/\/query\b/.test(e.path));
  if (writes.length > 0) problems.push(`echo: a quiet cycle wrote ${writes.map((w) => `${w.method} ${w.path}`).join(', ')}`);
  return problems;
}

async function allLinks(world: World) {
  const out = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await world.store.listLinks({ limit: 500, ...(afterId ? { afterId } : {}) });
    out.push(...page);
    if (page.length < 500) return out;
    afterId = page.at(-1)!.id;
  }
}

function pathValue(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Row)[key] : undefined), object);
}

/** A referral value in the CRM field's form (the close date is a calendar date, UTC in the sandbox). */
function crmForm(crmField: Edit['crmField'], value: unknown): unknown {
  return crmField === 'CloseDate' && typeof value === 'string' ? value.slice(0, 10) : value;
}
