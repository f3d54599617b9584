import { GaltError, type Logger, noopLogger } from '@galt/core';
import Database from 'better-sqlite3';
import { applyMigrations, checkSchemaReadOnly } from './migrations.js';
import { sqliteCode, translateSqliteError, unreadableError } from './sqlite-errors.js';

/**
 * Milliseconds a write waits for another connection's lock before it fails with SQLITE_BUSY.
 * NOTE: 5 s is an estimate, chosen to outlast other writers' batch commits on a slow disk.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** Pause between attempts to switch a contended file to WAL, short against the busy timeout. */
const WAL_RETRY_DELAY_MS = 10;

/** Options of `openStore`. */
export interface StoreOptions {
  readonly logger?: Logger;
  /** Milliseconds a write waits for another connection's lock. */
  readonly busyTimeoutMs?: number;
  /**
   * WAL sync mode. `full` syncs on every commit and survives power loss. `normal` survives a
   * killed process, but a power loss may drop the last commits. Both keep the file consistent.
   */
  readonly synchronous?: 'full' | 'normal';
  /** Cap on the file size in bytes; a write past it fails with `storage_full`. */
  readonly maxSizeBytes?: number;
  /** Run SQLite's `quick_check` on open, which reads every page once. */
  readonly checkOnOpen?: boolean;
  /** Wall-clock source for run start and end times, as ISO 8601 strings. */
  readonly now?: () => string;
  /**
   * Open an existing galt database without writing to it, for audits: the file must exist, no
   * table is created or migrated, and every write fails.
   */
  readonly readOnly?: boolean;
}

/**
 * One SQLite connection with cached prepared statements, lazy idempotent schema setup and
 * IMMEDIATE transactions. SQLite errors that report damage or a full disk become `GaltError`s.
 */
export class Connection {
  readonly path: string;
  readonly logger: Logger;
  readonly now: () => string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private ready = false;
  private readonly readOnly: boolean;

  private constructor(path: string, db: Database.Database, options: StoreOptions) {
    this.path = path;
    this.db = db;
    this.readOnly = options.readOnly ?? false;
    this.logger = options.logger ?? noopLogger;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** Opens `path` and checks that it is a readable SQLite database. */
  static open(path: string, options: StoreOptions = {}): Connection {
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: Database.Database;
    try {
      db = options.readOnly
        ? new Database(path, { timeout: busyTimeoutMs, readonly: true, fileMustExist: true })
        : new Database(path, { timeout: busyTimeoutMs });
    } catch (error) {
      // better-sqlite3 raises a plain TypeError for a missing directory, so any failure here is
      // reported as an unreadable file.
      const translated = translateSqliteError(error, path);
      if (translated !== error) throw translated;
      throw unreadableError(path, error instanceof Error ? error.message : String(error), error);
    }
    try {
      configure(db, path, options, busyTimeoutMs);
    } catch (error) {
      db.close();
      throw translateSqliteError(error, path);
    }
    return new Connection(path, db, options);
  }

  /** Runs `work` after the schema is in place, converting SQLite failures to `GaltError`s. */
  run<T>(work: () => T): T {
    try {
      this.setup();
      return work();
    } catch (error) {
      const translated = translateSqliteError(error, this.path);
      if (translated !== error) {
        this.logger.error('store operation failed', { path: this.path, error: String(error) });
      }
      throw translated;
    }
  }

  /** Runs `work` inside an IMMEDIATE transaction, so reads in it see the latest committed head. */
  transaction<T>(work: () => T): T {
    return this.run(() => this.db.transaction(work).immediate());
  }

  /** Runs read-only `work` in a deferred transaction, so every read sees one snapshot. */
  snapshot<T>(work: () => T): T {
    return this.run(() => this.db.transaction(work).deferred());
  }

  /** Returns the cached prepared statement for `sql`. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the connection. Later calls fail, but closing twice is allowed. */
  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }

  private setup(): void {
    if (this.ready) return;
    const version = this.readOnly
      ? checkSchemaReadOnly(this.db, this.path)
      : applyMigrations(this.db);
    this.ready = true;
    this.logger.debug('store schema ready', { path: this.path, version });
  }
}

/** Applies the connection pragmas. SQLite notices a foreign file at the first statement. */
function configure(
  db: Database.Database,
  path: string,
  options: StoreOptions,
  busyTimeoutMs: number,
): void {
  // Before anything changes the file: a database of another program is never converted.
  const foreign = foreignTables(db);
  if (foreign !== null) {
    throw new GaltError(
      'database_unreadable',
      `${path} is not a galt database: it is a SQLite file with other tables (${foreign.join(', ')})`,
      { remedy: 'Pass the path of a new file or of a galt database; this file was not changed' },
    );
  }
  const journalMode = options.readOnly
    ? db.pragma('journal_mode', { simple: true })
    : switchToWal(db, busyTimeoutMs);
  if (path !== ':memory:' && journalMode !== 'wal') {
    throw unreadableError(path, `journal mode is ${String(journalMode)}, expected wal`);
  }
  if (!options.readOnly) {
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
  }
  if (options.maxSizeBytes !== undefined) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
  }
  if (options.checkOnOpen ?? true) {
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw unreadableError(path, `quick_check reported: ${String(result)}`);
  }
}

/** Tables listed first when a foreign database is reported; the rest are counted. */
const LISTED_FOREIGN_TABLES = 5;

/**
 * Returns the tables of a database that has tables but no galt schema table, or null for an empty
 * database or a galt one. Reading the schema is the first statement, so a damaged file fails here.
 */
function foreignTables(db: Database.Database): string[] | null {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.length === 0 || tables.includes('schema_migrations')) return null;
  const listed = tables.slice(0, LISTED_FOREIGN_TABLES);
  const more = tables.length - listed.length;
  return more > 0 ? [...listed, `${more} more`] : listed;
}

/**
 * Sets `journal_mode = WAL`, retrying while another connection holds a lock. SQLite returns
 * SQLITE_BUSY for this pragma without calling the busy handler when waiting could deadlock,
 * which happens when two processes open a new file at the same moment.
 */
function switchToWal(db: Database.Database, busyTimeoutMs: number): unknown {
  const attempts = Math.max(1, Math.ceil(busyTimeoutMs / WAL_RETRY_DELAY_MS));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return db.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      if (sqliteCode(error) !== 'SQLITE_BUSY' || attempt >= attempts) throw error;
      Atomics.wait(pause, 0, 0, WAL_RETRY_DELAY_MS);
    }
  }
}
