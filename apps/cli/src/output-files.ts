import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '@galt/core';
import { CliError, ExitCode } from './exit-codes.js';

/**
 * Makes sure `directory` exists, creating it (and missing parents) when needed. Raises a usage
 * error naming the path when it is a file or cannot be created. A directory whose parent exists
 * is created without the recursive option, because Node's recursive mkdir can loop without end
 * under special file systems such as /proc.
 */
export function ensureOutputDirectory(directory: string, option: string): void {
  if (existsSync(directory)) {
    if (statSync(directory).isDirectory()) return;
    throw new CliError(`${option} ${directory} is a file; pass a directory path`, ExitCode.usage);
  }
  try {
    mkdirSync(directory, { recursive: !existsSync(dirname(directory)) });
  } catch (error) {
    throw new CliError(
      `${option}: could not create directory ${directory}: ${errorMessage(error)}; ` +
        'pass a path in a writable directory',
      ExitCode.usage,
    );
  }
}

/** Writes a text file, raising a usage error naming the path when that fails. */
export function writeOutputFile(path: string, text: string, option: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(
      `${option}: could not write ${path}: ${errorMessage(error)}; pass a path in a writable directory`,
      ExitCode.usage,
    );
  }
}
