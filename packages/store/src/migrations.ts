import { GaltError } from '@galt/core';
import type Database from 'better-sqlite3';

/** One schema change; applied once, in order, and recorded in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Every migration of the store schema, oldest first. Never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, events, ledger, memories, checkpoints and experiences',
    sql: `
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        seed INTEGER NOT NULL,
        config TEXT NOT NULL,
        model_digest TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        tick INTEGER NOT NULL,
        agent_id TEXT,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events (run_id, seq);

      CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        tick INTEGER NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER ledger_reject_update BEFORE UPDATE ON ledger
        BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE rejected'); END;
      CREATE TRIGGER ledger_reject_delete BEFORE DELETE ON ledger
        BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE rejected'); END;
      CREATE TABLE ledger_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');

      CREATE TABLE memories (
        memory_id TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        attribute TEXT NOT NULL,
        content TEXT NOT NULL,
        dependency_layer TEXT NOT NULL,
        provenance TEXT NOT NULL,
        consent TEXT NOT NULL,
        importance REAL NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        supersedes TEXT,
        superseded_by TEXT,
        created_seq INTEGER NOT NULL,
        tick INTEGER NOT NULL,
        quarantine_source TEXT,
        UNIQUE (agent_id, subject, attribute, version)
      );
      CREATE INDEX memories_by_agent ON memories (agent_id, subject, status);

      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        tick INTEGER NOT NULL,
        digest TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
      CREATE INDEX checkpoints_by_name ON checkpoints (name, id);

      CREATE TABLE experiences (
        id INTEGER PRIMARY KEY,
        agent_id TEXT NOT NULL,
        run_id TEXT,
        tick INTEGER NOT NULL,
        state TEXT NOT NULL,
        action TEXT NOT NULL,
        reward REAL NOT NULL,
        next_state TEXT,
        done INTEGER NOT NULL
      );
      CREATE INDEX experiences_by_agent ON experiences (agent_id, id);
    `,
  },
  {
    version: 2,
    description: 'index memories by content hash for the duplicate check of every write',
    sql: `
      CREATE INDEX memories_by_content ON memories (agent_id, subject, content_hash);
    `,
  },
];

/** Returns the highest applied migration version, 0 for an empty database. */
function appliedVersion(db: Database.Database): number {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL
    )`,
  );
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Checks, without writing, that a database opened read-only carries this package's full schema,
 * and returns its version. A file that galt never wrote, or one that needs migrations, is rejected.
 */
export function checkSchemaReadOnly(db: Database.Database, path: string): number {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  const remedy =
    'Check the path; a read-only open never creates or migrates tables, so open the file once ' +
    'with a writable store (galt run) to migrate it';
  if (table === undefined) {
    throw new GaltError('database_unreadable', `${path} is not a galt database (no schema table)`, {
      remedy,
    });
  }
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  if (current !== latest) {
    throw new GaltError(
      'database_unreadable',
      `${path} has schema version ${current}; this @galt/store reads version ${latest}`,
      { remedy },
    );
  }
  return current;
}

/**
 * Applies the migrations the database lacks, inside one IMMEDIATE transaction so that two
 * processes opening a new file at once apply each migration exactly once.
 */
export function applyMigrations(db: Database.Database): number {
  const migrate = db.transaction(() => {
    const current = appliedVersion(db);
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new GaltError(
        'database_unreadable',
        `database schema version ${current} is newer than this @galt/store supports (${latest})`,
        { remedy: 'Open the file with the @galt/store release that wrote it, or a newer one' },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, description) VALUES (?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description);
    }
    return latest;
  });
  return migrate.immediate();
}
