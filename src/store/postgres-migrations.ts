/**
 * Numbered, append-only schema migrations for the PostgreSQL store, inside one schema. Several
 * instances may start at once, so the whole check-and-apply runs under a session advisory lock
 * keyed by the schema; each migration commits together with its `schema_migrations` row.
 */
import type pg from 'pg';

export interface PgMigration {
  version: number;
  name: string;
  /** DDL for the schema whose quoted name is `s`. */
  sql: (s: string) => string;
}

/** Quotes an identifier (the schema name comes from configuration). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// Ids sort bytewise (COLLATE "C") so keyset paging orders links exactly as SQLite does.
export const POSTGRES_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: (s) => `
      CREATE TABLE ${s}.links (
        id text COLLATE "C" PRIMARY KEY,
        crm_system text NOT NULL,
        crm_kind text NOT NULL,
        crm_id text,
        referral_id text,
        engagement_id text,
        origin text NOT NULL,
        state text NOT NULL,
        snapshot text NOT NULL,
        crm_version text,
        referral_etag text,
        respond_by text,
        created_at text NOT NULL,
        updated_at text NOT NULL
      );
      -- NULLs are distinct in a unique index, so links still waiting for their other side coexist.
      CREATE UNIQUE INDEX links_by_crm ON ${s}.links (crm_system, crm_id);
      CREATE UNIQUE INDEX links_by_referral ON ${s}.links (referral_id);
      CREATE INDEX links_by_engagement ON ${s}.links (engagement_id);
      CREATE INDEX links_by_state ON ${s}.links (state, id);

      CREATE TABLE ${s}.cursors (source text PRIMARY KEY, value text NOT NULL);

      CREATE TABLE ${s}.runs (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        kind text NOT NULL,
        started_at text NOT NULL,
        started_ms bigint NOT NULL,
        finished_at text,
        status text NOT NULL,
        summary text NOT NULL
      );
      CREATE INDEX runs_by_start ON ${s}.runs (started_ms, seq);

      CREATE TABLE ${s}.run_outcomes (
        seq bigserial PRIMARY KEY,
        run_id text NOT NULL,
        record_key text NOT NULL,
        action text NOT NULL,
        result text NOT NULL,
        detail text
      );
      CREATE INDEX run_outcomes_by_run ON ${s}.run_outcomes (run_id, seq);

      CREATE TABLE ${s}.failures (
        key text PRIMARY KEY,
        operation text NOT NULL,
        reason text NOT NULL,
        error_kind text NOT NULL,
        payload text,
        attempts integer NOT NULL,
        first_failed_at text NOT NULL,
        last_failed_at text NOT NULL,
        next_attempt_at text NOT NULL,
        next_attempt_ms bigint NOT NULL
      );
      CREATE INDEX failures_by_due ON ${s}.failures (next_attempt_ms, key);

      CREATE TABLE ${s}.conflicts (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        link_id text NOT NULL,
        path text NOT NULL,
        base text,
        crm_value text,
        partner_center_value text,
        created_at text NOT NULL,
        resolved_at text,
        resolution text,
        resolved_value text
      );
      CREATE INDEX conflicts_by_link ON ${s}.conflicts (link_id, seq);
      CREATE INDEX conflicts_open ON ${s}.conflicts (seq) WHERE resolved_at IS NULL;

      CREATE TABLE ${s}.leases (name text PRIMARY KEY, owner text NOT NULL, expires_at text NOT NULL, expires_ms bigint NOT NULL);

      CREATE TABLE ${s}.blobs (name text PRIMARY KEY, value bytea NOT NULL);
    `,
  },
  {
    // count(*) is a sequential scan of every link in PostgreSQL (30-65 ms at 100,000 links), and
    // the idle cycle counts links. A trigger appends +1 / -1 rows to an unindexed delta table
    // instead (insert-only: no row lock, so concurrent writers never wait or deadlock on it, and
    // no update chain growing inside a long transaction); countLinks adds the deltas to a kept
    // total and folds them in once they pile up.
    version: 2,
    name: 'kept link count',
    sql: (s) => `
      CREATE TABLE ${s}.link_count (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), n bigint NOT NULL);
      CREATE TABLE ${s}.link_count_delta (n integer NOT NULL);
      CREATE FUNCTION ${s}.link_count_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO ${s}.link_count_delta (n) VALUES (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END);
        RETURN NULL;
      END
      $fn$;
      CREATE FUNCTION ${s}.link_count_reset() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM ${s}.link_count_delta;
        UPDATE ${s}.link_count SET n = 0;
        RETURN NULL;
      END
      $fn$;
      -- Creating the trigger locks out link writers until this migration commits, so the count
      -- taken below cannot miss a row.
      CREATE TRIGGER links_count AFTER INSERT OR DELETE ON ${s}.links FOR EACH ROW EXECUTE FUNCTION ${s}.link_count_note();
      CREATE TRIGGER links_count_reset AFTER TRUNCATE ON ${s}.links FOR EACH STATEMENT EXECUTE FUNCTION ${s}.link_count_reset();
      INSERT INTO ${s}.link_count (n) SELECT count(*) FROM ${s}.links;
    `,
  },
  {
    // Fenced leases: the holder's process life (a restarted instance reclaims its own leases at
    // once) and a token that grows with every change of hands (writes under an old token are
    // refused); runs remember their lease, so those a dead holder left running are abandoned.
    version: 3,
    name: 'fenced leases, runs under a lease',
    sql: (s) => `
      ALTER TABLE ${s}.leases ADD COLUMN session text NOT NULL DEFAULT '';
      ALTER TABLE ${s}.leases ADD COLUMN token bigint NOT NULL DEFAULT 0;
      ALTER TABLE ${s}.runs ADD COLUMN lease text;
      CREATE INDEX runs_running_by_lease ON ${s}.runs (lease) WHERE status = 'running';
    `,
  },
  {
    // Optimistic concurrency on links (outbound and inbound loops, on one instance or several, may
    // both save one link), the Microsoft-side referral of a co-sell once known, and an index to ask
    // whether any link of an object kind exists.
    version: 4,
    name: 'link revisions, Microsoft-side referral, links by kind',
    sql: (s) => `
      ALTER TABLE ${s}.links ADD COLUMN microsoft_side_id text;
      ALTER TABLE ${s}.links ADD COLUMN revision integer NOT NULL DEFAULT 1;
      CREATE INDEX links_by_kind ON ${s}.links (crm_system, crm_kind);
    `,
  },
  {
    // Record history (what the sync did to each record, newest first by CRM id or referral id),
    // and what retention needs: history by time.
    version: 5,
    name: 'record history',
    sql: (s) => `
      CREATE TABLE ${s}.record_history (
        seq bigserial PRIMARY KEY,
        at text NOT NULL,
        at_ms bigint NOT NULL,
        run_id text,
        record_key text NOT NULL,
        crm_id text,
        referral_id text,
        event text NOT NULL,
        action text NOT NULL,
        detail text,
        changes text NOT NULL
      );
      CREATE INDEX record_history_by_crm ON ${s}.record_history (crm_id, at_ms);
      CREATE INDEX record_history_by_referral ON ${s}.record_history (referral_id, at_ms);
      CREATE INDEX record_history_by_time ON ${s}.record_history (at_ms);
    `,
  },
  {
    // Webhook events already taken (a digest of the signed body), remembered until they would be
    // refused on age anyway, so a replayed post is known across restarts and instances.
    version: 7,
    name: 'webhook replay memory',
    sql: (s) => `
      CREATE TABLE ${s}.webhook_events (
        event_id text COLLATE "C" PRIMARY KEY,
        taken_at text NOT NULL,
        forget_after_ms bigint NOT NULL
      );
      CREATE INDEX webhook_events_by_expiry ON ${s}.webhook_events (forget_after_ms);
    `,
  },
  {
    // Co-sell health: what each referral was and when it was answered, recorded as the sync sees
    // it; reminders claimed and sent; deal registrations asked for won deals.
    version: 8,
    name: 'co-sell health: referral facts, reminders, registrations',
    sql: (s) => `
      CREATE TABLE ${s}.referral_facts (
        referral_id text COLLATE "C" PRIMARY KEY,
        direction text NOT NULL,
        name text NOT NULL,
        received_at text NOT NULL,
        received_ms bigint NOT NULL,
        respond_by text,
        respond_by_ms bigint,
        status text NOT NULL,
        answer text,
        answered_at text,
        source text NOT NULL,
        deal_type text NOT NULL,
        solution text,
        country text,
        size text,
        deal_value double precision,
        currency text,
        first_seen_at text NOT NULL,
        last_seen_at text NOT NULL
      );
      CREATE INDEX referral_facts_by_received ON ${s}.referral_facts (received_ms, referral_id);
      CREATE INDEX referral_facts_awaiting ON ${s}.referral_facts (respond_by_ms) WHERE answer IS NULL;

      CREATE TABLE ${s}.reminders (
        referral_id text NOT NULL,
        days_left integer NOT NULL,
        state text NOT NULL,
        recipient text,
        claimed_at text NOT NULL,
        claimed_ms bigint NOT NULL,
        settled_at text,
        detail text,
        PRIMARY KEY (referral_id, days_left)
      );
      CREATE INDEX reminders_by_claim ON ${s}.reminders (claimed_ms);

      CREATE TABLE ${s}.registrations (
        referral_id text PRIMARY KEY,
        state text NOT NULL,
        registration_id text,
        status text,
        status_in_crm text,
        attempted_at text NOT NULL,
        updated_at text NOT NULL,
        detail text
      );
    `,
  },
];

/** Brings `schema` up to the newest known version; refuses a schema written by a newer release. */
export async function migratePostgres(args: {
  pool: pg.Pool;
  schema: string;
  now: () => string;
  migrations?: readonly PgMigration[];
}): Promise<{ applied: number[] }> {
  const { pool, schema, now } = args;
  const migrations = [...(args.migrations ?? POSTGRES_MIGRATIONS)].sort((a, b) => a.version - b.version);
  const s = quoteIdent(schema);
  const lockKey = `cosell-sync:migrate:${schema}`;
  const applied: number[] = [];
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
      const done = new Set(rows.map((r) => r.version));
      const known = Math.max(0, ...migrations.map((m) => m.version));
      const newest = Math.max(0, ...done);
      if (newest > known) {
        throw new Error(`the state store schema ${schema} is at version ${newest}, newer than this release knows (${known}); upgrade cosell-sync`);
      }
      for (const migration of migrations.filter((m) => !done.has(m.version))) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql(s));
          await client.query(`INSERT INTO ${s}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [migration.version, migration.name, now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    client.release();
  }
  return { applied };
}
