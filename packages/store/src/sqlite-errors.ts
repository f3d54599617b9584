import { GaltError } from '@galt/core';

/** SQLite result codes that mean the file is not a usable database. */
const UNREADABLE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN']);

/** Returns the SQLite result code of a better-sqlite3 error, or null for any other value. */
export function sqliteCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** Creates the `database_unreadable` error for a damaged or foreign file. */
export function unreadableError(path: string, detail: string, cause?: unknown): GaltError {
  return new GaltError('database_unreadable', `database file ${path} is unreadable: ${detail}`, {
    remedy:
      'Restore the file from a backup, or move it aside and open the path again to start an ' +
      'empty store',
    cause,
  });
}

/**
 * Converts a SQLite failure to a `GaltError`: damaged files become `database_unreadable`, a full
 * disk or size cap becomes `storage_full`. Other values are returned unchanged.
 */
export function translateSqliteError(error: unknown, path: string): unknown {
  if (error instanceof GaltError) return error;
  const code = sqliteCode(error);
  if (code === null) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const baseCode = code.split('_').slice(0, 2).join('_');

  if (UNREADABLE_CODES.has(baseCode) || code === 'SQLITE_IOERR_SHORT_READ') {
    return unreadableError(path, detail, error);
  }
  if (baseCode === 'SQLITE_FULL') {
    return new GaltError('storage_full', `database file ${path} is full: ${detail}`, {
      remedy:
        'Free disk space on the device that holds the file (or, when the store was opened with ' +
        'a maxSizeBytes cap, raise it), then run again. The last committed state is intact',
      cause: error,
    });
  }
  if (baseCode === 'SQLITE_IOERR') {
    return new GaltError('internal', `I/O error on database file ${path}: ${detail}`, {
      remedy: 'Check the disk and file permissions, then reopen the store',
      cause: error,
    });
  }
  return error;
}
