/** The PostgreSQL server the tests that need one use (COSELL_TEST_PG_URL), and whether it answers. */
import pg from 'pg';

export const PG_URL = process.env['COSELL_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
