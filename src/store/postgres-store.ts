/**
 * The scale-out state store on PostgreSQL. Several daemon instances share one schema and
 * coordinate through leases. Calls outside a transaction go to the pool (autocommit); a
 * transaction runs on one pooled client, and calls through its `tx` handle use that client.
 * Calling the store itself (not `tx`) inside `fn` throws TransactionMisuseError, as on SQLite.
 */
import pg from 'pg';
import { systemClock, type Clock } from '../core/clock.js';
import { StoreClosedError } from './errors.js';
import { guardedStore, type StoreOps } from './guarded-store.js';
import { postgresLinkOps } from './postgres-link-ops.js';
import { migratePostgres, quoteIdent } from './postgres-migrations.js';
import type { Queryable } from './postgres-queryable.js';
import { postgresHealthOps } from './postgres-health-ops.js';
import { postgresHistoryOps } from './postgres-history-ops.js';
import { postgresLeaseOps } from './postgres-lease-ops.js';
import { postgresRecordOps } from './postgres-record-ops.js';
import { postgresWebhookOps } from './postgres-webhook-ops.js';
import { forgetSchedule } from './webhook-forget.js';
import { TransactionContext } from './transaction-context.js';
import { runScope, type ScopeEnd } from './transaction-scope.js';
import type { StateStore } from './types.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** The schema holding the store's tables (created when missing); default `cosell_sync`. */
  schema?: string;
  /** Most connections this instance opens; a running transaction holds one (default 10). */
  poolSize?: number;
  /** How long to wait for a new connection before the call fails (default 10 s). */
  connectTimeoutMs?: number;
  clock?: Clock;
  /**
   * Told about errors on idle pooled connections (the server restarted, the network dropped).
   * The pool discards such a connection and opens a new one on the next call.
   */
  onPoolError?: (error: Error) => void;
}

export const DEFAULT_POSTGRES_SCHEMA = 'cosell_sync';

/** Connects, migrates the schema (under an advisory lock) and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<StateStore> {
  const clock = options.clock ?? systemClock;
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // pg waits forever for a connection by default; a black-holed network would hang the daemon.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
  });
  // Without a listener an idle connection's error would crash the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  try {
    await migratePostgres({ pool, schema, now: () => clock.now().toISOString() });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const s = quoteIdent(schema);
  // One for the store: a transaction's ops are built afresh, and would each delete at once.
  const forget = forgetSchedule();
  const opsFor = (db: Queryable): StoreOps => ({
    ...postgresLinkOps({ db, s, clock }),
    ...postgresRecordOps({ db, s }),
    ...postgresHealthOps({ db, s }),
    ...postgresHistoryOps({ db, s }),
    ...postgresLeaseOps({ db, s }),
    ...postgresWebhookOps({ db, s, forget }),
  });

  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError('the PostgreSQL state store is closed');
  };

  const inside = new TransactionContext();
  const transaction = async <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> => {
    inside.assertOutside('transaction');
    assertOpen();
    return inside.run(() => runTransaction(fn));
  };
  const runTransaction = async <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // A client whose BEGIN or ROLLBACK failed is in an unknown state: it is destroyed, not reused.
    let broken: Error | undefined;
    const discardOnFailure = async (sql: string): Promise<void> => {
      try {
        await client.query(sql);
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    };
    try {
      await discardOnFailure('BEGIN');
      let savepoints = 0;
      const end: ScopeEnd = {
        commit: async () => void (await client.query('COMMIT')),
        rollback: () => discardOnFailure('ROLLBACK'),
      };
      const savepoint = async (): Promise<ScopeEnd> => {
        const name = `sp_${++savepoints}`;
        await client.query(`SAVEPOINT ${name}`);
        return {
          commit: async () => void (await client.query(`RELEASE SAVEPOINT ${name}`)),
          rollback: async () => void (await client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`)),
        };
      };
      return await runScope({ connection: { ops: opsFor(client), savepoint }, end, fn });
    } finally {
      client.release(broken);
    }
  };

  return guardedStore({
    ops: opsFor(pool),
    guard: async (call, method) => (inside.assertOutside(method), assertOpen(), call()),
    transaction,
    close: async () => {
      inside.assertOutside('close');
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
}
