/**
 * The default state store: one SQLite file (or `:memory:`) through better-sqlite3.
 *
 * better-sqlite3 is synchronous while `transaction(fn)` takes an async `fn`, so one store-wide
 * async lock serialises everything: a transaction holds it from BEGIN IMMEDIATE to COMMIT /
 * ROLLBACK, and every other call on the store waits for it. Calls made through the `tx` handle
 * run inside the transaction. Calling the store itself (not `tx`) from inside `fn` would wait for
 * the transaction that is waiting for it, so it throws TransactionMisuseError. A transaction also holds the
 * file's write lock, so `fn` should do store work only, never wait on the network.
 */
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
    migrateSqlite({ db, now: () => clock.now().toISOString() });
  } catch (error) {
    db.close();
    throw error;
  }
  const ops: StoreOps = { ...sqliteLinkOps({ db, clock }), ...sqliteRecordOps({ db }), ...sqliteHealthOps({ db }), ...sqliteHistoryOps({ db }), ...sqliteLeaseOps({ db }), ...sqliteWebhookOps({ db }) };
  return new SqliteStore(db, ops).facade;
}

class SqliteStore {
  private readonly lock = new AsyncMutex();
  private readonly inside = new TransactionContext();
  private closed = false;
  private savepoints = 0;
  readonly facade: StateStore;

  constructor(
    private readonly db: Database.Database,
    private readonly ops: StoreOps,
  ) {
    this.facade = guardedStore({
      ops,
      guard: async (call, method) => {
        this.inside.assertOutside(method);
        return this.lock.run(() => (this.assertOpen(), call()));
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
