import type { QueryResult, QueryResultRow } from 'pg';

/** What the PostgreSQL operations need: a pool (autocommit) or one client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
