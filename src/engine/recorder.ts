/**
 * Per-record bookkeeping of one run: outcomes into the report and the run history, failures
 * into the store with a persisted backoff (so a restart does not hammer a broken record).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isConnectorError, isConnectorWide } from '../../connectors/errors.js';
import { redactText } from '../logging/redact-text.js';
import { StaleLinkError } from '../store/errors.js';
import type { HistoryEntry } from '../store/history-types.js';
import type { RunOutcome } from '../store/types.js';
import { changesOf, idsOfKey } from './history.js';
import type { CycleReport, Direction, EngineDeps, OutcomeResult, PlannedWrite } from './types.js';

/**
 * Keys whose failures a recorder holds at most: more than the pages the outbound pipeline holds
 * open (three of up to 2,000 records), so a record still in progress is not forgotten and looked
 * up again on its own.
 */
const KNOWN_FAILURES_HELD = 10_000;

/**
 * History rows and outcomes stored per transaction at most. A page of 2,000 records leaves about
 * 4,000 history rows; stored at once they held the event loop for tens of milliseconds, during which
 * no Partner Center answer was taken and its slot stayed busy. Between slices other work runs.
 */
const FLUSH_SLICE = 500;

/** "Not until someone asks": about a century. */
const NEVER_MS = 100 * 365 * 86_400_000;

export interface FailureInput {
  key: string;
  operation: string;
  error: unknown;
  payload: unknown;
}

/**
 * A cycle stopped because a whole system cannot be used (sign-in, reachability, a field the org
 * lacks): said once, with the first such error, instead of failing every record.
 */
export class CycleStoppedError extends Error {
  override readonly name = 'CycleStoppedError';
  constructor(readonly reason: unknown) {
    super(`${isConnectorError(reason) ? `${reason.system}: ` : ''}${describeError(reason)}`, { cause: reason });
  }
}

export class RunRecorder {
  private outcomes: RunOutcome[] = [];
  /** Record history waiting for the next flush, and each record's planned writes until its outcome. */
  private history: HistoryEntry[] = [];
  private readonly planned = new Map<string, PlannedWrite[]>();
  /** Attempts so far of the records in hand (read a page at a time), and which keys were read. */
  private failures = new Map<string, number>();
  private readonly failuresRead = new Set<string>();
  /** Set once a connector-wide error stopped the cycle; workers take no more records. */
  stopped: CycleStoppedError | null = null;
  private readonly tried = new Set<string>();

  /** True the first time a run asks about `attempt`: a step retried alone is tried once a run. */
  firstAttempt(attempt: string): boolean {
    if (this.tried.has(attempt)) return false;
    this.tried.add(attempt);
    return true;
  }

  constructor(
    private readonly deps: EngineDeps,
    readonly report: CycleReport,
    private readonly direction: Direction,
    private readonly system: string,
  ) {}

  get dryRun(): boolean {
    return this.deps.options.dryRun;
  }

  /** A dry run's plan goes to the report, for the person who asked; a real one's to each record's history. */
  plan(write: PlannedWrite): void {
    if (this.dryRun) this.report.plan.push(write);
    else this.planned.set(write.recordKey, [...(this.planned.get(write.recordKey) ?? []), write]);
  }

  /** Records read from a source, for their history (`detail`: the change stamp read). */
  read(records: readonly { key: string; detail: string | null }[]): void {
    if (this.dryRun) return;
    for (const { key, detail } of records) this.note(key, 'read', this.direction, detail, []);
  }

  outcome(recordKey: string, action: string, result: OutcomeResult, detail: string | null = null): void {
    const counter = result === 'planned' ? 'written' : result;
    this.report[counter === 'written' ? 'written' : counter]++;
    this.outcomes.push({ runId: this.report.runId, recordKey, action, result, detail });
    this.deps.onOutcome?.({ direction: this.direction, system: this.system, result });
    if (result === 'planned') return;
    const plans = this.planned.get(recordKey) ?? [];
    this.planned.delete(recordKey);
    this.note(recordKey, result, action, detail, result === 'written' || result === 'held' ? changesOf(plans) : []);
  }

  private note(recordKey: string, event: HistoryEntry['event'], action: string, detail: string | null, changes: HistoryEntry['changes']): void {
    const at = this.deps.clock.now().toISOString();
    this.history.push({ at, runId: this.report.runId, recordKey, ...idsOfKey(recordKey), event, action, detail, changes });
  }

  /**
   * Stores the failure with its reason and payload; the rest of the run goes on. An error about a
   * whole system stops the cycle instead (thrown as `CycleStoppedError`), and nothing is stored.
   */
  async fail(input: FailureInput): Promise<void> {
    if (input.error instanceof CycleStoppedError) throw input.error;
    if (isConnectorWide(input.error)) {
      this.stopped ??= new CycleStoppedError(input.error);
      throw this.stopped;
    }
    const { clock, store, options, logger } = this.deps;
    const reason = describeError(input.error);
    const errorKind = isConnectorError(input.error) ? input.error.kind : input.error instanceof StaleLinkError ? 'transient' : 'invalid';
    this.outcome(input.key, input.operation, 'failed', reason);
    if (this.dryRun) {
      this.report.wouldFail.push({ recordKey: input.key, operation: input.operation, reason });
      logger.warn({ recordKey: input.key, operation: input.operation, errorKind, reason }, 'record would fail (dry run: nothing stored)');
      return;
    }
    const now = clock.now();
    const attempts = ((await this.attemptsOf(input.key)) ?? 0) + 1;
    this.failures.set(input.key, attempts);
    const next = nextAttempt({ attempts, invalidRecord: input.error instanceof InvalidRecordError, errorKind, retry: options.retry });
    const nextAttemptAt = new Date(now.getTime() + (next.waitMs ?? NEVER_MS)).toISOString();
    logger.warn({ recordKey: input.key, operation: input.operation, errorKind, reason, attempts, ...(next.waitMs === null ? {} : { nextAttemptAt }) }, `record failed; ${next.says}`);
    await store.recordFailure({
      key: input.key,
      operation: input.operation,
      reason,
      errorKind,
      payload: withProblems(input.payload, input.error),
      nextAttemptAt,
      lastFailedAt: now.toISOString(),
      failedAt: now.toISOString(),
    });
  }

  async succeeded(key: string): Promise<void> {
    if (this.dryRun) return;
    if ((await this.attemptsOf(key)) === undefined) return;
    this.failures.delete(key);
    await this.deps.store.clearFailure(key);
  }

  /**
   * Reads the failures of a page of records at once (not one query per record, nor every failure
   * of the store): what `fail` and `succeeded` ask about next. Forgets earlier pages' keys, so it
   * holds a few pages at most.
   */
  async readFailuresOf(keys: readonly string[]): Promise<void> {
    if (this.dryRun || keys.length === 0) return;
    if (this.failuresRead.size + keys.length > KNOWN_FAILURES_HELD) {
      this.failuresRead.clear();
      this.failures.clear();
    }
    const found = await this.deps.store.failureAttempts(keys);
    for (const key of keys) {
      this.failuresRead.add(key);
      const attempts = found.get(key);
      if (attempts !== undefined) this.failures.set(key, attempts);
    }
  }

  /** Attempts so far of `key` (undefined: it has no failure), from the page read or else the store. */
  private async attemptsOf(key: string): Promise<number | undefined> {
    if (this.failuresRead.has(key)) return this.failures.get(key);
    await this.readFailuresOf([key]);
    return this.failures.get(key);
  }

  async flush(): Promise<void> {
    if (this.dryRun || (this.outcomes.length === 0 && this.history.length === 0)) return;
    const [outcomes, history] = [this.outcomes, this.history];
    this.outcomes = [];
    this.history = [];
    for (let at = 0; at < Math.max(outcomes.length, history.length); at += FLUSH_SLICE) {
      if (at > 0) await nextTurn();
      await this.deps.store.transaction(async (tx) => {
        await tx.recordOutcomes(outcomes.slice(at, at + FLUSH_SLICE));
        await tx.appendHistory(history.slice(at, at + FLUSH_SLICE));
      });
    }
  }
}

/** The reason shown in `failures list`, the status page and run history: vendor text, contact details redacted. */
export function describeError(error: unknown): string {
  if (isConnectorError(error)) return redactText(`${error.kind}${error.vendorCode ? ` (${error.vendorCode})` : ''}: ${error.message}`);
  return redactText(error instanceof Error ? error.message : String(error));
}

/**
 * A record with fields the mapping found wrong keeps them in its stored payload, so the reports
 * can name the field to fill without reading the reason's text.
 */
function withProblems(payload: unknown, error: unknown): unknown {
  if (!(error instanceof InvalidRecordError) || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  return { ...payload, problems: error.problems.map((p) => ({ path: p.path, crmField: p.crmField ?? null, message: p.message })) };
}

/** A record that the mapping cannot turn into a valid write: data an admin must fix. */
export class InvalidRecordError extends Error {
  constructor(
    message: string,
    readonly problems: readonly { path: string; crmField?: string | null; message: string }[],
  ) {
    super(`${message}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InvalidRecordError';
  }
}

/**
 * When a failed record is tried again, and what the log says about it. A record the mapping finds
 * invalid fails the same way until its data changes, and a change comes through the change feed
 * anyway: it is not due again until then, or until an admin runs `failures retry` (after changing
 * the mapping, say). Other bad data (a vendor refusing a write) waits the longest backoff. After
 * the last attempt a record is not retried on its own either: a change to it, or `failures retry`,
 * brings it back. `waitMs` null: not by itself.
 */
export function nextAttempt(args: { attempts: number; invalidRecord: boolean; errorKind: string; retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number } }): { waitMs: number | null; says: string } {
  const { attempts, retry } = args;
  if (args.invalidRecord) return { waitMs: null, says: 'it is tried again when it changes, or on `cosell-sync failures retry`' };
  if (attempts >= retry.maxAttempts) return { waitMs: null, says: `that was attempt ${attempts} of ${retry.maxAttempts}; it is not retried on its own, only when it changes or on \`cosell-sync failures retry\`` };
  const waitMs = args.errorKind === 'invalid' ? retry.maxDelayMs : Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
  return { waitMs, says: 'it will be retried' };
}

export const isConflict = (error: unknown): boolean => isConnectorError(error) && error.kind === 'conflict';

export { crmKey, referralKey } from './record-keys.js';

/**
 * Runs `fn` over `items` with at most `limit` in flight. After a failure no new item starts, and
 * the call settles only once the items in flight have, so nothing writes after the cycle ended.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === null) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
