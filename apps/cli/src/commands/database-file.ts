import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/**
 * Resolves `--db` against the working directory and checks that the file exists, so that the
 * read-only commands never create an empty database where the user mistyped a path.
 */
export function resolveExistingDatabase(path: string, io: CliIo): string {
  const fullPath = resolve(io.cwd, path);
  if (!existsSync(fullPath)) {
    throw new CliError(
      `database file ${fullPath} not found. Pass --db with the path of a database written by ` +
        `'galt run' (default ./galt.db).`,
      ExitCode.usage,
    );
  }
  const stats = statSync(fullPath);
  if (!stats.isFile()) {
    throw new CliError(`${fullPath} is not a file; pass --db with a database file`, ExitCode.usage);
  }
  if (stats.size === 0) {
    throw new CliError(
      `database file ${fullPath} is empty; write a run into it with 'galt run --db ${path}'`,
      ExitCode.usage,
    );
  }
  return fullPath;
}
