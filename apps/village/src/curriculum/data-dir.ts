import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaltError } from '@galt/core';

/** Default curriculum location, relative to the repository root. */
export const DEFAULT_DATA_DIR = '../shared/data/galt-curriculum';

const ROOT_PACKAGE_NAME = 'galt-monorepo';

/**
 * Resolves the curriculum directory. An explicit path is resolved against the process working
 * directory. Without one, the default is resolved against the repository root, which is found by
 * walking up from the working directory and then from this module's own location.
 */
export function resolveDataDir(dataDir?: string, cwd: string = process.cwd()): string {
  if (dataDir !== undefined) return resolve(cwd, dataDir);
  const starts = [cwd, dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    const root = findRepositoryRoot(start);
    if (root !== null) {
      const candidate = resolve(root, DEFAULT_DATA_DIR);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new GaltError(
    'not_found',
    `no curriculum directory found at ${DEFAULT_DATA_DIR} relative to the repository root`,
    { remedy: 'pass the data directory explicitly (dataDir option or --data DIR)' },
  );
}

/** Returns the nearest ancestor whose package.json is the monorepo root, or null. */
export function findRepositoryRoot(start: string): string | null {
  let directory = resolve(start);
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && isRootManifest(manifest)) return directory;
    const parent = dirname(directory);
    if (parent === directory) return null;
    directory = parent;
  }
}

function isRootManifest(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed
      ? parsed.name === ROOT_PACKAGE_NAME
      : false;
  } catch {
    return false;
  }
}
