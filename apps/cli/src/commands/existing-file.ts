import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Description of the directory that `--data` expects, for error messages. */
export const CURRICULUM_DIRECTORY =
  'the curriculum directory (the one that contains train.jsonl and validation.jsonl)';

/** Resolves a required input file against the working directory; missing means exit 2. */
export function resolveExistingFile(
  path: string | undefined,
  option: string,
  expectedInput: string,
  io: CliIo,
): string {
  if (path === undefined) {
    throw new CliError(`${option} is required: pass ${expectedInput}`, ExitCode.usage);
  }
  const fullPath = resolve(io.cwd, path);
  if (!existsSync(fullPath) || !statSync(fullPath).isFile()) {
    throw new CliError(`${option} ${fullPath} not found; pass ${expectedInput}`, ExitCode.usage);
  }
  return fullPath;
}

/** Resolves an input directory against the working directory; missing means exit 2. */
export function resolveExistingDirectory(
  path: string,
  option: string,
  expectedInput: string,
  io: CliIo,
): string {
  const fullPath = resolve(io.cwd, path);
  if (!existsSync(fullPath) || !statSync(fullPath).isDirectory()) {
    throw new CliError(
      `${option} ${fullPath} is not a directory; pass ${expectedInput}`,
      ExitCode.usage,
    );
  }
  return fullPath;
}
