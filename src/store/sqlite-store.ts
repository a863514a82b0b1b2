/**
 * The default state store: one SQLite file (or `:memory:`) through better-sqlite3.
 *
 * better-sqlite3 is synchronous while `transaction(fn)` takes an async `fn`, so one store-wide
 * async lock serialises everything: a transaction holds it from BEGIN IMMEDIATE to COMMIT /
 * ROLLBACK, and every other call on the store waits for it. Calls made through the `tx` handle
 * run inside the transaction. Calling the store itself (not `tx`) from inside `fn` would wait for
 * the transaction that is waiting for it, so it throws TransactionMisuseError. A transaction also holds the
 * file's write lock, so `fn` should do store work only, never wait on the network.
 *
 * Calls made on the store itself commit in groups: the calls that arrive within one turn of the
 * event loop run together in one transaction, each settling with its own result once the group
 * has committed (so a call that returned is as durable as it was alone). A commit costs SQLite a
 * write of every page it touched to the WAL; a backfill's link saves, many per turn, shared them.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../core/clock.js';
import { ensurePrivateFile, tightenToPrivate } from '../core/private-file.js';
import { AsyncMutex } from './async-mutex.js';
import { TransactionContext } from './transaction-context.js';
import { runScope, type ScopeEnd } from './transaction-scope.js';
import { StoreClosedError } from './errors.js';
import { guardedStore, type StoreOps } from './guarded-store.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { sqliteLinkOps } from './sqlite-link-ops.js';
import { sqliteHealthOps } from './sqlite-health-ops.js';
import { sqliteHistoryOps } from './sqlite-history-ops.js';
import { sqliteLeaseOps } from './sqlite-lease-ops.js';
import { sqliteRecordOps } from './sqlite-record-ops.js';
import { sqliteWebhookOps } from './sqlite-webhook-ops.js';
import { forgetSchedule } from './webhook-forget.js';
import type { StateStore } from './types.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a store that lives as long as the process. */
  path: string;
  clock?: Clock;
  /** How long a write waits for another process holding the file's write lock (default 5 s). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating and migrating when needed) a SQLite state store. Open one store per file per
 * process: other processes (the CLI) may share the file, but two instances in one process would
 * block each other, because better-sqlite3 waits for the file's write lock synchronously.
 */
export function openSqliteStore(options: SqliteStoreOptions): StateStore {
  const clock = options.clock ?? systemClock;
  if (options.path !== ':memory:') {
    // SQLite creates the -wal and -shm files with the database file's mode: 0600 covers all three.
    ensurePrivateFile(options.path);
    for (const suffix of ['-wal', '-shm']) tightenToPrivate(`${options.path}${suffix}`);
  }
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL lets readers in other processes (the CLI's status command) read while the daemon writes.
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits, which
    // the next cycle heals because every write is idempotent.
    db.pragma('synchronous = NORMAL');
    // A checkpoint copies the WAL into the database file and syncs it, inside the commit that
    // crosses the threshold, with the event loop blocked. At SQLite's default (1,000 pages, 4 MB)
    // a 20,000-record backfill spent 1.7 s of its 2.8 s of commits in checkpoints; at 10,000
    // pages a page rewritten by many commits is copied once, and the file is cut back to 64 MB.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrateSqlite({ db, now: () => clock.now().toISOString() });
  } catch (error) {
    db.close();
    throw error;
  }
  const ops: StoreOps = { ...sqliteLinkOps({ db, clock }), ...sqliteRecordOps({ db }), ...sqliteHealthOps({ db }), ...sqliteHistoryOps({ db }), ...sqliteLeaseOps({ db }), ...sqliteWebhookOps({ db, forget: forgetSchedule() }) };
  return new SqliteStore(db, ops).facade;
}

interface Queued {
  call: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

class SqliteStore {
  private readonly lock = new AsyncMutex();
  private readonly inside = new TransactionContext();
  private closed = false;
  private savepoints = 0;
  /** Calls waiting for the group that is gathering (it holds its place in the lock's line). */
  private gathering: Queued[] = [];
  readonly facade: StateStore;

  constructor(
    private readonly db: Database.Database,
    private readonly ops: StoreOps,
  ) {
    this.facade = guardedStore({
      ops,
      guard: async (call, method) => {
        this.inside.assertOutside(method);
        return this.grouped(call);
      },
      transaction: async (fn) => {
        this.inside.assertOutside('transaction');
        return this.lock.run(() => (this.assertOpen(), this.inside.run(() => this.runTransaction(fn))));
      },
      close: async () => {
        this.inside.assertOutside('close');
        return this.lock.run(async () => this.close());
      },
    });
  }

  /**
   * Runs `call` in the next group. The first call of a group takes its place in the lock's line
   * (so transactions and close keep their order with it) and waits one turn of the event loop
   * for others to join.
   */
  private grouped<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.gathering.push({ call, resolve: resolve as (value: unknown) => void, reject });
      if (this.gathering.length > 1) return;
      void this.lock.run(async () => {
        await nextTurn();
        await this.runGroup(this.gathering.splice(0));
      });
    });
  }

  private async runGroup(group: Queued[]): Promise<void> {
    if (this.closed) {
      for (const q of group) q.reject(new StoreClosedError('the SQLite state store is closed'));
      return;
    }
    const only = group.length === 1 ? group[0] : undefined;
    if (only) {
      await only.call().then(only.resolve, only.reject);
      return;
    }
    const { db } = this;
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const q of group) {
        try {
          results.push({ ok: true, value: await q.call() });
        } catch (error) {
          // A failed statement is undone alone; an error that ended the transaction undid them all.
          if (!db.inTransaction) throw error;
          results.push({ ok: false, error });
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const q of group) q.reject(error);
      return;
    }
    group.forEach((q, i) => {
      const result = results[i] as (typeof results)[number];
      if (result.ok) q.resolve(result.value);
      else q.reject(result.error);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError('the SQLite state store is closed');
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    // SQLite's advice for long-lived connections: refresh the planner's statistics on close.
    this.db.pragma('optimize');
    this.db.close();
  }

  /** Runs `fn` as the transaction; the caller holds the store lock. */
  private async runTransaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T> {
    const { db } = this;
    db.exec('BEGIN IMMEDIATE');
    const end: ScopeEnd = {
      commit: async () => void db.exec('COMMIT'),
      // Some errors (SQLITE_FULL, SQLITE_IOERR...) have already rolled the transaction back.
      rollback: async () => void (db.inTransaction && db.exec('ROLLBACK')),
    };
    return runScope({ connection: { ops: this.ops, savepoint: async () => this.savepoint() }, end, fn });
  }

  /** A savepoint inside the open transaction, for a nested `tx.transaction`. */
  private savepoint(): ScopeEnd {
    const { db } = this;
    const name = `sp_${++this.savepoints}`;
    db.exec(`SAVEPOINT ${name}`);
    return {
      commit: async () => void db.exec(`RELEASE ${name}`),
      rollback: async () => void (db.inTransaction && db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`)),
    };
  }
}
