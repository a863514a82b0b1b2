/**
 * Sends the expiry reminders that are due, once per referral per point across restarts and
 * instances: each point is claimed in the store before the mail goes, and settled after (sent,
 * failed — claimable again on the next run — or skipped). A claim whose sender died is taken
 * over after `STALE_CLAIM_MS`.
 */
import type { Logger } from 'pino';
import { isConnectorError } from '../../connectors/errors.js';
import type { Notifier } from '../../connectors/types.js';
import type { Clock } from '../core/clock.js';
import type { CrmSide } from '../engine/types.js';
import type { StateStore } from '../store/types.js';
import { dueReminders, reminderMail } from './reminders.js';

const STALE_CLAIM_MS = 10 * 60_000;

export interface RemindDeps {
  store: StateStore;
  clock: Clock;
  logger: Logger;
  mailer: Notifier;
  crms: readonly CrmSide[];
  /** Days left before the deadline at which to remind (config `health.reminders.daysLeft`). */
  points: readonly number[];
}

export interface RemindResult {
  sent: number;
  skipped: number;
  failed: number;
}

interface Owner {
  email: string | null;
  crmRecord: string;
}

export async function sendDueReminders(deps: RemindDeps): Promise<RemindResult> {
  const { store, clock, logger, mailer } = deps;
  const now = clock.now().toISOString();
  const due = dueReminders({ awaiting: await store.listAwaitingAnswer({ now }), points: deps.points, now });
  const result: RemindResult = { sent: 0, skipped: 0, failed: 0 };
  if (due.length === 0) return result;
  const owners = await ownersOf(deps, [...new Set(due.filter((d) => d.action === 'send').map((d) => d.referralId))]);
  for (const reminder of due) {
    const { referralId, daysLeft } = reminder;
    const claimed = await store.claimReminder({ referralId, daysLeft, now, staleBefore: new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString() });
    if (!claimed) continue;
    const at = (): string => clock.now().toISOString();
    if (reminder.action === 'skip') {
      await store.settleReminder({ referralId, daysLeft, state: 'skipped', recipient: null, at: at(), detail: 'a more urgent reminder was due at the same time' });
      result.skipped++;
      continue;
    }
    const owner = owners.get(referralId) ?? null;
    const recipient = owner?.email ? 'owner' : 'operators';
    try {
      await mailer.notify({ kind: 'referralExpiring', ...reminderMail({ reminder, now, crmRecord: owner?.crmRecord ?? null }), ...(owner?.email ? { to: [owner.email] } : {}) });
      await store.settleReminder({ referralId, daysLeft, state: 'sent', recipient, at: at(), detail: null });
      logger.info({ referralId, daysLeft, recipient }, 'expiry reminder sent');
      result.sent++;
    } catch (error) {
      const detail = isConnectorError(error) ? `${error.kind}${error.status ? ` (${error.status})` : ''}` : 'the mail could not be sent';
      await store.settleReminder({ referralId, daysLeft, state: 'failed', recipient, at: at(), detail });
      logger.warn({ referralId, daysLeft, err: isConnectorError(error) ? error.toLog() : undefined }, 'expiry reminder failed; retried on the next run');
      result.failed++;
    }
  }
  return result;
}

/**
 * The CRM record following each referral and its owner's e-mail, when the mapping names an owner
 * field. One read per CRM and object kind; a CRM that cannot be read leaves the reminder to the operators.
 */
async function ownersOf(deps: RemindDeps, referralIds: readonly string[]): Promise<Map<string, Owner>> {
  const owners = new Map<string, Owner>();
  if (referralIds.length === 0) return owners;
  const links = (await deps.store.findLinksByReferralIds(referralIds)).filter((l) => l.crmId !== null && l.referralId !== null);
  for (const side of deps.crms) {
    for (const kind of ['opportunity', 'lead'] as const) {
      const group = links.filter((l) => l.crmSystem === side.system && l.crmKind === kind);
      if (group.length === 0) continue;
      for (const l of group) owners.set(l.referralId as string, { email: null, crmRecord: `${side.system} ${kind} ${l.crmId as string}` });
      const field = side.mapping.health?.ownerEmail[kind] ?? null;
      if (field === null) continue;
      try {
        const records = await side.connector.getRecords({ kind, ids: group.map((l) => l.crmId as string), fields: [field] });
        const emailById = new Map(records.map((r) => [r.id, r.fields[field]]));
        for (const l of group) {
          const email = emailById.get(l.crmId as string);
          if (typeof email === 'string' && email.includes('@')) owners.set(l.referralId as string, { email, crmRecord: `${side.system} ${kind} ${l.crmId as string}` });
        }
      } catch (error) {
        deps.logger.warn({ system: side.system, kind, err: isConnectorError(error) ? error.toLog() : undefined }, 'could not read record owners; reminders go to the operators');
      }
    }
  }
  return owners;
}
