/**
 * The default state store: one SQLite file (or `:memory:`) through better-sqlite3.
 *
 * better-sqlite3 is synchronous while `transaction(fn)` takes an async `fn`, so one store-wide
 * async lock serialises everything: a transaction holds it from BEGIN IMMEDIATE to COMMIT /
 * ROLLBACK, and every other call on the store waits for it. Calls made through the `tx` handle
 * run inside the transaction. Calling the store itself (not `tx`) from inside `fn` therefore
 * waits for the transaction that is waiting for it: always use `tx`.
 */
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../core/clock.js';
import { AsyncMutex } from './async-mutex.js';
import { StoreClosedError } from './errors.js';
import { guardedStore, type StoreOps } from './guarded-store.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { sqliteLinkOps } from './sqlite-link-ops.js';
import { sqliteRecordOps } from './sqlite-record-ops.js';
import type { StateStore } from './types.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a store that lives as long as the process. */
  path: string;
  clock?: Clock;
  /** How long a write waits for another process holding the file's write lock (default 5 s). */
  busyTimeoutMs?: number;
}

/** Opens (creating and migrating when needed) a SQLite state store. */
export function openSqliteStore(options: SqliteStoreOptions): StateStore {
  const clock = options.clock ?? systemClock;
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL lets readers in other processes (the CLI's status command) read while the daemon writes.
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits, which
    // the next cycle heals because every write is idempotent (STYLE.md 10).
    db.pragma('synchronous = NORMAL');
    migrateSqlite({ db, now: () => clock.now().toISOString() });
  } catch (error) {
    db.close();
    throw error;
  }
  const ops: StoreOps = { ...sqliteLinkOps({ db, clock }), ...sqliteRecordOps({ db }) };
  return new SqliteStore(db, ops).facade;
}

class SqliteStore {
  private readonly lock = new AsyncMutex();
  private closed = false;
  private savepoints = 0;
  readonly facade: StateStore;

  constructor(
    private readonly db: Database.Database,
    private readonly ops: StoreOps,
  ) {
    this.facade = guardedStore({
      ops,
      guard: (call) => this.lock.run(() => (this.assertOpen(), call())),
      transaction: (fn) => this.lock.run(() => (this.assertOpen(), this.runTransaction(fn))),
      close: () => this.lock.run(async () => this.close()),
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError('the SQLite state store is closed');
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Runs `fn` as the transaction; the caller holds the store lock. */
  private async runTransaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    return this.runScope(fn, {
      commit: () => this.db.exec('COMMIT'),
      // Some errors (SQLITE_FULL, SQLITE_IOERR...) already rolled the transaction back.
      rollback: () => this.db.inTransaction && this.db.exec('ROLLBACK'),
    });
  }

  /** Runs `fn` as a savepoint inside the open transaction (a nested `tx.transaction`). */
  private async runSavepoint<T>(fn: (tx: StateStore) => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    return this.runScope(fn, {
      commit: () => this.db.exec(`RELEASE ${name}`),
      rollback: () => this.db.inTransaction && this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`),
    });
  }

  /**
   * Gives `fn` a handle whose calls run one at a time and only while the scope is open: a call
   * still queued on the handle when `fn` settles is refused rather than run outside the
   * transaction.
   */
  private async runScope<T>(fn: (tx: StateStore) => Promise<T>, end: { commit(): void; rollback(): unknown }): Promise<T> {
    const scopeLock = new AsyncMutex();
    let open = true;
    const assertScopeOpen = (): void => {
      if (!open) throw new StoreClosedError('this transaction has already finished; use the store, not a kept tx handle');
    };
    const handle = guardedStore({
      ops: this.ops,
      guard: (call) => scopeLock.run(() => (assertScopeOpen(), call())),
      transaction: (inner) => scopeLock.run(() => (assertScopeOpen(), this.runSavepoint(inner))),
      close: () => Promise.reject(new Error('close the store, not a transaction handle')),
    });
    try {
      const result = await fn(handle);
      open = false;
      end.commit();
      return result;
    } catch (error) {
      open = false;
      end.rollback();
      throw error;
    }
  }
}
