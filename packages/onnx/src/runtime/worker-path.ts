import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaltError } from '@galt/core';

const WORKER_FILE = join('runtime', 'session-worker.js');

/**
 * Returns the path of the compiled session worker. From `dist/` it sits beside this module; from
 * `src/*.ts` (under Vitest) it is the built copy in `../dist/`, because worker threads cannot run
 * TypeScript sources. Throws a `not_found` GaltError when that file is missing.
 */
export function resolveWorkerPath(moduleUrl: string = import.meta.url): string {
  const modulePath = fileURLToPath(moduleUrl);
  const runtimeDirectory = dirname(modulePath);
  const packageRoot = dirname(dirname(runtimeDirectory));
  const fromSource =
    modulePath.endsWith('.ts') && runtimeDirectory.endsWith(`${sep}src${sep}runtime`);
  const path = fromSource
    ? join(packageRoot, 'dist', WORKER_FILE)
    : join(dirname(runtimeDirectory), WORKER_FILE);
  if (!existsSync(path)) {
    throw new GaltError('not_found', `session worker ${path} not found; run npm run build`, {
      remedy: 'npm run build compiles every package from src to dist',
    });
  }
  return path;
}
